"""``python -m kg.readmodel STORE``: bring the read model beside the store at STORE up to
date (from ``pending`` after an interrupted write, else by projecting the whole store).

The server runs this in a child process when its read model is stale, so a long
projection never holds the server's interpreter; it is also there to run by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kg.lifetime import exit_with_parent
from kg.readmodel import ReadModel
from kg.store import Store


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m kg.readmodel STORE", file=sys.stderr)
        return 2
    exit_with_parent(os.getppid())
    path = Path(args[0])
    if not path.exists():
        print(f"{path}: no store here", file=sys.stderr)
        return 1
    store = Store(path, read_only=True)
    try:
        ReadModel.beside(store).refresh(store)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
