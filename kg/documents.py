"""Reading source documents: files and folders of .txt/.md articles → validated text.

Everything that can be wrong with an input file (missing, a folder with no documents,
binary, not UTF-8, empty, too large) is found here, before anything is written, and
reported as an :class:`InputError` that names the file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

SUFFIXES = (".txt", ".md")
MAX_DOCUMENT_BYTES = 2_000_000
"""Documents larger than this are refused (news articles are a few tens of kB)."""

_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<body>.*?)\n---\s*\n", re.DOTALL)
_META_LINE = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.+?)\s*$")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class Document:
    path: Path
    text: str  # the body, front matter removed
    sha256: str  # of the file's bytes
    title: str | None = None  # from front matter
    published: str | None = None  # ISO date from front matter

    @property
    def stem(self) -> str:
        return self.path.stem


def find(paths: Iterable[Path | str]) -> list[Path]:
    """Every document file under ``paths`` (files are taken as given), sorted, unique."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{p}: no such file or folder")
        if p.is_dir():
            inside = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not inside:
                raise InputError(f"{p}: folder holds no documents (looked for {', '.join(SUFFIXES)})")
            found.extend(inside)
        elif p.suffix.lower() in SUFFIXES:
            found.append(p)
        else:
            raise InputError(f"{p}: not a document (expected {', '.join(SUFFIXES)})")
    if not found:
        raise InputError("no documents given")
    unique = list(dict.fromkeys(f.resolve() for f in found))
    stems: dict[str, Path] = {}
    for f in unique:
        if f.stem in stems:
            raise InputError(f"{f}: same name as {stems[f.stem]}; document names must be unique")
        stems[f.stem] = f
    return unique


def read(path: Path) -> Document:
    """Read and validate one document."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
    return parse(path, data)


def parse(path: Path, data: bytes) -> Document:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{path}: {len(data)} bytes is over the {MAX_DOCUMENT_BYTES}-byte limit per document")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (contains NUL bytes), not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (invalid byte at offset {e.start})") from None
    if _looks_binary(text):
        raise InputError(f"{path}: binary file (mostly control characters), not a text document")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = published = None
    m = _FRONT_MATTER.match(text)
    if m:
        meta = dict(
            (mm.group("key").lower(), mm.group("value").strip("\"'"))
            for line in m.group("body").splitlines()
            if (mm := _META_LINE.match(line))
        )
        title = meta.get("title")
        date = meta.get("date") or meta.get("published")
        published = date[:10] if date and _ISO_DATE.match(date[:10]) else None
        text = text[m.end() :]
    if not text.strip():
        raise InputError(f"{path}: empty document")
    return Document(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), title=title, published=published)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return control / len(sample) > 0.05
