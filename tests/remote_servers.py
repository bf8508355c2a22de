"""Real SPARQL 1.1 servers for the remote-store tests, each started on 127.0.0.1 with free
ports in a temporary folder and stopped by its own pid:

- ``oxigraph serve`` (PyPI ``oxigraph``, the test extra) with ``--union-default-graph``;
- OpenLink Virtuoso 7.2 (Debian ``virtuoso-opensource``, installed by ``make virtuoso``)
  with its own ``virtuoso.ini``: a fresh database, a writer account with SPARQL_UPDATE
  (digest authentication on ``/sparql-auth`` and ``/sparql-graph-crud-auth``), and the
  server's own system graphs made private, so queries see only the data's graphs (what a
  team's Virtuoso needs too; README, *Remote store*).

Without the program the tests skip with the reason; under ``CI=true`` they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from kg.config import Remote
from tests.live_server import free_port

VIRTUOSO = "/usr/bin/virtuoso-t"
ISQL = "/usr/bin/isql-vt"
WRITER, WRITER_PASSWORD = "kgwriter", "s3cret-Virtuoso-pw-42"  # a throw-away database's account
_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)


def require(program: str, what: str) -> None:
    """Skip unless ``program`` exists; under CI=true fail instead (make test installs it)."""
    if Path(program).exists() or shutil.which(program):
        return
    message = f"{what} not found ({program})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: make test installs it)", pytrace=False)
    pytest.skip(message)


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s: {log.read_text()[-2000:]}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Remote]:
    program = str(Path(sys.executable).with_name("oxigraph"))
    require(program, "oxigraph serve (pip install oxigraph)")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                program,
                "serve",
                "--location",
                str(folder / "db"),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/query", process, log, 30)
        yield Remote(query=f"{base}/query", update=f"{base}/update", gsp=f"{base}/store")
    finally:
        _stop(process)


_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {d}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 1G
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def virtuoso_setup_sql(user: str, password: str) -> str:
    """The SQL that readies a Virtuoso for the project: a writer account for SPARQL Update and
    the Graph Store, and the server's system graphs made private (unseen by queries)."""
    group = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"
    lines = [
        f"DB.DBA.USER_CREATE('{user}', '{password}');",
        f'GRANT SPARQL_UPDATE TO "{user}";',
        f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 15);",
        f"DB.DBA.RDF_GRAPH_GROUP_CREATE('{group}', 1);",
    ]
    lines += [f"DB.DBA.RDF_GRAPH_GROUP_INS('{group}', '{g}');" for g in _SYSTEM_GRAPHS]
    lines += [
        "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 0, 1);",
        f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 0, 1);",
    ]
    return "\n".join(lines)


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Remote]:
    require(VIRTUOSO, "Virtuoso (make virtuoso: Debian's virtuoso-opensource)")
    require(ISQL, "Virtuoso's isql-vt (Debian's virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, sql=sql, http=http))
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    try:
        _wait(f"{base}/sparql", process, log, 90)
        script = folder / "setup.sql"
        script.write_text(virtuoso_setup_sql(WRITER, WRITER_PASSWORD))
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{sql}", "dba", "dba", str(script)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            raise RuntimeError(f"Virtuoso setup failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
        yield Remote(
            query=f"{base}/sparql",
            update=f"{base}/sparql-auth",
            gsp=f"{base}/sparql-graph-crud-auth",
            user=WRITER,
            password=WRITER_PASSWORD,
        )
    finally:
        _stop(process)
