"""Suites that read ../shared skip without it on a laptop and fail without it under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_shared


def test_a_missing_shared_file_skips_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="the scorer not found at"):
        require_shared(tmp_path / "score.py", "the scorer")


def test_a_missing_shared_file_fails_under_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"CI=true: \.\./shared must be beside the project"):
        require_shared(tmp_path / "score.py", "the scorer")


def test_a_present_shared_file_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    (tmp_path / "score.py").write_text("")
    require_shared(tmp_path / "score.py", "the scorer")  # neither skips nor fails
