"""The servers under test, started on 127.0.0.1 and stopped by their own process group.

- ``kg``: this project (``create_app``, as ``kg serve`` runs it), reading the store the build wrote;
- ``oxigraph``: ``oxigraph serve --union-default-graph`` over the N-Quads dump
  loaded with ``oxigraph load``;
- ``rdflib-endpoint``: as ``rdflib-endpoint serve dump.nq`` runs it (an rdflib ``Dataset``
  with ``default_union=True`` in its default in-memory store).

Ours runs without its SPARQL answer cache (``KG_SPARQL_CACHE_MB=0`` unless ``env`` sets it):
the mix repeats a few dozen texts, and neither peer keeps answers, so with the cache the
mix would measure the cache, not the query path.

Ours and rdflib-endpoint run under uvicorn through :mod:`benchmarks.launch` with access
logs off (oxigraph serve writes none), so no server pays for a log line per request.

All three see the same quads and answer over the union of the graphs.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.build import disk_mib, tree_pss_mib

ASK = "/?query=ASK%20%7B%7D"  # path suffix appended to the SPARQL endpoint


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tool(name: str) -> str | None:
    """A console script of the venv this runs in, else one on PATH."""
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else shutil.which(name)


@dataclass
class Server:
    name: str
    cmd: list[str]
    sparql_path: str
    log: Path
    port: int
    ready_path: str
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def start(self, *, timeout: float) -> None:
        started = time.perf_counter()
        with self.log.open("ab") as log:
            # A new session: the server and any workers it forks share a process group led by its pid.
            self.proc = subprocess.Popen(
                self.cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env={**os.environ, **self.env}
            )
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.proc.returncode}) while starting; see {self.log}")
            if self._answers():
                break
            if time.perf_counter() - started > timeout:
                self.stop()
                raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s; see {self.log}")
            time.sleep(0.2)
        self.info["ready_seconds"] = round(time.perf_counter() - started, 3)
        self.info["pss_after_start_mib"] = round(tree_pss_mib(self.proc.pid), 1)

    def _answers(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", self.ready_path, headers={"Accept": "application/sparql-results+json"})
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def memory_mib(self) -> float:
        return round(tree_pss_mib(self.proc.pid), 1) if self.proc else 0.0

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = self.proc.pid  # the group we created at start; nothing else is in it
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        try:  # workers that outlived their parent
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ours(store: Path, workdir: Path, *, workers: int | None = None, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    env = {"KG_SPARQL_CACHE_MB": "0", **(env or {}), **({"KG_QUERY_WORKERS": str(workers)} if workers else {})}
    return Server(
        "kg",
        [sys.executable, "-m", "benchmarks.launch", "kg", "--store", str(store), "--port", str(port)],
        "/sparql",
        workdir / "kg.log",
        port,
        "/sparql" + ASK[1:],
        env,
    )


def oxigraph(dump: Path, workdir: Path) -> Server | None:
    exe = tool("oxigraph")
    if exe is None:
        return None
    location = workdir / "oxigraph-store"
    if location.exists():
        shutil.rmtree(location)
    started = time.perf_counter()
    subprocess.run(
        [exe, "load", "--location", str(location), "--file", str(dump)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    load_seconds = time.perf_counter() - started
    port = free_port()
    s = Server(
        "oxigraph",
        [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        "/query",
        workdir / "oxigraph.log",
        port,
        "/query" + ASK[1:],
    )
    s.info.update(load_seconds=round(load_seconds, 3), store_mib=round(disk_mib(location), 1))
    return s


def rdflib_endpoint(dump: Path, workdir: Path) -> Server | None:
    if importlib.util.find_spec("rdflib_endpoint") is None:
        return None
    port = free_port()
    return Server(
        "rdflib-endpoint",
        [sys.executable, "-m", "benchmarks.launch", "rdflib", "--file", str(dump), "--port", str(port)],
        "/sparql",
        workdir / "rdflib-endpoint.log",
        port,
        "/sparql" + ASK[1:],
    )
