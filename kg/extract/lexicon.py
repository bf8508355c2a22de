"""The reference base as a matcher: known names → entities, built once per build.

A :class:`Lexicon` holds token-sequence tables over every label, alias and
acronym of the reference individuals, plus built-in country names and demonyms,
and matches them leftmost-longest in one pass over a document's tokens. (A spaCy
PhraseMatcher did the same job at a third of the speed: its tokenizer alone cost
more than half of the time budget of ~10 ms per 1,000-word article.) Build it once
(:meth:`Lexicon.from_graph`) and pass it to every :func:`kg.extract.extract` call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from kg.extract.countries import builtin_countries
from kg.extract.model import FINE_TO_COARSE

DK = Namespace("https://w3id.org/defence-kg/ontology#")


@dataclass(slots=True)
class LexEntry:
    """One known entity: its fine kind, canonical name, every name, reference IRI."""

    kind: str
    name: str
    names: set[str] = field(default_factory=set)
    iri: str | None = None
    demonyms: set[str] = field(default_factory=set)
    iso: str | None = None


TOKEN_RE = re.compile(r"\w+|[^\w\s]")
"""Words and single punctuation marks: names and texts are cut the same way, so "F-16", "U.S." and
"Israeli-made" match token by token."""


_UPPER = "".join(sorted({chr(c) for c in range(0x41, 0x250) if chr(c).isupper()}))
_CAPITALISED = re.compile("(?<![\\w])[" + re.escape(_UPPER) + "]\\w*")


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


class Lexicon:
    """Known names and the matchers over them. Immutable once built."""

    def __init__(self, entries: Iterable[LexEntry] = ()) -> None:
        self.entries: list[LexEntry] = []
        self.by_iso: dict[str, int] = {}
        by_name: dict[tuple[str, str], int] = {}
        for e in entries:
            key = (FINE_TO_COARSE.get(e.kind, "organization"), e.name)
            if key in by_name:
                old = self.entries[by_name[key]]
                old.names |= e.names
                old.demonyms |= e.demonyms
                continue
            by_name[key] = len(self.entries)
            self.entries.append(e)
            if e.iso:
                self.by_iso[e.iso] = by_name[key]
        self._add_builtin_countries()
        # surface (as written) → (entry index, is_demonym); acronyms and short all-caps names match
        # case-exactly ("RID" is not "rid"), longer names case-insensitively but capitalised in the text
        self.surface: dict[str, tuple[int, bool]] = {}
        self.folded_surface: dict[str, tuple[int, bool]] = {}
        self.exact: dict[tuple[str, ...], str] = {}
        self.folded: dict[tuple[str, ...], str] = {}
        for idx, e in enumerate(self.entries):
            for is_dem, names in ((False, e.names | {e.name}), (True, e.demonyms)):
                for n in sorted(names):
                    n = n.strip()
                    toks = tokens(n)
                    if len(n) < 2 or not toks:
                        continue
                    if is_dem or len(n) <= 5 or n.isupper() or any(c.isupper() for c in n[1:] if c.isalpha()):
                        self.surface.setdefault(n, (idx, is_dem))
                        self.exact.setdefault(tuple(toks), n)
                    else:
                        self.folded_surface.setdefault(n.lower(), (idx, is_dem))
                        self.folded.setdefault(tuple(t.lower() for t in toks), n.lower())
        self.max_tokens = max((len(k) for k in (*self.exact, *self.folded)), default=1)
        self.first_exact = {k[0] for k in self.exact}
        self.first_folded = {k[0] for k in self.folded}

    def match(self, text: str) -> list[tuple[int, int, str]]:
        """Known names in ``text``: (start, end, surface key), leftmost-longest, never overlapping."""
        out: list[tuple[int, int, str]] = []
        last_end = 0
        exact, folded, longest = self.exact, self.folded, self.max_tokens
        first_exact, first_folded = self.first_exact, self.first_folded
        for cm in _CAPITALISED.finditer(text):
            start = cm.start()
            if start < last_end:
                continue
            first = cm.group()
            in_exact, in_folded = first in first_exact, first.lower() in first_folded
            if not (in_exact or in_folded):
                continue
            window = [
                (m.end(), m.group())
                for _, m in zip(range(longest), TOKEN_RE.finditer(text, start, start + 160), strict=False)
            ]
            for k in range(len(window), 0, -1):
                words = [w for _, w in window[:k]]
                key = exact.get(tuple(words)) if in_exact else None
                if key is None and in_folded:
                    key = folded.get(tuple(w.lower() for w in words))
                if key is not None:
                    out.append((start, window[k - 1][0], key))
                    last_end = window[k - 1][0]
                    break
        return out

    def _add_builtin_countries(self) -> None:
        known_names = {n for e in self.entries if e.kind == "Country" for n in e.names | {e.name}}
        for iso, (canonical, names, demonyms) in builtin_countries().items():
            if iso in self.by_iso:
                e = self.entries[self.by_iso[iso]]
                e.names |= set(names)
                e.demonyms |= set(demonyms)
                continue
            owner = next(
                (i for i, e in enumerate(self.entries) if e.kind == "Country" and (e.names | {e.name}) & set(names)),
                None,
            )
            if owner is not None:
                self.entries[owner].names |= set(names)
                self.entries[owner].demonyms |= set(demonyms)
                self.by_iso[iso] = owner
                continue
            names = [n for n in names if n not in known_names]
            self.by_iso[iso] = len(self.entries)
            self.entries.append(LexEntry("Country", canonical, set(names), None, set(demonyms), iso))

    def lookup(self, surface: str) -> tuple[LexEntry, bool] | None:
        """The entry a surface form names, and whether it is a demonym.

        >>> Lexicon().lookup("Britain")[0].name
        'United Kingdom'
        """
        """The entry a surface form names, and whether it is a demonym."""
        hit = self.surface.get(surface) or self.folded_surface.get(surface.lower())
        if hit is None:
            return None
        return self.entries[hit[0]], hit[1]

    @classmethod
    def from_graph(cls, graph: Graph, *, countries_only: bool = False) -> Lexicon:
        """Read the reference individuals of ``graph`` (see the module doc).

        >>> from rdflib import Graph
        >>> lex = Lexicon.from_graph(Graph())
        >>> lex.lookup("Turkish")[0].name
        'Türkiye'
        """
        known = set(FINE_TO_COARSE)
        parents: dict[URIRef, set[URIRef]] = {}
        for c, p in graph.subject_objects(RDFS.subClassOf):
            if isinstance(c, URIRef) and isinstance(p, URIRef):
                parents.setdefault(c, set()).add(p)

        def fine_kind(cls_iri: URIRef) -> str | None:
            seen: set[URIRef] = set()
            todo = [cls_iri]
            while todo:
                c = todo.pop(0)
                if c in seen:
                    continue
                seen.add(c)
                local = str(c).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                if str(c).startswith(str(DK)) and local in known:
                    return local
                todo.extend(parents.get(c, ()))
            return None

        entries: list[LexEntry] = []
        for s in set(graph.subjects(RDF.type, None)):
            if not isinstance(s, URIRef):
                continue
            kinds = [k for t in graph.objects(s, RDF.type) if isinstance(t, URIRef) for k in [fine_kind(t)] if k]
            if not kinds:
                continue
            # the most specific: a kind that is not an ancestor of another one found
            kind = max(kinds, key=lambda k: _DEPTH.get(k, 1))
            if countries_only and kind != "Country":
                continue
            labels = [o for o in graph.objects(s, RDFS.label) if isinstance(o, Literal)]
            label = next((str(o) for o in labels if o.language in (None, "en")), str(labels[0]) if labels else None)
            if not label:
                continue
            names = {label}
            for p in (SKOS.altLabel, SKOS.prefLabel, DK.acronym):
                names |= {str(o) for o in graph.objects(s, p) if isinstance(o, Literal)}
            demonyms = {str(o) for o in graph.objects(s, DK.demonym) if isinstance(o, Literal)}
            iso = next((str(o).upper() for o in graph.objects(s, DK.isoCode) if isinstance(o, Literal)), None)
            if iso and len(iso) == 2:
                import pycountry

                c = pycountry.countries.get(alpha_2=iso)
                iso = c.alpha_3 if c else iso
            entries.append(LexEntry(kind, label, names, str(s), demonyms, iso if kind == "Country" else None))
        entries.sort(key=lambda e: (e.kind, e.name, e.iri or ""))
        return cls(entries)


_DEPTH = {
    "Organization": 1,
    "Company": 2,
    "GovernmentBody": 2,
    "JointVenture": 3,
    "Division": 3,
    "ArmedForce": 3,
    "Aircraft": 1,
    "UnmannedAerialVehicle": 2,
    "CombatAircraft": 2,
    "UnmannedCombatAerialVehicle": 3,
    "Person": 1,
    "Country": 1,
    "Place": 1,
    "Programme": 1,
}
