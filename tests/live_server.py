"""A real uvicorn server in a subprocess on 127.0.0.1, for tests that use real clients.

The server is the project's own app (``api.main:app_from_env``) with settings from
``KG_*`` variables; it is stopped by its own pid, gently then firmly, whatever the
test did.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(env: dict[str, str], log: Path, *, start_timeout: float = 60) -> Iterator[str]:
    """Serve with ``env`` (``KG_*`` settings) and yield the base URL, e.g. ``http://127.0.0.1:PORT``."""
    port = free_port()
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.server"],
            cwd=ROOT,
            env={**full_env, "KG_HOST": "127.0.0.1", "KG_PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text()[-2000:]}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start within {start_timeout:.0f} s")
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
