"""Bounded load generation on 127.0.0.1: wrk when installed, else a small threaded Python client.

Every run is bounded twice: by wall-clock (``seconds``) and by request count
(``max_requests``, split over the connections). Requests cycle through a fixed
sequence of paths (the query mix), each connection starting at its own offset.

wrk (C, event-driven) costs the machine little, so on two cores it measures the
server, not the client; the Python client is kept for machines without wrk and for
exact per-request latencies (it reports its own CPU time so one can tell when it,
not the server, is the bottleneck).
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACCEPT = "application/sparql-results+json"
PERCENTILES = [1, 5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 95, 97, 98, 99, 99.5, 99.9]

_WRK_SCRIPT = r"""
local paths = {%(paths)s}
local max_per_conn = %(max_per_conn)d
local accept = "%(accept)s"
local threads = {}
local thread_index = 0

function setup(thread)
  thread:set("tid", thread_index)
  thread_index = thread_index + 1
  table.insert(threads, thread)
end

local conn_count = 0
local i = 0
local sent = 0
bad = 0  -- a global: done() reads it from each thread with thread:get

function init(args)
  i = (tid * 7919) %% #paths
  conn_count = tonumber(args[1])
end

function request()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i], {["Accept"] = accept})
end

function response(status, headers, body)
  sent = sent + 1
  if status ~= 200 then bad = bad + 1 end
  if sent >= max_per_conn * conn_count then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + (t:get("bad") or 0) end
  local pct = {}
  for _, p in ipairs({%(percentiles)s}) do
    table.insert(pct, string.format('"%%s": %%d', tostring(p), latency:percentile(p)))
  end
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}, ' ..
    '"non200": %%d, "latency_us": {"mean": %%f, "stdev": %%f, "max": %%d, "percentiles": {%%s}}}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, bad_total,
    latency.mean, latency.stdev, latency.max, table.concat(pct, ", ")))
end
"""


@dataclass(frozen=True)
class Target:
    port: int
    paths: list[str]  # request paths (with query string), cycled


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(target: Target, *, concurrency: int, seconds: float, max_requests: int, timeout: float) -> dict[str, Any]:
    threads = max(1, min(2, concurrency))
    per_thread_conns = max(1, concurrency // threads)
    max_per_conn = max(1, math.ceil(max_requests / concurrency))
    script = _WRK_SCRIPT % {
        "paths": ", ".join(json.dumps(p) for p in target.paths),
        "max_per_conn": max_per_conn,
        "accept": ACCEPT,
        "percentiles": ", ".join(str(p) for p in PERCENTILES),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        lua = f.name
    try:
        cmd = [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(concurrency),
            "-d",
            f"{max(1, round(seconds))}s",
            "--timeout",
            f"{max(1, round(timeout))}s",
            "-s",
            lua,
            f"http://127.0.0.1:{target.port}",
            "--",
            str(per_thread_conns),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout + 30, check=True).stdout
    finally:
        os.unlink(lua)
    line = next(ln for ln in out.splitlines() if ln.startswith("WRKJSON "))
    raw = json.loads(line[len("WRKJSON ") :])
    duration = raw["duration_us"] / 1e6
    failed = raw["non200"] + sum(raw["errors"][k] for k in ("connect", "read", "write", "timeout"))
    ok = max(0, raw["requests"] - raw["non200"])
    pct = {k: v / 1000 for k, v in raw["latency_us"]["percentiles"].items()}
    pct["100"] = raw["latency_us"]["max"] / 1000
    capped = raw["requests"] >= max_per_conn * concurrency
    if capped and raw["latency_us"]["mean"] > 0:
        # The threads stopped at the count cap before the clock ran out, and wrk's duration is the
        # clock: take the closed-loop rate instead (Little's law: connections / mean latency).
        duration = min(duration, ok * raw["latency_us"]["mean"] / 1e6 / concurrency)
    return {
        "client": "wrk",
        "concurrency": concurrency,
        "requests": raw["requests"],
        "ok": ok,
        "failed": failed,
        "seconds": round(duration, 3),
        "count_capped": capped,
        "throughput_rps": round(ok / duration, 2) if duration else 0.0,
        "latency_ms": {
            "p50": pct["50"],
            "p95": pct["95"],
            "p99": pct["99"],
            "mean": raw["latency_us"]["mean"] / 1000,
            "max": raw["latency_us"]["max"] / 1000,
        },
        "percentiles_ms": pct,
    }


def run_python(
    target: Target, *, concurrency: int, seconds: float, max_requests: int, timeout: float
) -> dict[str, Any]:
    """``concurrency`` threads, one keep-alive connection each; exact per-request latencies."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    failures = [0]
    counter = [0]
    lock = threading.Lock()

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=timeout)
        i = offset
        while time.perf_counter() < deadline:
            with lock:
                if counter[0] >= max_requests:
                    break
                counter[0] += 1
            path = target.paths[i % len(target.paths)]
            i += 1
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": ACCEPT})
                resp = conn.getresponse()
                resp.read()
                good = resp.status == 200
            except (OSError, http.client.HTTPException):
                good = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=timeout)
            elapsed = time.perf_counter() - t
            with lock:
                if good:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1
        conn.close()

    cpu0, t0 = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k * 7919,), daemon=True) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + timeout + 5)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    lat = sorted(x * 1000 for x in latencies)
    pct = {str(p): _percentile(lat, p) for p in PERCENTILES}
    return {
        "client": "python",
        "concurrency": concurrency,
        "requests": len(lat) + failures[0],
        "ok": len(lat),
        "failed": failures[0],
        "seconds": round(wall, 3),
        "throughput_rps": round(len(lat) / wall, 2) if wall else 0.0,
        "client_cpu_share": round(cpu / wall, 3) if wall else 0.0,  # of one core; near 1.0 = client-bound
        "latency_ms": {
            "p50": pct["50"],
            "p95": pct["95"],
            "p99": pct["99"],
            "mean": sum(lat) / len(lat) if lat else 0.0,
            "max": lat[-1] if lat else 0.0,
        },
        "percentiles_ms": pct,
    }


def _percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))
    return round(sorted_values[k], 3)


def run(
    target: Target, *, concurrency: int, seconds: float, max_requests: int, timeout: float, client: str = "auto"
) -> dict[str, Any]:
    if client == "wrk" or (client == "auto" and wrk_available()):
        return run_wrk(target, concurrency=concurrency, seconds=seconds, max_requests=max_requests, timeout=timeout)
    return run_python(target, concurrency=concurrency, seconds=seconds, max_requests=max_requests, timeout=timeout)


def run_each(target: Target, args: Any, log: Callable[[str], None], label: str) -> dict[str, dict[str, Any]]:
    """:func:`run` at each of ``args.concurrency`` (the harnesses' command-line options), by concurrency."""
    out = {}
    for c in args.concurrency:
        log(f"{label} at concurrency {c}")
        out[str(c)] = run(
            target,
            concurrency=c,
            seconds=args.seconds,
            max_requests=args.max_requests,
            timeout=args.request_timeout,
            client=args.client,
        )
    return out


def fetch(port: int, path: str, *, timeout: float, accept: str = ACCEPT) -> tuple[int, bytes, float]:
    """One GET: status, body, seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Accept": accept})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, body, time.perf_counter() - t
    finally:
        conn.close()


def result_rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def save(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2))
