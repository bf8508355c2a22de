"""The wheel works anywhere: built from the sources, installed outside the checkout, and
`kg build`, `kg check`, `kg query` and `kg serve` run from a folder that is not the
repository, with the store landing in that folder.

The installed copy is a ``pip install --target`` folder put first on PYTHONPATH; the
dependencies come from this venv's site-packages. ``PYTHONSAFEPATH`` keeps the working
directory off ``sys.path``, and the test asserts the imported ``kg`` and ``api`` are the
installed ones, not the checkout's.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from kg import __version__
from tests.conftest import ROOT, SEEDS
from tests.live_server import free_port

# What a wheel is built from (everything else in the checkout stays out of it).
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "kg", "api", "ontology"]
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def _ontology_files() -> list[str]:
    """The files of ontology/ the running system reads: the schema files and every rule file."""
    top = ROOT / "ontology"
    files = [*top.glob("*.ttl"), *top.glob("*.owl"), *top.glob("rules/**/*.yaml"), *top.glob("rules/**/*.rq")]
    return sorted(str(p.relative_to(top)) for p in files)


def _packages() -> list[str]:
    """Every package of the checkout's kg/ and api/, as a folder with an __init__.py."""
    return sorted(str(p.parent.relative_to(ROOT)) for top in ("kg", "api") for p in (ROOT / top).rglob("__init__.py"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=_IGNORE)
        else:
            shutil.copy2(path, src / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-q", "-w", str(dist), str(src)],
        check=True,
        timeout=300,
        cwd=src,
    )
    (found,) = dist.glob("defence_kg-*.whl")
    return found


def test_the_wheel_holds_the_ontology_rules_shapes_static_assets_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert wheel.name == f"defence_kg-{__version__}-py3-none-any.whl"
    for rel in _ontology_files():
        assert f"kg/_ontology/{rel}" in names, rel
    assert {
        "kg/_ontology/defence.ttl",
        "kg/_ontology/defence.owl",
        "kg/_ontology/reference.ttl",
        "kg/_ontology/shapes.ttl",
        "kg/_ontology/rules/lexicon.yaml",
    } <= names
    for asset in (ROOT / "api" / "static").rglob("*"):  # api/static/vendor too, when `make assets` built it
        if asset.is_file():
            assert f"api/{asset.relative_to(ROOT / 'api').as_posix()}" in names, asset
    assert "kg/readmodel/schema.sql" in names
    for package in _packages():
        assert f"{package}/__init__.py" in names, (
            f"{package} is missing: list it in pyproject.toml [tool.setuptools] packages"
        )
    assert not any(n.startswith(("tests/", "benchmarks/", "seeds/", "data/")) for n in names)
    info = f"defence_kg-{__version__}.dist-info"
    assert f"{info}/licenses/LICENSE" in names
    metadata = email.message_from_bytes(zipfile.ZipFile(wheel).read(f"{info}/METADATA"))
    assert metadata["License-Expression"] == "Apache-2.0"
    requires = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    # Only what runs: no test or benchmark tool outside the extras.
    assert not {r.split()[0].split(";")[0].split(">")[0].split("=")[0].split("<")[0] for r in requires} & {
        "pytest",
        "hypothesis",
        "httpx",
        "ruff",
        "matplotlib",
        "pyinstrument",
        "py-spy",
        "countryinfo",
        "pycountry",
    }
    entry = zipfile.ZipFile(wheel).read(f"{info}/entry_points.txt").decode()
    assert "kg = kg.cli:app" in entry


@pytest.mark.slow
def test_the_installed_wheel_builds_checks_queries_and_serves_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-cache-dir",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    work = tmp_path / "work"  # the analyst's folder: no ontology/, no seeds/
    (work / "articles").mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy2(seed, work / "articles" / seed.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(PYTHONPATH=str(target), PYTHONSAFEPATH="1", COLUMNS="200")

    def kg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kg.cli", *args], cwd=work, env=env, capture_output=True, text=True, timeout=timeout
        )

    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import kg, api, kg.config as c; print(kg.__file__); print(api.__file__); print(c.ONTOLOGY_DIR)",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where == [
        str(target / "kg" / "__init__.py"),
        str(target / "api" / "__init__.py"),
        str(target / "kg" / "_ontology"),
    ]

    version = kg("--version")
    assert (version.returncode, version.stdout) == (0, f"kg (defence-kg) {__version__}\n")

    built = kg("build", "articles", "--workers", "1")
    assert built.returncode == 0, built.stderr
    assert "Built 2 documents" in built.stdout
    assert (work / "data" / "store").is_dir()  # under the working directory, not in the package
    assert not (target / "data").exists() and not (target / "kg" / "data").exists()

    counted = kg(
        "query",
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a <https://w3id.org/defence-kg/ontology#NewsArticle> } }",
    )
    assert (counted.returncode, counted.stdout) == (0, "n\n2\n"), counted.stderr

    checked = kg("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "consistency (HermiT): consistent" in checked.stdout
    assert "SHACL shapes: conforms (2 document graphs)" in checked.stdout

    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                health = httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "kg serve did not start within 60 s"
                time.sleep(0.2)
        assert health.status_code == 200
        page = httpx.get(f"{base}/", timeout=10)  # the query page, from the package's static files
        assert page.status_code == 200 and "<html" in page.text.lower()
        answer = httpx.post(
            f"{base}/sparql",
            data={"query": "ASK { ?s a <https://w3id.org/defence-kg/ontology#NewsArticle> }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert answer.status_code == 200 and answer.json()["boolean"] is True
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        log.close()
