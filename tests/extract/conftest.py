"""The extractor over the project's own ontology, reference base and rules; and one that knows only countries."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.extract import Extractor, default_extractor
from kg.extract.model import Extraction


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return default_extractor()


@pytest.fixture(scope="session")
def open_extractor() -> Extractor:
    """Countries only: every firm, aircraft and person must be recognised from the text."""
    return default_extractor(countries_only=True)


@pytest.fixture(scope="session")
def read(open_extractor: Extractor) -> Callable[..., Extraction]:
    def _read(text: str, published: str | None = None) -> Extraction:
        return open_extractor.extract(text, published=published)

    return _read
