"""Rule files → spaCy matchers → which tokens fill which role.

A rule is a spaCy pattern, written in a rule file (see :mod:`kg.extract.rulebook`):

- ``dependency``: a DependencyMatcher pattern (``RIGHT_ID``, ``LEFT_ID``, ``REL_OP``,
  ``RIGHT_ATTRS``); the roles are its ``RIGHT_ID`` names;
- ``sequence``: a Matcher token pattern; a token dict may carry ``ROLE`` (removed before
  the pattern is given to spaCy), and the match's alignments tell which token filled it;
- ``path``: two names of a sentence joined by a short path of the dependency tree through a
  cue word (see :class:`~kg.extract.rulebook.PathSpec`), for the many ways a sentence can tie
  them that no one pattern spells out ("the F-16s Poland already uses", "deliveries of 28
  Typhoons to the Kuwait air force").

``constraints`` add token attributes to the nodes of given roles before compiling, which is
how a relation's ``rdfs:domain`` and ``rdfs:range`` reach its ``s`` and ``o`` nodes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.errors import MatchPatternError
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.errors import OntologyError
from kg.extract.attributes import POSSESSIVE
from kg.extract.rulebook import Rule

Binding = dict[str, Token]


Constraints = dict[str, dict[str, Any]]  # role -> token attributes every node of that role must have


class RuleMatcher:
    """One DependencyMatcher and one Matcher for a family of rules, run over the sentences given.

    (One matcher for all of a family's rules: a DependencyMatcher per rule, called only where its
    words occur, measured three times slower, its per-call cost outweighing the nodes it skips.)
    """

    def __init__(
        self, vocab: Vocab, rules: Iterable[Rule | tuple[Rule, Constraints]], constraints: Constraints | None = None
    ):
        self.rules: dict[str, Rule] = {}
        self.dependency = DependencyMatcher(vocab)
        self.sequence = Matcher(vocab)
        self.roles: dict[str, list[str | None]] = {}  # sequence rule -> role of each pattern token
        self.paths: list[tuple[Rule, dict[str, frozenset[str]]]] = []  # path rules, with each role's classes
        shared = constraints or {}
        for item in rules:
            rule, constraints = item if isinstance(item, tuple) else (item, shared)
            key = rule.key
            self.rules[key] = rule
            if rule.path is not None:
                self.paths.append((rule, _path_classes(rule, constraints)))
                continue
            pattern = copy.deepcopy(rule.pattern)
            try:
                if rule.style == "dependency":
                    for node in pattern:
                        extra = constraints.get(node.get("RIGHT_ID", ""))
                        if extra:
                            node["RIGHT_ATTRS"] = _merged(node.get("RIGHT_ATTRS", {}), extra)
                    self.dependency.add(key, [pattern])
                else:
                    roles = []
                    for tok in pattern:
                        role = tok.pop("ROLE", None)
                        roles.append(role)
                        if role in constraints:
                            tok.update(_merged(tok, constraints[role]))
                    self.roles[key] = roles
                    self.sequence.add(key, [pattern])
            except (MatchPatternError, ValueError, KeyError, TypeError) as e:
                raise OntologyError(f"{rule.source}: rule {rule.id!r} is not a valid spaCy pattern: {e}") from None

    def __call__(self, doc: Doc, spans: Iterable[Span] | None = None) -> Iterator[tuple[Rule, Binding]]:
        """Every match in ``spans`` (sentences; the whole document by default), with its tokens by role."""
        strings = doc.vocab.strings
        for span in spans if spans is not None else [doc[:]]:
            base = span.start
            for match_id, token_ids in self.dependency(span) if len(self.dependency) else ():
                rule = self.rules[strings[match_id]]
                ids = [node["RIGHT_ID"] for node in rule.pattern]
                yield rule, {role: doc[base + i] for role, i in zip(ids, token_ids, strict=False)}
            for rule, classes in self.paths:
                yield from _path_matches(span, rule, classes)
            if not self.roles:
                continue  # no sequence rules (spaCy warns when an empty Matcher is called)
            # spaCy's stub types only the three-field answer; with_alignments=True gives four
            for match_id, start, _end, alignments in self.sequence(span, with_alignments=True):  # type: ignore[misc]
                key = strings[match_id]
                roles = self.roles[key]
                binding: Binding = {}
                for offset, k in enumerate(alignments):
                    role = roles[k]
                    if role is not None and role not in binding:
                        binding[role] = doc[base + start + offset]
                yield self.rules[key], binding


def _path_classes(rule: Rule, constraints: Constraints) -> dict[str, frozenset[str]]:
    """Each role's allowed classes: the rule's own narrowed by the constraint (a relation's domain or range)."""
    assert rule.path is not None
    out: dict[str, frozenset[str]] = {}
    own = dict(rule.path.classes)
    for role in rule.roles:
        allowed = constraints.get(role, {}).get("_", {}).get("cls", {}).get("IN")
        sets = [frozenset(allowed)] if allowed is not None else []
        if role in own:
            sets.append(own[role])
        if sets:
            out[role] = frozenset.intersection(*sets)
    return out


def _path_matches(span: Span, rule: Rule, classes: dict[str, frozenset[str]]) -> Iterator[tuple[Rule, Binding]]:
    """Every pair of names in ``span`` that ``rule``'s path joins: (rule, {first role: token, second role: token})."""
    spec = rule.path
    assert spec is not None
    first, second = rule.roles
    names = [t for t in span if t._.named and t._.entity is not None]
    left = [t for t in names if first not in classes or t._.cls in classes[first]]
    right = [t for t in names if second not in classes or t._.cls in classes[second]]
    for a in left:
        for b in right:
            if a._.entity == b._.entity:
                continue
            inner = dependency_path(a, b)
            if inner is None:
                continue
            on_path = {t.i for t in inner} | {a.i, b.i}
            if any(t.dep_ == "conj" and t.pos_ in ("NOUN", "PROPN") and t.head.i in on_path for t in inner):
                continue  # "the U.S. Navy ... as well as partners in the F-35 programme": coordinated, not related
            if any(
                t.dep_ == "conj"
                and t.pos_ in ("VERB", "AUX")
                and t.head.i in on_path
                and _subject(t)
                and _subject(t.head)
                for t in inner
            ):
                continue  # "Norland's jets fly from Vale, and Chile's stay home": two clauses, each with a subject
            steps = sum(t.pos_ not in _FUNCTION_TAGS for t in inner) + 1
            if steps > spec.max_arcs:
                continue
            if not spec.across_names and any(t._.named and t.pos_ == "PROPN" for t in inner):
                continue  # "NATO member Turkey launched its programme": the path runs through another name
            words = {w for t in inner for w in (t.lemma_.lower(), t.lower_)}
            if words & spec.not_through:
                continue
            if spec.not_of and any(
                o.i not in on_path and o.lower_ in spec.not_of
                for t in inner
                if t.lemma_.lower() in spec.through
                for o in _objects(t)
            ):
                continue  # "the manufacturer of engines for the P-1": it makes engines
            if not words & spec.through and steps < spec.max_arcs:
                # "the delivery of 28 Typhoons to the Kuwait air force": one name governs the other through a
                # preposition, and the cue governs them both
                governor = _governor(a, b, inner)
                if governor is not None:
                    words = {governor.lemma_.lower(), governor.lower_}
            if words & spec.through:
                yield rule, {first: a, second: b}


def _objects(cue: Token) -> list[Token]:
    """What a cue word is about: its direct object, or the object of its "of" ("maker of engines")."""
    out = [c for c in cue.children if c.dep_ == "dobj"]
    return out + [
        g for c in cue.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
    ]


def _subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _governor(a: Token, b: Token, inner: list[Token]) -> Token | None:
    """The content word that governs a path whose top is one of its own ends (a name governing the other
    through function words only), looking up through prepositions."""
    if any(t.pos_ not in _FUNCTION_TAGS for t in inner):
        return None
    top = a if b in a.subtree else b if a in b.subtree else None
    if top is None:
        return None
    head = top.head
    while head.i != head.head.i and head.pos_ in _FUNCTION_TAGS:
        head = head.head
    return head if head.i != top.i and head.pos_ not in _FUNCTION_TAGS else None


# Words a path's length does not count, as collapsed dependencies leave them out: "in service with" is one step
_FUNCTION_TAGS = frozenset({"ADP", "AUX", "DET", "PART", "PUNCT", "CCONJ", "SCONJ"})


def dependency_path(a: Token, b: Token) -> list[Token] | None:
    """The tokens between ``a`` and ``b`` on the dependency tree's shortest path between them (None if
    they are in different trees); a conjunct stands where the first of its coordination stands.

    >>> from spacy.tokens import Doc
    >>> from spacy.vocab import Vocab
    >>> words = ["Poland", "and", "Chile", "bought", "F-16s"]
    >>> doc = Doc(Vocab(), words=words, heads=[3, 0, 0, 3, 3], deps=["nsubj", "cc", "conj", "ROOT", "dobj"])
    >>> [t.text for t in dependency_path(doc[2], doc[4])]
    ['bought']
    """

    def first_conjunct(t: Token) -> Token:
        while t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
        return t

    def ancestors(t: Token) -> list[Token]:
        out = [t]
        while t.head.i != t.i:
            t = t.head
            out.append(t)
        return out

    up_a, up_b = ancestors(first_conjunct(a)), ancestors(first_conjunct(b))
    where = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in where:
            chain = up_a[: k + 1] + list(reversed(up_b[: where[t.i]]))
            return chain[1:-1]
    return None


def _merged(attrs: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Token attributes with ``extra`` added; ``_`` (extension) constraints are combined per attribute."""
    out = dict(attrs)
    for k, v in extra.items():
        if k == "_" and "_" in out:
            ext = dict(out["_"])
            for name, cond in v.items():
                if name in ext and isinstance(ext[name], dict) and "IN" in ext[name] and "IN" in cond:
                    ext[name] = {"IN": sorted(set(ext[name]["IN"]) & set(cond["IN"]))}
                else:
                    ext.setdefault(name, cond)
            out["_"] = ext
        else:
            out.setdefault(k, v)
    return out


def conjuncts(tok: Token, *, own_possessors: bool = True) -> list[Token]:
    """The token and the names coordinated below it: "Indonesia, the Philippines and Thailand", and the
    names a plural noun phrase stands for ("the two companies", see :mod:`kg.extract.resolution`).

    With ``own_possessors`` (a fact about the name and its possessor), a conjunct with a possessor of its own
    is left out: in "the U.K.'s BAE Systems, Italy's Leonardo and Japan's JAIEC" Leonardo is not the U.K.'s.
    Without it (the names as a list, the parties of "a venture between France's Safran and Germany's MTU")
    every conjunct is kept."""
    out = [tok]
    todo = [tok]
    for c in _misattached(tok):
        out.append(c)
        todo.append(c)
    owned = own_possessors and any(c.dep_ == "poss" for c in tok.children)
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ == "conj" and owned and any(g.dep_ == "poss" for g in c.children):
                continue
            if c.dep_ == "conj" and any(g.dep_ == "case" for g in c.children):
                continue  # "Italy's Leonardo and Mitsubishi's JAIEC": Mitsubishi is the next one's possessor
            if c.dep_ == "conj" and c not in out:
                out.append(c)
                todo.append(c)
            # "the Ghost and Altius drones": the head noun stands for Altius, and Ghost is coordinated with it
            elif c.dep_ in ("compound", "nmod") and c._.entity is not None and c._.entity == t._.entity:
                for g in c.children:
                    if g.dep_ == "conj" and g._.entity is not None and g not in out:
                        out.append(g)
                        todo.append(g)
    for t in list(out):
        for c in _listed_after(t):
            if c not in out:
                out.append(c)
    return out


def _listed_after(tok: Token) -> list[Token]:
    """Names of the same kind written after the token in a list the parser did not coordinate:
    "Orvik Corp and Andes Electric building parts", "the Air Force's C-37 and E-11 aircraft"."""
    doc, out = tok.doc, []
    i = tok.i + 1
    while tok._.kind is not None and i + 1 < len(doc) and doc[i].lower_ in (",", "and", "or", "/"):
        nxt = doc[i + 1]
        if nxt.is_sent_start or nxt._.entity is None or nxt._.kind != tok._.kind or nxt._.entity == tok._.entity:
            break
        end = nxt.i
        while end + 1 < len(doc) and doc[end + 1]._.entity == nxt._.entity:
            end += 1
        if end + 1 < len(doc) and doc[end + 1].text in POSSESSIVE:
            break  # "Italy's Leonardo and Norcom's Vidar": Norcom owns the next name, it is not listed
        out.append(nxt)
        if doc[i].lower_ in ("and", "or"):
            break
        i += 2
    return out


def _misattached(tok: Token) -> list[Token]:
    """Names the parser coordinated one level too high, that share the token's role.

    "Pakistan's NUST and NESCOM": NESCOM is read as a conjunct of a name before NUST, yet the possessive is
    NUST's and NESCOM's (a later conjunct with no possessive of its own). "the purchase of TB2 drones in
    2021 and Akinci drones in 2023": the second drones hang from "purchase", not from the first.
    """
    out: list[Token] = []
    head = tok.head
    if tok.dep_ == "conj" and any(c.dep_ == "poss" for c in tok.children):
        out += [
            c
            for c in head.children
            if c.dep_ == "conj" and c.i > tok.i and not any(g.dep_ == "poss" for g in c.children)
        ]
    elif tok.dep_ == "pobj" and head.dep_ == "prep" and tok._.entity is not None:
        out += [
            c
            for c in head.head.children
            if c.dep_ == "conj" and c.i > tok.i and c._.entity is not None and c._.cls == tok._.cls
        ]
    return [c for c in out if c._.entity is not None]
