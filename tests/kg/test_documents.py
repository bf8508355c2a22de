"""Reading documents: every kind of bad input is an InputError naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.documents import MAX_DOCUMENT_BYTES, find, read
from kg.errors import InputError


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt: empty document"),
        ("blank.txt", b" \n\t\n", "blank.txt: empty document"),
        ("nul.txt", b"abc\x00def", "nul.txt: binary file (contains NUL bytes), not a text document"),
        ("latin1.txt", "Türkiye".encode("latin-1"), "latin1.txt: not UTF-8 text (invalid byte at offset 1)"),
        (
            "ctrl.txt",
            bytes(range(1, 32)) * 10,
            "ctrl.txt: binary file (mostly control characters), not a text document",
        ),
    ],
)
def test_bad_documents_are_refused_with_the_file_named(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    p = write(tmp_path, name, data)
    with pytest.raises(InputError) as e:
        read(p)
    assert str(e.value) == f"{p}: {message.split(': ', 1)[1]}"


def test_oversized_document_is_refused(tmp_path: Path) -> None:
    p = write(tmp_path, "big.txt", b"a" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(InputError, match=r"big.txt: 2000001 bytes is over the 2000000-byte limit per document"):
        read(p)


def test_front_matter_gives_title_and_date_and_is_removed(tmp_path: Path) -> None:
    p = write(tmp_path, "a.md", b"---\ntitle: Deal signed\ndate: 2025-06-12\n---\nBody text.\n")
    doc = read(p)
    assert (doc.title, doc.published, doc.text) == ("Deal signed", "2025-06-12", "Body text.\n")


def test_crlf_is_normalised_and_bom_dropped(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "w.txt", b"\xef\xbb\xbfOne.\r\nTwo.\r\n"))
    assert doc.text == "One.\nTwo.\n"


def test_find_walks_folders_and_refuses_empty_ones(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    a = write(tmp_path, "a.txt", b"x")
    b = write(tmp_path / "sub", "b.md", b"y")
    write(tmp_path, "c.pdf", b"z")
    assert find([tmp_path]) == [a.resolve(), b.resolve()]
    (tmp_path / "none").mkdir()
    with pytest.raises(InputError, match="none: folder holds no documents"):
        find([tmp_path / "none"])
    with pytest.raises(InputError, match="missing.txt: no such file or folder"):
        find([tmp_path / "missing.txt"])
    with pytest.raises(InputError, match=r"c.pdf: not a document \(expected .txt, .md\)"):
        find([tmp_path / "c.pdf"])


def test_two_documents_with_the_same_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    write(tmp_path / "x", "same.txt", b"a")
    write(tmp_path / "y", "same.md", b"b")
    with pytest.raises(InputError, match="same name as"):
        find([tmp_path])
