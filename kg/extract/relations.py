"""Binary relations: the patterns of ``relations/<key>.yaml`` matched over the annotated parse.

Each file names a relation of the ontology (``dk:<key>``); its rules' ``s`` and ``o`` nodes
are constrained to the relation's ``rdfs:domain`` and ``rdfs:range`` as read from the
ontology, so a rule never restates them. A match yields a fact for the entities on ``s``
and ``o`` and every name coordinated with them ("Indonesia, the Philippines and Thailand
all fly the FA-50"), with the sentence as evidence and the rule's confidence.

A rule may say ``o: document-country`` (or ``s: ...``): the role is filled by the country
the article is about when the sentence names none (a minister's post, a "domestic" firm).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.extract.attributes import POSSESSIVE, based_after
from kg.extract.matching import RuleMatcher, conjuncts
from kg.extract.model import Evidence, Ref, Relation
from kg.extract.names import NameTable
from kg.extract.resolution import Entity, kind_of
from kg.extract.rulebook import Ontology, Rulebook
from kg.extract.rulebook import Relation as RelationRules


@dataclass
class Context:
    """One annotated document and what the fact finders share about it."""

    doc: Doc
    entities: list[Entity]
    refs: list[Ref]
    names: NameTable
    onto: Ontology
    published: str | None
    source: str | None = None  # the document as written (the parsed text may differ in case: see headlines)
    _country: Entity | None = field(default=None, init=False)

    def entity(self, tok: Token) -> Entity | None:
        return self.entities[tok._.entity] if tok._.entity is not None else None

    def entities_of(self, tok: Token) -> list[Entity]:
        """The entity a token names, or the entities a plural phrase stands for ("the two companies")."""
        if tok._.group:
            return [self.entities[i] for i in tok._.group]
        e = self.entity(tok)
        return [e] if e is not None else []

    def ref(self, ent: Entity) -> Ref:
        return self.refs[ent.index]

    def evidence(self, sent: Span, confidence: float, rule: str = "") -> Evidence:
        start = sent.start_char + _lead(sent.text)
        end = sent.start_char + len(sent.text.rstrip())
        text = self.source[start:end] if self.source is not None else sent.text.strip()
        return Evidence(text, start, end, confidence, rule)

    def document_country(self) -> Entity | None:
        """The country the article is most about: the one named most often (as a country, not an adjective)."""
        if self._country is None:
            counts: Counter[int] = Counter()
            for tok in self.doc:
                e = self.entity(tok)
                if e is not None and kind_of(e.cls, self.onto) == "Country":
                    counts[e.index] += 1 if tok._.demonym else 2
            if counts:
                self._country = self.entities[counts.most_common(1)[0][0]]
        return self._country

    def sentence_country(self, sent: Span, exclude: set[int]) -> Entity | None:
        """The first country the sentence names, but not one whose adjective belongs to another's title
        ("Prime Minister Jane Doe and Russian President John Roe": Russia is John Roe's), nor one the sentence
        names as a place ("a visit to Spain", "a Poland-based firm")."""
        for tok in sent:
            e = self.entity(tok)
            if e is None or kind_of(e.cls, self.onto) != "Country" or e.index in exclude:
                continue
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            if tok._.demonym and nxt is not None and nxt._.title:
                continue
            if based_after(tok):
                continue  # "a Poland-based firm": where the firm is
            if tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPOSITIONS:
                continue  # "during President Jane Doe's visit to Spain": where the holder goes, not whose post
            return e
        return None


_PLACE_PREPOSITIONS = frozenset({"to", "from", "in", "into", "at", "across", "against", "with"})


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def class_constraint(classes: frozenset[str]) -> dict[str, Any]:
    return {"_": {"cls": {"IN": sorted(classes)}}}


def sentences_with_names(doc: Doc, at_least: int = 2) -> list[Span]:
    """The sentences that name at least ``at_least`` entities: the only ones a relation can be read from."""
    out = []
    for sent in doc.sents:
        if sum(1 for t in sent if t._.named) >= at_least:
            out.append(sent)
    return out


class RelationFinder:
    def __init__(self, nlp: Language, book: Rulebook) -> None:
        self.book = book
        self.relation_of: dict[str, RelationRules] = {}
        rules = []
        for rel in book.relations:
            constraints = {"s": class_constraint(rel.domain), "o": class_constraint(rel.range)}
            for rule in rel.rules:
                rules.append((rule, constraints))
                self.relation_of[rule.key] = rel
        self.matcher = RuleMatcher(nlp.vocab, rules)

    def find(self, ctx: Context) -> list[Relation]:
        out: list[Relation] = []
        conditional: list[tuple[Relation, list[str]]] = []
        for rule, binding in self.matcher(ctx.doc, sentences_with_names(ctx.doc)):
            rel = self.relation_of[rule.key]
            subjects = _fill(ctx, binding, "s", rule.options, rel.domain)
            objects = _fill(ctx, binding, "o", rule.options, rel.range)
            anchor = binding.get("s") or binding.get("o") or next(iter(binding.values()))
            ev = ctx.evidence(anchor.sent, rule.confidence, rule.key)
            excluded = set(rel.options.get("exclude_subjects", []) or [])
            unless = _conditions(rel.options) + _conditions(rule.options)
            for s in subjects:
                if any(ctx.onto.is_a(s.cls, c) for c in excluded):
                    continue
                for o in objects:
                    if s.index != o.index:
                        fact = Relation(rel.key, ctx.ref(s), ctx.ref(o), ev)
                        if unless:
                            conditional.append((fact, unless))
                        else:
                            out.append(fact)
        return out + [f for f, unless in conditional if not any(_unless(ctx, f, c, out) for c in unless)]


def _conditions(options: dict[str, Any]) -> list[str]:
    value = options.get("unless") or []
    return [str(v) for v in ([value] if isinstance(value, str) else value)]


def _unless(ctx: Context, fact: Relation, condition: str, facts: list[Relation]) -> bool:
    """Whether an ``unless`` condition holds for ``fact``, as the article or the reference base says.

    ``maker``: the object makes the subject, or owns a firm that does (a firm that "signed for" the
    aircraft it builds is not its operator). ``maker-country``: the object is the country the subject's maker
    is based in ("a Turkish TB2" says where the TB2 comes from, not who flies it).
    """
    by_ref = {ctx.ref(e): e for e in ctx.entities}
    subject = by_ref.get(fact.subject)
    makers = {f.object for f in facts if f.key == "manufacturer" and f.subject == fact.subject}
    maker_keys = (
        set(ctx.names.known[subject.key].makers) if subject is not None and subject.key in ctx.names.known else set()
    )
    for m in makers:
        e = by_ref.get(m)
        if e is not None and e.key in ctx.names.known:
            maker_keys.add(e.key)
    target = by_ref.get(fact.object)
    target_key = target.key if target is not None else None
    if condition == "maker":
        makers |= {f.object for f in facts if f.key == "parentOrganization" and f.subject in makers}
        return fact.object in makers or (target_key is not None and target_key in maker_keys)
    if condition == "maker-country":
        countries = {f.object for f in facts if f.key == "country" and f.subject in makers}
        country_keys = {ctx.names.known[k].country for k in maker_keys}
        return fact.object in countries or (target_key is not None and target_key in country_keys)
    raise ValueError(f"unknown rule condition {condition!r}")  # the rulebook admits only rulebook.UNLESS


def _fill(
    ctx: Context, binding: dict[str, Token], role: str, options: dict[str, Any], classes: frozenset[str]
) -> list[Entity]:
    """The entities a role names: the bound token and its conjuncts, or the rule's fallback."""
    tok = binding.get(role)
    found: list[Entity] = []
    if tok is not None:
        named = conjuncts(tok) if options.get("conjuncts", True) else [tok]
        if role in options.get("possessed", ()):
            named += _possessed(tok)
        for t in named:
            for e in ctx.entities_of(t):
                if e.cls in classes and e not in found:
                    found.append(e)
    if not found and options.get(role) == "document-country":
        anchor = next(iter(binding.values()))
        taken = {x.index for t in binding.values() if (x := ctx.entity(t)) is not None}
        country = ctx.sentence_country(anchor.sent, taken) or ctx.document_country()
        if country is not None and country.cls in classes and country.index not in taken:
            found.append(country)
    return found


def _possessed(head: Token) -> list[Token]:
    """The words after a possessive, up to the end of the noun phrases it owns, where a list of names may
    stand: "the Air Force's Vexa K-1 patrol aircraft and T-4 jet trainer" names K-1 and T-4, however the
    parser attached them. The run ends at a word that is no part of a noun phrase ("the", "which", a verb)
    and before another possessor ("Poland's F-16s and Chile's F-5s")."""
    marks = [g for c in head.children if c.dep_ == "poss" for g in c.children if g.text in POSSESSIVE]
    if not marks:
        return []
    doc, out = head.doc, []
    for t in doc[marks[0].i + 1 : marks[0].sent.end]:
        if t.pos_ not in _NOUN_PHRASE or (t.i + 1 < len(doc) and doc[t.i + 1].text in POSSESSIVE):
            break
        out.append(t)
    return out


# the parts of speech a run of noun phrases is written in ("P-1 anti-submarine aircraft and T-4 jet trainer")
_NOUN_PHRASE = frozenset({"PROPN", "NOUN", "ADJ", "NUM", "CCONJ", "PUNCT", "X"})


def implied_by_names(ctx: Context, stated: list[Relation]) -> list[Relation]:
    """Facts a name states by itself: "Boeing Australia" is Boeing's, "Boeing 737-400" is Boeing's aircraft.

    The first name is the reference base's, or the name of another organisation of the article that the
    longer name starts with ("Vantor Aerospace" and "Vantor Aerospace Australia"), unless the article
    states the unit's parent outright ("Hanwha Defense Australia, a subsidiary of Hanwha Aerospace").
    """
    out: list[Relation] = []
    orgs = [e for e in ctx.entities if kind_of(e.cls, ctx.onto) == "Company" and e.tokens]
    for e in ctx.entities:
        parent = None
        if e.prefix_key and e.key != e.prefix_key:
            parent = next((p for p in ctx.entities if p.key == e.prefix_key), None)
        elif (
            kind_of(e.cls, ctx.onto) == "Company"
            and not e.key
            and not any(r.key == "parentOrganization" and r.subject == ctx.ref(e) for r in stated)
        ):
            longest = [p for p in orgs if p is not e and e.name.startswith(p.name + " ") and p.name not in e.labels]
            parent = max(longest, key=lambda p: len(p.name), default=None)
        if parent is None and e.key in ctx.names.known:
            parent = _known_prefix(ctx, e)
        if parent is None or not e.tokens or parent.index == e.index:
            continue
        kind = kind_of(e.cls, ctx.onto)
        ev = ctx.evidence(ctx.doc[e.tokens[0]].sent, 0.6, "names:prefix")
        if kind == "Aircraft" and kind_of(parent.cls, ctx.onto) in ("Company", "GovernmentBody"):
            out.append(Relation("manufacturer", ctx.ref(e), ctx.ref(parent), ev))
        elif kind == "Company" and kind_of(parent.cls, ctx.onto) == "Company":
            out.append(Relation("parentOrganization", ctx.ref(e), ctx.ref(parent), ev))
    return out


def countries_in_names(ctx: Context, stated: list[Relation]) -> list[Relation]:
    """A firm's name that starts with a country's name or adjective states where it is based: "Russian
    Helicopters", "Turkish Aerospace", "Korea Aerospace Industries" (the country must be one the article names,
    and the name must say more than the country; a state's body, "the Indian government", is left alone)."""
    out: list[Relation] = []
    have = {r.subject for r in stated if r.key == "country"}
    countries = {e.key: e for e in ctx.entities if e.key and kind_of(e.cls, ctx.onto) == "Country"}
    for e in ctx.entities:
        if ctx.ref(e) in have or not e.tokens or kind_of(e.cls, ctx.onto) != "Company":
            continue
        words = e.name.split()
        if words and words[0] in ("Royal", "The"):
            words = words[1:]
        for n in range(min(3, len(words) - 1), 0, -1):
            hits = [known for known, _ in ctx.names.lookup(" ".join(words[:n])) if known.cls == "Country"]
            country = next((countries[k.key] for k in hits if k.key in countries), None)
            if country is not None and country.index != e.index:
                ev = ctx.evidence(ctx.doc[e.tokens[0]].sent, 0.6, "names:country")
                out.append(Relation("country", ctx.ref(e), ctx.ref(country), ev))
                break
    return out


def known_facts_named(ctx: Context, stated: list[Relation]) -> list[Relation]:
    """Two names the reference base knows to be related, named in one sentence: an aircraft and its maker
    ("Embraer formalizes C-390 sales to Austria", "Pilatus is to supply its PC-21 trainers"), a unit and its parent.
    The sentence states the link as an analyst reads it; the reference base only tells which of the many pairs of
    a sentence it is. Only names the sentence itself holds. (A firm and its country named together are not: "KAI
    beat Lockheed for Poland's order" says nothing of where KAI is based, measured worse than leaving it.)"""
    out: list[Relation] = []
    have = {(r.key, r.subject, r.object) for r in stated}
    for sent in ctx.doc.sents:
        named = {t._.entity for t in sent if t._.named and t._.entity is not None and not t._.demonym}
        ents = [ctx.entities[i] for i in sorted(named)]
        for a in ents:
            known = ctx.names.known.get(a.key or "")
            if known is None:
                continue
            for key, targets in (("manufacturer", known.makers), ("parentOrganization", known.parents)):
                for m in ents:
                    fact = (key, ctx.ref(a), ctx.ref(m))
                    if m.key in targets and m.index != a.index and fact not in have:
                        have.add(fact)
                        out.append(Relation(key, ctx.ref(a), ctx.ref(m), ctx.evidence(sent, 0.6, f"names:known-{key}")))
    return out


def _known_prefix(ctx: Context, e: Entity) -> Entity | None:
    """The maker or parent a known name starts with, as the reference base knows it and the article names it
    too: "Leonardo Helicopters" (Leonardo's), "BAE Hawk" (BAE Systems')."""
    known = ctx.names.known[e.key]  # type: ignore[index]
    related = known.makers | known.parents
    if not related:
        return None
    for other in ctx.entities:
        if other.key not in related or other.index == e.index:
            continue
        names = ctx.names.known[other.key].names | {other.name} | other.labels
        if any(label.startswith(n + " ") for label in e.labels for n in names):
            return other
    return None
