"""The reference base as names: every label, alias, acronym, demonym and capital of its individuals.

:class:`NameTable` is read from ``ontology/reference.ttl`` once per build (so an edit made in
Protégé takes effect in the next build) and becomes the patterns of the pipeline's
``kg_reference_names`` component (see :mod:`kg.extract.language`), a pair of spaCy
PhraseMatchers: one on the exact spelling (acronyms, short names, designators and
names with inner capitals: "KAI", "F-16", "McDonnell"), one case-folded (longer names:
"Indian Air Force" also matches "Indian air force"; the first word must not be lower case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg import vocab
from kg.extract.rulebook import Ontology

DEMONYM = "Demonym"
"""The label of a demonym match ("Turkish"): it names the country it belongs to."""


@dataclass(frozen=True)
class Known:
    """An individual of the reference base."""

    key: str  # its IRI
    cls: str  # its most specific class (local name)
    name: str  # its English label
    names: frozenset[str]  # label, alternative labels, acronyms
    demonyms: frozenset[str] = frozenset()
    capitals: frozenset[str] = frozenset()
    country: str | None = None  # IRI of the country it is based in (dk:country)
    makers: frozenset[str] = frozenset()  # IRIs of its manufacturers (aircraft)
    parents: frozenset[str] = frozenset()  # IRIs of its parent organisations (dk:parentOrganization)


@dataclass
class NameTable:
    """Known individuals and the surface forms that name them."""

    known: dict[str, Known] = field(default_factory=dict)
    exact: dict[str, set[tuple[str, bool]]] = field(default_factory=dict)  # surface -> {(key, is_demonym)}
    folded: dict[str, set[tuple[str, bool]]] = field(default_factory=dict)  # lower-cased surface -> ...
    organizations: set[str] = field(default_factory=set)  # keys of the known firms and bodies
    _first_words: set[str] = field(default_factory=set)  # lower-cased first words of every surface (built lazily)

    def add(self, known: Known, *, aircraft: bool = False) -> None:
        self.known[known.key] = known
        for name in known.names | known.capitals:
            if aircraft and self._starts_with_a_firm(name, known):
                continue  # "Embraer C-390" is read as the maker and the aircraft, which states who makes it
            self._surface(name, known.key, False)
            if aircraft and not name.endswith("s") and not _DESIGNATOR_END.search(name):
                self._surface(name + "s", known.key, False)  # "Gripens", "Black Hawks"
            if aircraft and (swapped := _popular_name_first(name)):
                self._surface(swapped, known.key, False)  # "C-130 Hercules" is also written "Hercules C-130"
        for name in known.demonyms:
            self.exact.setdefault(name, set()).add((known.key, True))

    def _starts_with_a_firm(self, name: str, aircraft: Known) -> bool:
        """Whether ``name`` is a firm's name followed by another of the aircraft's names ("TAI Anka-3")."""
        first, _, rest = name.partition(" ")
        if not rest or rest not in aircraft.names or first in aircraft.names:
            return False
        return any(
            k in self.organizations for k, _ in self.exact.get(first, set()) | self.folded.get(first.lower(), set())
        )

    def _surface(self, name: str, key: str, demonym: bool) -> None:
        name = " ".join(name.split())
        if len(name) < 2:
            return
        forms = {name, _fold_accents(name)}  # "Brasília" is also written "Brasilia"
        if _DESIGNATOR_END.search(name):  # "F-16" is written "F-16s" in the plural
            forms.add(name + "s")
        for form in forms:
            if _exact_only(form):
                self.exact.setdefault(form, set()).add((key, demonym))
            else:
                self.folded.setdefault(form.lower(), set()).add((key, demonym))

    def starts_a_name(self, word: str) -> bool:
        """Whether a capitalised word is a name of the reference base or the first word of one ("Piaggio" of
        "Piaggio Aerospace"), or a demonym.

        >>> t = NameTable(); t.add(Known("urn:x:pa", "Company", "Piaggio Aerospace", frozenset({"Piaggio Aerospace"})))
        >>> t.starts_a_name("Piaggio"), t.starts_a_name("Aerospace")
        (True, False)
        """
        if not self._first_words:
            for surface in (*self.exact, *self.folded):
                self._first_words.add(surface.split()[0].lower())
        return word.lower() in self._first_words

    def lookup(self, surface: str) -> list[tuple[Known, bool]]:
        """The individuals a surface form names (several when it is ambiguous).

        >>> t = NameTable(); t.add(Known("urn:x:tr", "Country", "Türkiye", frozenset({"Turkey"}), frozenset({"Turkish"})))
        >>> [(k.name, dem) for k, dem in t.lookup("Turkish")], [k.name for k, _ in t.lookup("TURKEY")]
        ([('Türkiye', True)], ['Türkiye'])
        """
        hits = self.exact.get(surface) or self.folded.get(surface.lower()) or set()
        return [(self.known[k], dem) for k, dem in sorted(hits)]

    def country_of_demonym(self, word: str) -> Known | None:
        hits = [k for k, dem in self.lookup(word) if dem]
        return hits[0] if len(hits) == 1 else None

    @classmethod
    def from_graph(cls, graph: Graph, ontology: Ontology, *, countries_only: bool = False) -> NameTable:
        """Every individual of ``graph`` typed with a class of the ontology.

        >>> from rdflib import Graph
        >>> g = Graph().parse(data='''@prefix dk: <https://w3id.org/defence-kg/ontology#> .
        ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ... <urn:x:kai> a dk:Company ; <http://www.w3.org/2000/01/rdf-schema#label> "Korea Aerospace Industries"@en ;
        ...     skos:altLabel "KAI" .''', format="turtle")
        >>> from kg.vocab import ONTOLOGY_FILE
        >>> onto = Ontology.from_graph(Graph().parse(ONTOLOGY_FILE))
        >>> t = NameTable.from_graph(g, onto)
        >>> [k.name for k, _ in t.lookup("KAI")], [k.name for k, _ in t.lookup("korea aerospace industries")]
        (['Korea Aerospace Industries'], ['Korea Aerospace Industries'])
        """
        table = cls()
        pending: list[Known] = []
        dk = str(vocab.DK)
        for s in sorted(set(graph.subjects(RDF.type, None)), key=str):
            if not isinstance(s, URIRef):
                continue
            classes = [
                str(t)[len(dk) :]
                for t in graph.objects(s, RDF.type)
                if isinstance(t, URIRef) and str(t).startswith(dk) and str(t)[len(dk) :] in ontology.classes
            ]
            if not classes:
                continue
            cls_name = max(classes, key=lambda c: (len(ontology.super_classes.get(c, ())), c))
            if countries_only and not ontology.is_a(cls_name, "Country"):
                continue
            labels = [o for o in graph.objects(s, RDFS.label) if isinstance(o, Literal)]
            label = next((str(o) for o in sorted(labels) if o.language in (None, "en")), None)
            if label is None:
                continue
            names = {label}
            for p in (SKOS.altLabel, SKOS.prefLabel, vocab.DK.acronym):
                names |= {str(o) for o in graph.objects(s, p) if isinstance(o, Literal)}
            country = graph.value(s, vocab.DK.country)
            pending.append(
                Known(
                    key=str(s),
                    cls=cls_name,
                    name=label,
                    names=frozenset(names),
                    demonyms=frozenset(str(o) for o in graph.objects(s, vocab.DK.demonym)),
                    capitals=frozenset(str(o) for o in graph.objects(s, vocab.DK.capital)),
                    country=str(country) if isinstance(country, URIRef) and not countries_only else None,
                    makers=frozenset(str(o) for o in graph.objects(s, vocab.DK.manufacturer) if not countries_only),
                    parents=frozenset(
                        str(o) for o in graph.objects(s, vocab.DK.parentOrganization) if not countries_only
                    ),
                ),
            )
        # organisations first, so that an aircraft's alias that starts with its maker's name is known as such
        table.organizations = {k.key for k in pending if ontology.is_a(k.cls, "Organization")}
        for known in sorted(pending, key=lambda k: (ontology.is_a(k.cls, "Aircraft"), k.key)):
            table.add(known, aircraft=ontology.is_a(known.cls, "Aircraft"))
        return table


_DESIGNATOR_END = re.compile(r"[A-Za-z]-?\d+[A-Z]?$")
_DESIGNATOR = re.compile(r"[A-Z]{1,4}-?\d+[A-Z]{0,2}")


def _popular_name_first(name: str) -> str | None:
    """An aircraft's name as the press also writes it, its popular name before its designator.

    >>> _popular_name_first("C-130 Hercules"), _popular_name_first("AH-64E Apache Guardian"), _popular_name_first("Rafale")
    ('Hercules C-130', 'Apache Guardian AH-64E', None)
    """
    designator, _, popular = name.partition(" ")
    if (
        not popular
        or not _DESIGNATOR.fullmatch(designator)
        or not all(w[:1].isupper() and w.isalpha() for w in popular.split())
    ):
        return None
    return f"{popular} {designator}"


def _fold_accents(name: str) -> str:
    """ "Brasília" -> "Brasilia", "Türkiye" -> "Turkiye", "Akıncı" -> "Akinci"."""
    import unicodedata

    s = name.replace("ı", "i").replace("İ", "I")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _exact_only(name: str) -> bool:
    """Short names, acronyms and names with inner capitals or digits match only as written."""
    letters = [c for c in name if c.isalpha()]
    return (
        len(letters) <= 4
        or name.isupper()
        or any(c.isdigit() for c in name)
        or any(c.isupper() for word in name.split() for c in word[1:] if c.isalpha())
    )
