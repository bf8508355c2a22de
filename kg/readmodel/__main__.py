"""``python -m kg.readmodel STORE``: bring the read model beside the store at STORE up to
date (from ``pending`` after an interrupted write, else by projecting the whole store).
``python -m kg.readmodel --remote READMODEL`` does the same for the remote store named by
``KG_REMOTE_*`` (READMODEL is the read model's SQLite file).

The server runs this in a child process when its read model is stale, so a long
projection never holds the server's interpreter; it is also there to run by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kg.lifetime import exit_with_parent
from kg.readmodel import ReadModel


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    remote = bool(args) and args[0] == "--remote"
    if remote:
        args = args[1:]
    if len(args) != 1:
        print("usage: python -m kg.readmodel STORE | --remote READMODEL", file=sys.stderr)
        return 2
    exit_with_parent(os.getppid())
    path = Path(args[0])
    if remote:
        from kg.config import Remote
        from kg.errors import KgError
        from kg.remote import RemoteStore

        try:
            settings = Remote.from_env()
            if settings is None:
                print("--remote needs KG_REMOTE_QUERY and KG_REMOTE_UPDATE", file=sys.stderr)
                return 2
            store = RemoteStore(settings, read_only=True)
            try:
                ReadModel(path).refresh(store)  # type: ignore[arg-type]  # RemoteStore has Store's interface, not its class
            finally:
                store.close()
        except KgError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        return 0
    from kg.store import Store

    if not path.exists():
        print(f"{path}: no store here", file=sys.stderr)
        return 1
    st = Store(path, read_only=True)
    try:
        ReadModel.beside(st).refresh(st)
    finally:
        st.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
