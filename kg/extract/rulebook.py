"""The extractor's rule files (ontology/rules/), read and checked against the ontology.

Everything the extractor knows about the language of defence news is data:

- ``lexicon.yaml``: cue words for typing names, with ontology classes as targets;
- ``positions.yaml``: titles, ranks and the patterns that tie a person to a post;
- ``relations/<key>.yaml``: one file per binary relation of the ontology (``dk:<key>``);
- ``agreements/<Kind>.yaml``: one file per agreement class of the ontology;
- ``agreements/parties.yaml``: the patterns that find an agreement's parties;
- ``implied/*.rq``: SPARQL CONSTRUCT rules for facts a stated fact implies (see :mod:`kg.implied`).

Class names and relation keys in those files must be terms of ``ontology/defence.ttl``; a
relation's domain and range are read from the ontology (``rdfs:domain`` / ``rdfs:range``,
with ``owl:unionOf``) and never restated in a rule. A file that does not parse, names an
unknown class or relation, or holds a pattern spaCy refuses stops the build with an
:class:`~kg.errors.OntologyError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import srsly
from rdflib import Graph

from kg import vocab
from kg.errors import OntologyError

Pattern = list[dict[str, Any]]


@dataclass(frozen=True)
class PathSpec:
    """A ``path`` rule: two names joined in the parse by at most ``max_arcs`` arcs, through a cue word.

    Arcs are counted as collapsed dependencies count them: a preposition, an auxiliary or a determiner on
    the path is no step of its own ("in service with the air force" is two arcs from "service").

    The shortest path between the two names in the sentence's dependency tree (a conjunct standing
    where the first of its coordination stands) must pass through a word of ``through`` (a lemma or
    a lower-cased word) and through none of ``not_through``. ``roles`` are the two roles it binds
    (``s`` and ``o`` for a relation); ``classes`` narrows each role to some classes of the ontology
    (with their sub-classes) beyond what the relation's domain and range allow. A path does not run through
    another name unless ``across_names`` says so. A cue word whose object is one of ``not_of`` makes that,
    not the other name ("the manufacturer of engines for the P-1": a maker of engines).
    """

    through: frozenset[str]
    max_arcs: int
    not_through: frozenset[str] = frozenset()
    classes: tuple[tuple[str, frozenset[str]], ...] = ()  # (role, allowed classes)
    across_names: bool = False  # whether the path may run through another name ("NATO member Turkey launched ...")
    not_of: frozenset[str] = frozenset()  # objects that make the cue word about something else ("maker of engines")


@dataclass(frozen=True)
class Rule:
    """One pattern: ``dependency`` (spaCy DependencyMatcher), ``sequence`` (spaCy Matcher) or ``path``."""

    id: str
    style: str  # "dependency" | "sequence" | "path"
    pattern: Pattern
    roles: tuple[str, ...]  # the pattern's nodes that carry a meaning (s, o, holder, party, ...)
    confidence: float
    source: str  # file the rule was read from, for messages and evidence
    options: dict[str, Any] = field(default_factory=dict)  # anything else the rule states
    path: PathSpec | None = None  # the ``path`` style's pattern

    @property
    def key(self) -> str:
        """ "<file>:<id>", as evidence records it."""
        return f"{self.source}:{self.id}"


@dataclass(frozen=True)
class Relation:
    """A binary relation of the ontology and the rules that find it."""

    key: str
    domain: frozenset[str]  # class local names (with their sub-classes)
    range: frozenset[str]
    rules: tuple[Rule, ...]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ontology(vocab.Vocabulary):
    """What the extractor needs from the ontology: the :class:`kg.vocab.Vocabulary` of the ontology the
    build reads (an edit in Protégé reaches the rules with no code change), and the checks of rule files."""

    def check_class(self, name: str, where: str) -> str:
        if name not in self.classes:
            raise OntologyError(f"{where}: {name!r} is not a class of the ontology")
        return name


UNLESS = frozenset({"maker", "maker-country"})  # the conditions ``unless`` may name (see kg.extract.relations)


def _check_unless(options: dict[str, Any], where: str) -> None:
    value = options.get("unless") or []
    for condition in [value] if isinstance(value, str) else value:
        if condition not in UNLESS:
            raise OntologyError(
                f"{where}: unknown condition {condition!r} in unless (known: {', '.join(sorted(UNLESS))})"
            )


@dataclass(frozen=True)
class Rulebook:
    """Every rule file, loaded once per build."""

    folder: Path
    ontology: Ontology
    lexicon: dict[str, Any]
    positions: dict[str, Any]
    relations: tuple[Relation, ...]
    agreements: dict[str, dict[str, Any]]  # agreement class local name -> its file
    agreements_meta: dict[str, Any]  # agreements/parties.yaml apart from its rules (statuses, word lists)
    parties: tuple[Rule, ...]
    implied: tuple[tuple[str, str], ...]  # (file name, SPARQL CONSTRUCT text)

    @classmethod
    def load(cls, folder: Path, ontology_graph: Graph) -> Rulebook:
        onto = Ontology.from_graph(ontology_graph)
        if not folder.is_dir():
            raise OntologyError(f"{folder}: rules folder not found")
        lexicon = _read(folder / "lexicon.yaml")
        for name in lexicon.get("classes", {}):
            onto.check_class(name, str(folder / "lexicon.yaml"))
        for label, name in lexicon.get("ner_labels", {}).items():
            if name is not None:
                onto.check_class(name, f"{folder / 'lexicon.yaml'} (ner_labels.{label})")
        words = {str(k): [str(w) for w in v] for k, v in (lexicon.get("words") or {}).items()}
        positions = _read(folder / "positions.yaml")
        positions["rules"] = _rules(positions.get("rules", []), folder / "positions.yaml", words, onto)
        relations = []
        for path in sorted((folder / "relations").glob("*.yaml")):
            data = _read(path)
            key = data.get("relation") or path.stem
            if key not in onto.properties:
                raise OntologyError(f"{path}: {key!r} is not an object property of the ontology")
            if not onto.domains.get(key) or not onto.ranges.get(key):
                raise OntologyError(f"{path}: dk:{key} has no rdfs:domain or rdfs:range in the ontology")
            options = {k: v for k, v in data.items() if k not in {"relation", "rules"}}
            _check_unless(options, str(path))
            relations.append(
                Relation(
                    key, onto.domains[key], onto.ranges[key], _rules(data.get("rules", []), path, words, onto), options
                )
            )
        agreements: dict[str, dict[str, Any]] = {}
        for path in sorted((folder / "agreements").glob("*.yaml")):
            if path.stem == "parties":
                continue
            data = _read(path)
            kind = data.get("kind") or path.stem
            if not onto.is_a(onto.check_class(kind, str(path)), "Agreement"):
                raise OntologyError(f"{path}: {kind!r} is not a sub-class of dk:Agreement")
            agreements[kind] = data
        parties_file = folder / "agreements" / "parties.yaml"
        parties_data = _read(parties_file)
        own = {k: [str(w) for w in v] for k, v in parties_data.items() if isinstance(v, list) and k != "rules"}
        parties = _rules(parties_data.get("rules", []), parties_file, words | own, onto)
        meta = {k: v for k, v in parties_data.items() if k != "rules"}
        implied = tuple((p.name, p.read_text(encoding="utf-8")) for p in sorted((folder / "implied").glob("*.rq")))
        return cls(folder, onto, lexicon, positions, tuple(relations), agreements, meta, parties, implied)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = srsly.read_yaml(path)
    except FileNotFoundError:
        raise OntologyError(f"{path}: rules file not found") from None
    except Exception as e:  # ruamel raises many kinds; the message names line and column
        raise OntologyError(f"{path}: not valid YAML: {' '.join(str(e).split())}") from None
    if not isinstance(data, dict):
        raise OntologyError(f"{path}: expected a mapping at the top level")
    return data


_STYLES = ("dependency", "sequence", "path")
_PATH_KEYS = frozenset({"through", "max_arcs", "not_through", "roles", "classes", "across_names", "not_of"})


def _expand(value: Any, words: dict[str, list[str]], where: str) -> Any:
    """Replace "$name" in a pattern by the word list ``name`` of lexicon.yaml's ``words``."""
    if isinstance(value, dict):
        return {k: _expand(v, words, where) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for v in value:
            if isinstance(v, str) and v.startswith("$"):
                out.extend(_word_list(v, words, where))
            else:
                out.append(_expand(v, words, where))
        return out
    if isinstance(value, str) and value.startswith("$"):
        return _word_list(value, words, where)
    return value


def _word_list(ref: str, words: dict[str, list[str]], where: str) -> list[str]:
    if ref[1:] not in words:
        raise OntologyError(f"{where}: {ref} is not a word list of lexicon.yaml (words: {', '.join(sorted(words))})")
    return words[ref[1:]]


def _path_spec(
    value: Any, words: dict[str, list[str]], onto: Ontology | None, where: str
) -> tuple[PathSpec, tuple[str, ...]]:
    """A ``path:`` mapping → its spec and the two roles it binds."""
    if not isinstance(value, dict):
        raise OntologyError(f"{where}: a path pattern is a mapping (through, max_arcs, ...)")
    unknown = sorted(set(value) - _PATH_KEYS)
    if unknown:
        raise OntologyError(f"{where}: unknown path key {unknown[0]!r} (known: {', '.join(sorted(_PATH_KEYS))})")
    through = _expand(value.get("through") or [], words, where)
    if not isinstance(through, list) or not through:
        raise OntologyError(f"{where}: a path needs a word list in through")
    max_arcs = value.get("max_arcs", 4)
    if not isinstance(max_arcs, int) or isinstance(max_arcs, bool) or not 2 <= max_arcs <= 8:
        raise OntologyError(f"{where}: max_arcs is a whole number from 2 to 8")
    roles = tuple(str(r) for r in value.get("roles", ("s", "o")))
    if len(roles) != 2 or roles[0] == roles[1]:
        raise OntologyError(f"{where}: a path binds two different roles")
    classes = []
    for role, names in (value.get("classes") or {}).items():
        if role not in roles:
            raise OntologyError(f"{where}: classes names role {role!r}, which the path does not bind")
        allowed: set[str] = set()
        for name in names:
            if onto is not None:
                onto.check_class(str(name), where)
                allowed |= onto.sub_classes.get(str(name), frozenset({str(name)}))
            else:
                allowed.add(str(name))
        classes.append((str(role), frozenset(allowed)))
    across = value.get("across_names", False)
    if not isinstance(across, bool):
        raise OntologyError(f"{where}: across_names is true or false")
    spec = PathSpec(
        frozenset(str(w).lower() for w in through),
        max_arcs,
        frozenset(str(w).lower() for w in _expand(value.get("not_through") or [], words, where)),
        tuple(classes),
        across,
        frozenset(str(w).lower() for w in _expand(value.get("not_of") or [], words, where)),
    )
    return spec, roles


def _rules(
    items: Iterable[Any], path: Path, words: dict[str, list[str]] | None = None, onto: Ontology | None = None
) -> tuple[Rule, ...]:
    out = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        where = f"{path} (rule {n})"
        if not isinstance(item, dict) or "id" not in item:
            raise OntologyError(f"{where}: a rule is a mapping with an id")
        rid = str(item["id"])
        if rid in seen:
            raise OntologyError(f"{where}: rule id {rid!r} is used twice")
        seen.add(rid)
        styles = [s for s in _STYLES if s in item]
        if len(styles) != 1:
            raise OntologyError(f"{where} {rid!r}: give exactly one of {', '.join(_STYLES)}")
        style = styles[0]
        options = {k: v for k, v in item.items() if k not in {"id", style, "confidence"}}
        _check_unless(options, f"{where} {rid!r}")
        confidence = float(item.get("confidence", 0.8))
        if style == "path":
            spec, roles = _path_spec(item[style], words or {}, onto, f"{where} {rid!r}")
            options.setdefault("conjuncts", False)  # a path pairs every name itself, conjuncts included
            out.append(Rule(rid, style, [], roles, confidence, path.name, options, spec))
            continue
        pattern = _expand(item[style], words or {}, f"{where} {rid!r}")
        if not isinstance(pattern, list) or not all(isinstance(p, dict) for p in pattern):
            raise OntologyError(f"{where} {rid!r}: the pattern is a list of mappings")
        if style == "dependency":
            roles = tuple(str(p["RIGHT_ID"]) for p in pattern if "RIGHT_ID" in p)
        else:
            roles = tuple(str(p["ROLE"]) for p in pattern if "ROLE" in p)
        possessed = options.get("possessed", [])
        if not isinstance(possessed, list) or not set(map(str, possessed)) <= set(roles):
            raise OntologyError(f"{where} {rid!r}: possessed is a list of the rule's roles ({', '.join(roles)})")
        out.append(Rule(rid, style, pattern, roles, confidence, path.name, options))
    return tuple(out)
