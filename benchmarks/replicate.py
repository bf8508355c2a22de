"""A larger store's quads from a smaller build's, without extracting again:
``python -m benchmarks.replicate DUMP.nq OUT.nq --copies 10``.

Extraction runs at about 3 documents/s per core, so a 100,000-document build takes
hours on two cores. For the figures that depend on the store's size rather than on what
was extracted (store writes, serving, read-model projection, memory), this writes
``copies`` disjoint copies of a build's N-Quads export: copy *k* > 0 renames every
document graph and every individual minted by the build
(``https://w3id.org/defence-kg/id/<kind>/<slug>[#...]`` → ``<slug>-r<k>[#...]``), so
each copy is a world of its own, as the corpus generator's world grows with N (a
100,000-document corpus names about 10 times the firms of a 10,000-document one).
Individuals of the reference base (countries, known firms) keep their IRIs: every
article of any size shares them. Labels and texts are unchanged, so each name is
found ``copies`` times. The ontology and reference graphs are written once.

It is a proxy for a real corpus of that size (the same documents, repeated), said so
wherever its figures are reported.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

_ID = re.compile(r"<https://w3id\.org/defence-kg/id/([^/>]+)/([^>#]+)(#[^>]*)?>")
_SCHEMA_GRAPHS = ("<https://w3id.org/defence-kg/graph/ontology> .", "<https://w3id.org/defence-kg/graph/reference> .")


def reference_individuals(dump: Path) -> set[str]:
    """The IRIs the reference and ontology graphs use (kept in every copy)."""
    keep: set[str] = set()
    with dump.open(encoding="utf-8") as f:
        for line in f:
            if line.rstrip().endswith(_SCHEMA_GRAPHS):
                keep.update(m.group(0) for m in _ID.finditer(line))
    return keep


def replicate(dump: Path, out: Path, *, copies: int) -> dict[str, int]:
    keep = reference_individuals(dump)
    lines_out = 0
    with out.open("w", encoding="utf-8") as w:
        for k in range(copies):
            suffix = f"-r{k}"

            def rename(m: re.Match[str], suffix: str = suffix) -> str:
                whole = m.group(0)
                if whole in keep:
                    return whole
                return f"<https://w3id.org/defence-kg/id/{m.group(1)}/{m.group(2)}{suffix}{m.group(3) or ''}>"

            with dump.open(encoding="utf-8") as f:
                for line in f:
                    if line.rstrip().endswith(_SCHEMA_GRAPHS):
                        if k == 0:
                            w.write(line)
                            lines_out += 1
                        continue
                    w.write(line if k == 0 else _ID.sub(rename, line))
                    lines_out += 1
    return {"copies": copies, "quads": lines_out, "kept_iris": len(keep)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dump", type=Path, help="an N-Quads export of a build (kg export -f nquads)")
    p.add_argument("out", type=Path)
    p.add_argument("--copies", type=int, default=10)
    a = p.parse_args(argv)
    print(replicate(a.dump, a.out, copies=a.copies))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
