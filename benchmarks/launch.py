"""Server launchers with access logs off, so no server pays for writing a line per request.

``python -m benchmarks.launch kg --store DIR --port P`` serves this project exactly as
``kg serve`` does (``create_app`` on settings from the environment, :func:`api.server.serve`), and
``python -m benchmarks.launch rdflib --file dump.nq --port P`` serves rdflib-endpoint
exactly as its ``rdflib-endpoint serve`` command does (an rdflib ``Dataset`` with
``default_union=True``, default store), at ``/sparql``. oxigraph serve logs nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("server", choices=["kg", "rdflib"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--store", type=Path)
    p.add_argument("--file", type=Path)
    a = p.parse_args(argv)
    if a.server == "kg":
        from api.main import create_app
        from api.server import serve
        from kg.config import Settings

        settings = Settings.from_env().with_(store_path=a.store, host="127.0.0.1", port=a.port).validate()
        serve(create_app(settings), settings, log_level="warning", access_log=False)
        return 0
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    g = Dataset(store="default", default_union=True)
    g.parse(str(a.file))
    uvicorn.run(
        SparqlEndpoint(graph=g, path="/sparql"), host="127.0.0.1", port=a.port, log_level="warning", access_log=False
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
