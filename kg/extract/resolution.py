"""Mentions → the document's entities: which names are the same thing, and what kind of thing.

Within a document, names are grouped when they are

- the same individual of the reference base, or the same name (case, accents and a legal
  suffix aside: "IHI Corp" and "IHI");
- an acronym and what it abbreviates ("Hindustan Aeronautics Limited (HAL)", or "MHI"
  beside "Mitsubishi Heavy Industries" with no brackets);
- a short form of an organisation's name ("Lockheed" for "Lockheed Martin", "Rolls" for
  "Rolls-Royce"; but not "Boeing" for "Boeing Australia", whose second word is a place);
- a person's surname, or last two names ("Benitez", "Lund Poulsen").

Each group's class is the one with the most weight of evidence over all its mentions (the
reference base's class when it knows the name). Names then become single tokens, and
pronouns and definite noun phrases that refer to an entity ("it", "the company", "the
Brazilian manufacturer", "the aircraft") are annotated with that entity (see
:mod:`kg.extract.attributes`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.extract import attributes as _attributes  # noqa: F401  (registers the token attributes)
from kg.extract.cues import Cues
from kg.extract.mentions import Mention, TitleSpan, Weights, _abbreviates
from kg.extract.names import NameTable
from kg.extract.rulebook import Ontology

# The kinds an entity is scored as, most specific class first within each (see FACTS.md).
KINDS = ("Company", "GovernmentBody", "Organization", "Person", "Country", "Aircraft", "Programme", "Place")


@dataclass
class Entity:
    index: int
    cls: str
    name: str
    labels: set[str]
    key: str | None = None  # the reference base's IRI
    mentions: list[int] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)  # token positions after names are merged
    prefix_key: str | None = None  # a known organisation that starts its name
    demonym_only: bool = False  # a country named only by its adjective
    weak: bool = False  # named once, and only the NER says what it is: kept only if a fact needs it


def fold(text: str) -> str:
    """Case, accents, possessive and punctuation folded.

    >>> fold("Türkiye’s"), fold("KAI’s"), fold("Rolls-Royce")
    ('turkiye', 'kai', 'rolls royce')
    """
    s = text.replace("ı", "i").replace("İ", "I")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"['’]s?$", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


class _Groups:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def kind_of(cls: str, onto: Ontology) -> str | None:
    return next((k for k in KINDS if onto.is_a(cls, k)), None)


def resolve(doc: Doc, mentions: list[Mention], cues: Cues, names: NameTable, onto: Ontology) -> list[Entity]:
    """Group mentions into entities and choose each entity's class and name."""
    live = [n for n, m in enumerate(mentions) if not m.drop]
    groups = _Groups(len(mentions))
    texts = {n: mentions[n].text(doc) for n in live}
    keyed: dict[str, int] = {}
    by_text: dict[str, int] = {}
    legal = {fold(s) for s in cues.legal_suffixes}
    for n in live:
        m = mentions[n]
        if m.key:
            if m.key in keyed:
                groups.union(keyed[m.key], n)
            keyed.setdefault(m.key, n)
        folded = _strip_legal(fold(_PLURAL.sub(r"\1", texts[n])), legal)
        if folded in by_text and not (m.key and mentions[by_text[folded]].key not in (None, m.key)):
            groups.union(by_text[folded], n)
        by_text.setdefault(folded, n)
    for n in live:
        m = mentions[n]
        if m.acronym_of is not None and not mentions[m.acronym_of].drop:
            if not (m.key and mentions[m.acronym_of].key and m.key != mentions[m.acronym_of].key):
                groups.union(m.acronym_of, n)

    def totals() -> dict[int, Weights]:
        out: dict[int, Weights] = defaultdict(Weights)
        for n in live:
            out[groups.find(n)].add(mentions[n].scores)
        return out

    def keys_of(root: int) -> set[str]:
        return {mentions[n].key for n in live if groups.find(n) == root and mentions[n].key}  # type: ignore[misc]

    # an acronym written without brackets, for a long form in the same document ("MHI", "USMC")
    longs = [n for n in live if len(mentions[n].span(doc)) > 1 and not mentions[n].demonym]
    for n in live:
        text = texts[n]
        if len(mentions[n].span(doc)) == 1 and text.isalpha() and text.isupper() and 2 <= len(text) <= 6:
            cands = {groups.find(b) for b in longs if _abbreviates(text, texts[b])}
            if len(cands) == 1:
                root = cands.pop()
                if not (keys_of(root) and mentions[n].key and mentions[n].key not in keys_of(root)):
                    groups.union(root, n)

    # "C-390" and "C-390 Millennium", "MQ-28A" and "MQ-28A Ghost Bat", "AW109" and "AW109 Powers": one aircraft
    by_designator: dict[str, list[int]] = defaultdict(list)
    for n in live:
        first = mentions[n].span(doc)[0].text
        head = cues.name_heads.ending([t.lower_ for t in mentions[n].span(doc)])
        if head is not None and kind_of(head[1], onto) != "Aircraft":
            continue  # "B-52 Commercial Engine Replacement Program" is a programme
        if cues.is_designator(first) and not mentions[n].demonym:
            by_designator[_PLURAL.sub(r"\1", first)].append(n)
    for ns in by_designator.values():
        keys = {mentions[n].key for n in ns if mentions[n].key}
        if len(keys) <= 1 and len({groups.find(n) for n in ns}) > 1:
            for n in ns[1:]:
                groups.union(ns[0], n)

    # class of each group so far, for the short-form and surname rules
    def classes() -> dict[int, str | None]:
        by_root: dict[int, list[Mention]] = defaultdict(list)
        for n in live:
            by_root[groups.find(n)].append(mentions[n])
        return {root: _choose(sc, by_root[root], names, onto, cues) for root, sc in totals().items()} | {
            root: _choose(Weights(), group, names, onto, cues)
            for root, group in by_root.items()
            if not any(m.scores for m in group)
        }

    cls_of = classes()
    cued_roots = {groups.find(n) for n in live if mentions[n].cued}
    long_words_of = {b: texts[b].replace("-", " ").split() for b in longs}
    for n in live:
        m = mentions[n]
        span = m.span(doc)
        if len(span) > 2 or m.demonym:
            continue
        root = groups.find(n)
        cls = cls_of.get(root)
        words = texts[n].split()
        weak = root not in cued_roots
        for b in longs:
            rb = groups.find(b)
            if rb == root:
                continue
            long_cls = cls_of.get(rb)
            long_words = long_words_of[b]
            if long_words[-1] != words[-1] and long_words[0] != words[0]:
                continue
            if long_cls and kind_of(long_cls, onto) == "Person":
                # a surname or the last two names of a person named in full
                if (
                    len(long_words) > len(words)
                    and long_words[-len(words) :] == words
                    and (cls in (None, "Person") or weak)
                ):
                    if not m.key:
                        groups.union(rb, root)
                        break
            elif long_cls and kind_of(long_cls, onto) == "Company" and len(span) == 1 and cls in (None, "Company"):
                # "Lockheed" for "Lockheed Martin": the rest of the long name is not a sector, a place or a unit
                rest = [w.lower() for w in long_words[1:]]
                if long_words[0] == words[0] and rest and not m.key and not mentions[b].prefix_key:
                    tail = cues.name_heads.ending(rest)
                    generic = all(w in cues.generic_tails for w in rest)
                    division = any(w in ("and", "&") for w in rest)  # "Airbus" is not "Airbus Defence and Space"
                    if (tail is None or generic) and not division and not any(names.lookup(w) for w in long_words[1:]):
                        groups.union(rb, root)
                        break

    # "the Tempest program" and "Tempest": one programme, unless the bare name is typed as something else
    # (the Kaan aircraft beside "the Kaan fighter program")
    programmes: dict[str, set[int]] = defaultdict(set)
    for b in live:
        if (c := cls_of.get(groups.find(b))) and kind_of(c, onto) == "Programme":
            words = texts[b].split()
            head = cues.name_heads.ending([w.lower() for w in words])
            if head is not None and head[1] == "Programme" and head[0] < len(words):
                programmes[" ".join(words[: -head[0]])].add(groups.find(b))
            if base := mentions[b].base:  # "the Stormbird fighter program" is the Stormbird programme
                programmes[base].add(groups.find(b))
    for n in live:
        root, cls = groups.find(n), cls_of.get(groups.find(n))
        found = programmes.get(texts[n], set()) - {root}
        if len(found) == 1 and (cls is None or kind_of(cls, onto) == "Programme"):
            other = found.pop()
            if not (keys_of(root) and keys_of(other) and keys_of(root) != keys_of(other)):
                groups.union(other, root)

    # "the Air Force" is the article's one air force ("U.S. Air Force"), named before or after
    for n in live:
        m = mentions[n]
        if m.source != "generic":
            continue
        words = texts[n].lower().split()
        forces = {
            groups.find(b)
            for b in live
            if b != n
            and mentions[b].source != "generic"
            and len(texts[b].split()) > len(words)
            and texts[b].lower().split()[-len(words) :] == words
        }
        if len(forces) == 1:
            groups.union(forces.pop(), n)
        else:
            m.drop = True
    # a headline's short name for a firm the body names in full: "Hanwha Wins ..." for "Hanwha Aerospace"
    for n in live:
        m = mentions[n]
        sent = m.span(doc).sent
        if (
            len(m.span(doc)) != 1
            or m.key
            or not (sent.start == 0 or all(t.is_title or t.is_upper for t in sent if t.is_alpha))
        ):
            continue  # (a headline: the first line, or a line in title case)
        full = {groups.find(b) for b in longs if texts[b].split()[0] == texts[n] and groups.find(b) != groups.find(n)}
        alone_in_body = any(
            groups.find(k) == groups.find(n)
            and k != n
            and mentions[k].span(doc).sent.start != 0
            and not all(t.is_title or t.is_upper for t in mentions[k].span(doc).sent if t.is_alpha)
            for k in live
        )
        if len(full) == 1 and not alone_in_body:
            groups.union(full.pop(), n)

    cls_of = classes()
    members: dict[int, list[int]] = defaultdict(list)
    for n in live:
        members[groups.find(n)].append(n)
    entities: list[Entity] = []
    for root in sorted(members, key=lambda r: mentions[members[r][0]].start):
        members[root] = [n for n in members[root] if not mentions[n].drop]
        if not members[root]:
            continue
        cls = cls_of.get(root)
        if cls is None:
            continue
        group = [mentions[n] for n in members[root]]
        key = next((m.key for m in group if m.key and names.known[m.key].cls == cls), None) or next(
            (m.key for m in group if m.key), None
        )
        surface = [texts[n] for n in members[root]]
        labels = set(surface)
        # "the TF-X project" is also called TF-X, unless the article names something else so ("the Kaan fighter
        # program" beside the Kaan aircraft)
        others = {texts[k] for k in live if groups.find(k) != root}
        labels |= {m.base for m in group if m.base and m.base not in others}
        if key:
            known = names.known[key]
            name = known.name
        elif any(m.canonical for m in group):
            name = next(m.canonical for m in group if m.canonical)
            labels.add(name)
        else:
            long_forms = [texts[n] for n in members[root] if mentions[n].acronym_of is None and not mentions[n].demonym]
            pool = long_forms or surface
            name = max(pool, key=lambda s: (len(s.split()), len(s), -surface.index(s)))
        ent = Entity(
            len(entities),
            cls,
            _singular(name, cls, onto),
            {_singular(x, cls, onto) for x in labels},
            key,
            members[root],
            prefix_key=next((m.prefix_key for m in group if m.prefix_key), None),
            demonym_only=all(m.demonym for m in group),
            weak=not key and len(group) == 1 and not any(m.cued for m in group),
        )
        entities.append(ent)
    return entities


def _strip_legal(folded: str, legal: set[str]) -> str:
    words = folded.split()
    while len(words) > 1 and words[-1] in legal:
        words.pop()
    return " ".join(words)


_PLURAL = re.compile(r"(\d[A-Z]?)(?:s|’s|'s)$")


def _singular(name: str, cls: str, onto: Ontology) -> str:
    """ "F-16s" names the F-16: a designator's plural is not part of the aircraft's name."""
    if onto.is_a(cls, "Aircraft"):
        return _PLURAL.sub(r"\1", name)
    return name


def _choose(scores: Weights, group: list[Mention], names: NameTable, onto: Ontology, cues: Cues) -> str | None:
    """The class of a group of mentions: the reference base's, or the kind with the most weight."""
    known = [names.known[m.key] for m in group if m.key]
    if known:
        return Counter(k.cls for k in known).most_common(1)[0][0]
    if not scores:
        return None
    by_kind = Weights()
    for cls, weight in scores.items():
        kind = kind_of(cls, onto)
        if kind:
            by_kind[kind] += weight
    if not by_kind:
        return None
    kind, weight = max(by_kind.items(), key=lambda kv: (kv[1], -KINDS.index(kv[0])))
    if weight < cues.weight("threshold"):
        return None
    if kind == "Person" and not any(m.cued for m in group) and all(m.end - m.start == 1 for m in group):
        return None  # one word the NER calls a person, with nothing else to say so ("Shakti", "Hivemind")
    # most mentions say it is not that kind: "the F404 engine" (the F404 is no aircraft)
    vetoed = sum(1 for m in group if any(onto.is_a(kind, v) for v in m.vetoes))
    backed = sum(1 for m in group if any(kind_of(c, onto) == kind for c in m.scores if m.scores[c] > 0))
    if vetoed and vetoed >= backed:
        return _choose(Weights({c: w for c, w in scores.items() if kind_of(c, onto) != kind}), [], names, onto, cues)
    # the most specific class of that kind that has evidence of its own
    within = [c for c in scores if kind_of(c, onto) == kind and scores[c] > 0]
    return max(within, key=lambda c: (len(onto.super_classes.get(c, ())), scores[c], c))


# --- merging names into tokens ---------------------------------------------------------------------


def merge(doc: Doc, mentions: list[Mention], titles: list[TitleSpan], entities: list[Entity], onto: Ontology) -> Doc:
    """Make every entity mention and title one token, annotated (see :mod:`kg.extract.attributes`)."""
    owner: dict[int, Entity] = {n: e for e in entities for n in e.mentions}
    spans: list[tuple[int, int, Entity | None, TitleSpan | None]] = []
    demonym_at: set[int] = set()
    for n, m in enumerate(mentions):
        if n in owner:
            spans.append((m.start, m.end, owner[n], None))
            if m.demonym:
                demonym_at.add(m.start)
    taken = [False] * len(doc)
    for s, e, _, _ in spans:
        for i in range(s, e):
            taken[i] = True
    for t in titles:
        if not any(taken[i] for i in range(t.start, t.end)):
            spans.append((t.start, t.end, None, t))
    spans.sort(key=lambda x: x[0])
    with doc.retokenize() as retok:
        for s, e, _, _ in spans:
            if e - s > 1:
                retok.merge(doc[s:e])
    shift = 0
    for s, e, ent, title in spans:
        i = s - shift
        tok = doc[i]
        if ent is not None:
            tok._.cls = ent.cls
            tok._.kind = onto.kind_segment(ent.cls)
            tok._.entity = ent.index
            tok._.named = True
            tok._.demonym = s in demonym_at
            ent.tokens.append(i)
        elif title is not None:
            tok._.title = True
            tok._.state_title = title.state
        shift += e - s - 1
    return doc


# --- the parse, repaired where names confuse it --------------------------------------------------------


def repair(doc: Doc, onto: Ontology) -> None:
    """ "types such as the Lockheed Martin F-35A and Boeing E-7A": a maker's name before an aircraft's is a
    modifier of it, whatever the parser made of the designator; the aircraft heads the phrase."""
    for tok in doc[:-1]:
        nxt = doc[tok.i + 1]
        if not (
            tok._.cls and nxt._.cls and kind_of(tok._.cls, onto) == "Company" and kind_of(nxt._.cls, onto) == "Aircraft"
        ):
            continue
        if (
            nxt.head.i == tok.head.i
            and nxt.dep_ in ("punct", "dep", "npadvmod", "appos", "prep")
            and tok.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr")
        ):
            # "Malaysia opts KAI FA-50": the aircraft hangs beside its maker's name; it is what is meant
            nxt.head, nxt.dep_ = tok.head, tok.dep_
            tok.head, tok.dep_ = nxt, "compound"
            continue
        if nxt.head.i != tok.i or tok.head.i == nxt.i:
            continue
        head, dep = tok.head, tok.dep_
        moved = [c for c in tok.children if c.i != nxt.i and c.dep_ in ("conj", "cc", "prep", "appos", "punct")]
        nxt.head = head if head.i != tok.i else nxt
        nxt.dep_ = dep
        tok.head = nxt
        tok.dep_ = "compound"
        for c in moved:
            c.head = nxt
    _fronted_subjects(doc)


def _fronted_subjects(doc: Doc) -> None:
    """ "With plans to buy 42 jets, the Air Force (JASDF) has negotiated ...": after a fronted phrase the parser
    hangs the subject on the phrase as an apposition and leaves the verb with none; the name just before the
    verb (its auxiliaries and adverbs aside) is its subject."""
    for verb in doc:
        if (
            verb.pos_ not in ("VERB", "AUX")
            or verb.dep_ not in ("ROOT", "ccomp")
            or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.children)
        ):
            continue
        k = verb.i - 1
        while k >= verb.sent.start and (
            (doc[k].head.i == verb.i and doc[k].dep_ in ("aux", "auxpass", "advmod", "neg"))
            or doc[k].text in ("(", ")")
            or (doc[k].dep_ == "appos" and k > 0 and doc[k - 1].text == "(")
        ):
            k -= 1
        if k < verb.sent.start or not doc[k]._.named or doc[k].dep_ != "appos":
            continue
        if k > verb.sent.start and doc[doc[k].left_edge.i - 1].text == ",":
            doc[k].head, doc[k].dep_ = verb, "nsubj"


# --- noun phrases that stand for a name -------------------------------------------------------------


def annotate_heads(doc: Doc, entities: list[Entity], cues: Cues, onto: Ontology) -> None:
    """Annotate common nouns that stand for a name next to them.

    - a cue noun whose modifier is a name of its kind: "the Gripen fighter jets", "Black Hawk helicopters";
    - a container: "an initial batch of 18 FA-50s", "a fleet of F-16s";
    - a polity noun with a country's adjective: "the Saudi government" is Saudi Arabia.
    """
    by_index = {e.index: e for e in entities}
    for tok in doc:
        if tok._.entity is None and tok.like_num and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"):
            # "will buy 12 of its KD-40 trainers"
            for c in tok.children:
                objs = (
                    [g for g in c.children if g.dep_ == "pobj" and g._.entity is not None] if c.lower_ == "of" else []
                )
                if objs:
                    tok._.entity, tok._.cls, tok._.named = objs[0]._.entity, objs[0]._.cls, True
            continue
        if tok._.entity is not None or tok.pos_ not in ("NOUN", "PROPN") or not tok.is_lower:
            continue
        low = tok.lower_
        target = None
        hit = cues.cue_nouns.at([low], 0)
        mods = [c for c in tok.children if c.dep_ in ("compound", "nmod", "amod", "nummod") and c._.entity is not None]

        if not mods and tok.i > 0 and doc[tok.i - 1]._.entity is not None and not doc[tok.i - 1]._.demonym:
            mods = [doc[tok.i - 1]]  # "24 AR-8 jets" parsed with the name hanging on the number
        if hit is not None:
            kind = kind_of(hit[1], onto)
            same = [c for c in mods if not c._.demonym and kind_of(c._.cls, onto) == kind]
            # "to acquire drone maker Pinecrest Robotics": the name in apposition to the noun
            same = same or [
                c
                for c in tok.children
                if c.dep_ == "appos"
                and c.i == tok.i + 1
                and c._.entity is not None
                and kind_of(c._.cls, onto) == kind
                and tok.tag_ != "NNS"  # (a plural noun lists its names: "Dutch companies Fokker Services and GKN")
            ]
            if same:
                target = by_index[same[-1]._.entity]
        if target is None and low in cues.polity_nouns:
            countries = [c for c in mods if c._.demonym or kind_of(c._.cls, onto) == "Country"]
            if countries:
                target = by_index[countries[0]._.entity]
        if target is None and low in cues.list_nouns and tok._.group is None:
            # "30 countries, including Ukraine and Azerbaijan", "Dutch companies Fokker Services and GKN Fokker"
            listed: list[Token] = []
            for c in tok.children:
                if c.dep_ == "appos" and c._.entity is not None:
                    listed.append(c)
                elif c.dep_ == "prep" and c.lower_ in ("including", "like", "notably", "as"):
                    listed += [g for g in c.children if g.dep_ == "pobj" and g._.entity is not None]
            for t in list(listed):
                listed += [c for c in t.children if c.dep_ == "conj" and c._.entity is not None and c not in listed]
            if listed:
                tok._.group = list(dict.fromkeys(t._.entity for t in listed))
                tok._.cls, tok._.named = listed[0]._.cls, True
                continue
        if target is None and low in cues.containers:
            inside = [c for c in mods if not c._.demonym and kind_of(c._.cls, onto) == "Aircraft"]
            if inside:  # "its ageing An-32 fleet"
                target = by_index[inside[-1]._.entity]
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    objs = [g for g in c.children if g.dep_ == "pobj" and g._.entity is not None]
                    if objs:
                        target = by_index[objs[0]._.entity]
        if target is not None:
            tok._.entity = target.index
            tok._.named = True
            tok._.cls = target.cls


# --- anaphora ---------------------------------------------------------------------------------------

_PRONOUNS = {"it", "its", "they", "their", "them"}


def annotate_anaphora(doc: Doc, entities: list[Entity], cues: Cues, names: NameTable, onto: Ontology) -> None:
    """Annotate pronouns and definite noun phrases with the entity they most likely refer to."""
    recent: list[tuple[int, Entity]] = []  # (token, entity), text order
    by_index = {e.index: e for e in entities}
    for sent in doc.sents:
        for tok in sent:
            if tok._.entity is not None:
                if not tok._.demonym:
                    recent.append((tok.i, by_index[tok._.entity]))
                continue
            target = None
            low = tok.lower_
            if low in ("they", "them", "their") and tok.pos_ == "PRON" and (subjects := _coordinated_subject(tok)):
                # "X, Y and Z said they will be partners": the names the clause's subject coordinates
                tok._.group = [t._.entity for t in subjects]
                tok._.cls, tok._.named = subjects[0]._.cls, True
                continue
            if low in _PRONOUNS and tok.pos_ == "PRON":
                target = _pronoun_target(tok, recent, onto)
            elif low in ("which", "who", "that") and tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "relcl":
                # "the US Air Force, which selected the Super Tucano": the relative pronoun is the name it follows
                # (no new mention: the pronouns after it still look back to the names themselves)
                head = tok.head.head
                if head._.entity is not None and not head._.demonym and head._.group is None:
                    tok._.entity, tok._.named, tok._.cls = head._.entity, True, head._.cls
                continue
            elif low in ("latter", "former") and any(c.lower_ == "the" for c in tok.children):
                target = _latter_former(low, recent, onto)
            elif tok.tag_ == "NNS" and _plural_reference(tok):
                hit = cues.cue_nouns.at([low], 0)
                if hit is not None:
                    group = _group_target(tok, hit[1], recent, onto)
                    if group:
                        tok._.group = [e.index for e in group]
                        tok._.cls = group[0].cls
                        tok._.named = True
                continue
            elif tok.pos_ == "NOUN" and any(
                c.lower_ in ("the", "this", "these", "those") for c in tok.children if c.dep_ == "det"
            ):
                hit = cues.cue_nouns.at([low], 0)
                head = tok.head
                if (
                    hit is not None
                    and tok.dep_ == "appos"
                    and head._.entity is not None
                    and not head._.demonym
                    and head._.group is None
                ):
                    # "Vidar Brasov, the Romanian state aerospace company": the name the noun is in apposition to
                    if kind_of(head._.cls, onto) == kind_of(hit[1], onto):
                        target = by_index[head._.entity]
                elif hit is not None and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                    target = _noun_target(tok, hit[1], recent, by_index, names, onto)
            if target is not None:
                tok._.entity = target.index
                tok._.named = True
                tok._.cls = target.cls
                recent.append((tok.i, target))
        recent = recent[-200:]


def _coordinated_subject(tok: Token) -> list[Token]:
    """The names coordinated as the subject of a verb above a plural pronoun, before it ("Halvard, Vantor and
    Pinecrest said they ..."), or none."""
    node = tok
    for _ in range(6):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ not in ("VERB", "AUX"):
            continue
        for child in node.children:
            if child.dep_ == "nsubj" and child.i < tok.i and child._.entity is not None:
                names = [child, *(c for c in child.subtree if c.dep_ == "conj" and c._.entity is not None)]
                return names if len({t._.entity for t in names}) >= 2 else []
    return []


def _plural_reference(tok: Token) -> bool:
    """ "the two companies", "both nations", "the companies", "both sides"."""
    words = {c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "predet", "amod")}
    return bool(words & {"both", "two"}) or (words == {"the"})


def _group_target(tok: Token, cls: str, recent: list[tuple[int, Entity]], onto: Ontology) -> list[Entity]:
    """The last two entities of the noun's kind named before it ("TUSAS and BAE ... the two companies")."""
    kind = kind_of(cls, onto)
    if kind not in ("Company", "GovernmentBody", "Country", "Organization"):
        return []
    # the two the article has named most so far; the latest named first among equals
    seen: dict[int, tuple[int, int, Entity]] = {}
    for i, ent in recent:
        if i < tok.i and kind_of(ent.cls, onto) in _PARTY_KINDS.get(kind, (kind,)):
            count = seen[ent.index][0] + 1 if ent.index in seen else 1
            seen[ent.index] = (count, i, ent)
    ranked = sorted(seen.values(), key=lambda x: (-x[0], -x[1]))
    return [e for _, _, e in ranked[:2]] if len(ranked) >= 2 else []


_PARTY_KINDS = {
    "Company": ("Company",),
    "Country": ("Country",),
    "GovernmentBody": ("GovernmentBody", "Country"),
    "Organization": ("Company", "GovernmentBody", "Organization"),
}


def _latter_former(which: str, recent: list[tuple[int, Entity]], onto: Ontology) -> Entity | None:
    """ "the latter": the last entity named; "the former": the one named before it, of the same kind."""
    if not recent:
        return None
    last = recent[-1][1]
    if which == "latter":
        return last
    kind = kind_of(last.cls, onto)
    for _, ent in reversed(recent[:-1]):
        if ent.index != last.index and kind_of(ent.cls, onto) == kind:
            return ent
    return None


def _co_arguments(tok: Token) -> set[int]:
    """Entities that fill another slot of the verb this token depends on (one cannot buy oneself)."""
    verb = tok
    while verb.dep_ not in ("ROOT",) and verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return {t._.entity for t in verb.subtree if t._.entity is not None and t.i != tok.i}


def _pronoun_target(tok: Token, recent: list[tuple[int, Entity]], onto: Ontology) -> Entity | None:
    """What "it" or "its" refers to: the name the phrase around it hangs on ("Baykar, best known for its
    TB2"), or the subject of its clause ("Embraer has strengthened its bid"; none for "their" when that subject
    is an aircraft), or the last organisation or country named before it."""
    wanted = ("Company", "GovernmentBody", "Country")
    node = tok
    seen = 0
    while node.head.i != node.i and seen < 8:
        node, seen = node.head, seen + 1
        if node._.entity is not None and node.i < tok.i and kind_of(node._.cls, onto) in wanted:
            return _entity_of(node, recent)
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child._.entity is not None and child.i < tok.i:
                    if kind_of(child._.cls, onto) in wanted:
                        return _entity_of(child, recent)
                    if tok.lower_ in ("their", "they", "them") and kind_of(child._.cls, onto) == "Aircraft":
                        return None  # "the Super Tucanos flew ... to their destination": the aircraft's own
            if node.dep_ not in ("xcomp", "conj", "advcl", "acl", "relcl", "ccomp", "pcomp"):
                break
    if tok.lower_ in ("it", "they", "them"):
        return None  # a subject pronoun with no antecedent in its sentence is too often not a name's
    for i, ent in reversed(recent):
        if i < tok.i and kind_of(ent.cls, onto) in wanted:
            return ent
    return None


def _entity_of(tok: Token, recent: list[tuple[int, Entity]]) -> Entity | None:
    for _, ent in reversed(recent):
        if ent.index == tok._.entity:
            return ent
    return None


def _noun_target(
    tok: Token,
    cls: str,
    recent: list[tuple[int, Entity]],
    by_index: dict[int, Entity],
    names: NameTable,
    onto: Ontology,
) -> Entity | None:
    kind = kind_of(cls, onto)
    if kind is None or kind in ("Person", "Place"):
        return None
    excluded = _co_arguments(tok)
    # "the Brazilian company": an adjective of nationality narrows the choice
    demonyms = [c for c in tok.children if c._.demonym and c._.entity is not None]
    country = by_index[demonyms[0]._.entity].key if demonyms else None
    candidates = [
        ent
        for i, ent in reversed(recent)
        if i < tok.i and kind_of(ent.cls, onto) == kind and ent.index not in excluded and not ent.demonym_only
    ]
    if kind == "Aircraft" and candidates:
        # "the aircraft", "the type": the aircraft the article is about, the one it has named most so far
        counts: dict[int, int] = defaultdict(int)
        for i, ent in recent:
            if i < tok.i and ent in candidates:
                counts[ent.index] += 1
        best = max(counts.values())
        return next(e for e in candidates if counts[e.index] == best)
    if country:
        known = [e for e in candidates if e.key and names.known[e.key].country == country]
        if known:
            return known[0]
    return candidates[0] if candidates else None
