"""A parsed document → the names in it, each with the evidence for what kind of thing it is.

Two sources propose names: the reference base's names (``doc.spans["reference"]``) and the
statistical NER (``doc.ents``). Names are read as *runs*: maximal sequences of tokens that
either source marks, proper nouns and aircraft designators, joined by "&", a tight hyphen,
a lower-case name particle ("Bosco da Costa Junior") or a number inside a name ("JAS 39
Gripen"). A run is cut

- around titles and ranks ("Leonardo CEO Alessandro Profumo", "Air Marshal Sadique Abubakar");
- where a designator starts an aircraft's name ("KAI FA-50", "Lockheed Martin F-16");
- at the edges of the reference base's names, except where a known name is part of a
  longer one: a demonym inside an organisation's name ("Royal Malaysian Air Force"), a
  known firm followed by a sector, place or unit ("Rolls-Royce North America"), a
  designator before a known aircraft's name ("S-70 Black Hawk");
- before a person's name the NER found after another name.

Each piece becomes a :class:`Mention` whose ``scores`` weigh the evidence for each ontology
class, with the weights of ``lexicon.yaml``: the reference base, legal suffixes, name
heads, cue nouns next to the name, a title next to it, a designator, the NER label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.attributes import POSSESSIVE
from kg.extract.cues import Cues
from kg.extract.language import SPAN_KEY
from kg.extract.names import DEMONYM, NameTable
from kg.extract.rulebook import Ontology
from kg.extract.values import parse_money

NAME_LABELS = {"ORG", "PERSON", "GPE", "LOC", "FAC", "PRODUCT", "NORP", "WORK_OF_ART", "EVENT", "LAW"}
PARTICLES = {
    "da",
    "das",
    "de",
    "del",
    "della",
    "der",
    "di",
    "do",
    "dos",
    "du",
    "van",
    "von",
    "ter",
    "ten",
    "bin",
    "al",
    "el",
    "la",
    "le",
    "ibn",
    "y",
}
_NAME_FUNCTION_WORDS = {"In", "Of", "For", "And", "On", "The"}
_MAKER_LABELS = {"Company", "Division", "JointVenture"}  # reference classes of firms that name their aircraft
_JOINING_WORDS = {
    "and",
    "of",
    "for",
    "the",
    "&",
    "on",
    "in",
}  # small words inside a name the NER found  # capitalised inside a Title-Cased name


class Weights(defaultdict[str, float]):
    """Class local name -> weight of evidence for it (0 for a class with none).

    >>> w = Weights(); w["Company"] += 3; w.add(Weights({"Company": 1.5, "Person": 1})); (w["Company"], w.total())
    (4.5, 5.5)
    """

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        super().__init__(float, weights or {})

    def total(self) -> float:
        return sum(self.values())

    def add(self, other: dict[str, float]) -> None:
        for cls, weight in other.items():
            self[cls] += weight


@dataclass
class Mention:
    start: int  # token offsets in the parsed document
    end: int
    source: str  # "reference", "ner", "designator", "name"
    key: str | None = None  # the reference base's IRI
    demonym: bool = False
    ner: str | None = None
    scores: Weights = field(default_factory=Weights)  # class local name -> weight of evidence
    vetoes: set[str] = field(default_factory=set)  # classes the evidence rules out
    acronym_of: int | None = None  # index of the mention this one abbreviates ("HAL" of "Hindustan ...")
    prefix_key: str | None = None  # a known organisation that starts the name ("Boeing" in "Boeing Australia")
    canonical: str | None = None  # the name to mint the entity from, when the surface is a longer variant
    base: str | None = None  # a programme's name without its head noun ("TF-X" of "the TF-X project")
    drop: bool = False  # an event, a publication, a place, or a word the NER mistook for a name
    cued: bool = False  # some evidence other than the NER's label

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]

    def text(self, doc: Doc) -> str:
        """The surface form, without a sentence's full stop glued to the last token ("F-35A.")."""
        text = self.span(doc).text
        return text[:-1] if text.endswith(".") and text.count(".") == 1 and len(text) > 2 else text


@dataclass
class TitleSpan:
    start: int
    end: int
    state: bool  # a title of a state's government ("President", "Defence Minister")


class _Context:
    """Per-document lookups: which token belongs to which reference name, NER entity, title."""

    def __init__(self, doc: Doc, cues: Cues) -> None:
        self.doc, self.cues = doc, cues
        n = len(doc)
        self.refs: list[Span] = list(doc.spans[SPAN_KEY]) if SPAN_KEY in doc.spans else []
        self.ners: list[Span] = [e for e in doc.ents if e.label_ in NAME_LABELS]
        self.ref_of = [-1] * n
        self.ner_of = [-1] * n
        for k, e in enumerate(self.ners):
            for i in range(e.start, e.end):
                self.ner_of[i] = k
        for k, r in enumerate(self.refs):
            if self._overridden(r):
                continue
            for i in range(r.start, r.end):
                self.ref_of[i] = k
        self.in_title = [False] * n
        # in a headline every word is capitalised: there, a word is a name only if the body writes it as one
        self.headline = [False] * n
        line: list[Token] = []
        for t in doc:
            if not t.is_space:
                line.append(t)
            if "\n" in t.whitespace_ or (t.is_space and "\n" in t.text) or t.i == n - 1:
                words = [u for u in line if u.is_alpha and len(u) > 3]
                if (
                    3 <= len(words) <= 16
                    and line[-1].text not in (".", "”", '"')
                    and not (line[-1].text.endswith(".") and len(line[-1].text) > 2)  # "... the A400M." (stop glued)
                    and sum(u.is_title or u.is_upper for u in words) >= 0.8 * len(words)
                ):
                    for u in line:
                        self.headline[u.i] = True
                line = []
        self.lower_words = {t.lower_ for t in doc if t.is_alpha and t.is_lower}
        self.body_names = {
            t.text for t in doc if not self.headline[t.i] and not t.is_sent_start and t.text[:1].isupper()
        }

    def _overridden(self, r: Span) -> bool:
        """A one-word firm or aircraft name that ends a person's name the NER found: "Tom Bell"."""
        k = self.ner_of[r.start]
        if k < 0 or len(r) != 1 or r.label_ in ("Person", DEMONYM, "Country"):
            return False
        e = self.ners[k]
        before = self.doc[r.start - 1] if r.start > 0 else None
        return (
            e.label_ == "PERSON"
            and e.start < r.start
            and e.end >= r.end
            and before is not None
            and before.is_alpha  # not "Lockheed Martin/Sikorsky"
        )

    def _inside_ner_name(self, t: Token) -> bool:
        """A lower-case word the NER puts inside a name: a word joined by a tight hyphen ("Kang Goo-young") or
        a small word between two capitalised ones ("National Engineering and Scientific Commission")."""
        doc, k = self.doc, self.ner_of[t.i]
        prev = doc[t.i - 1] if t.i > 0 else None
        if prev is not None and prev.text == "-" and not prev.whitespace_ and self.ner_of[prev.i] == k:
            return True
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        return (
            t.lower_ in _JOINING_WORDS
            and prev is not None
            and nxt is not None
            and self.ner_of[prev.i] == k == self.ner_of[nxt.i]
            and prev.text[:1].isupper()
            and nxt.text[:1].isupper()
            and nxt.is_alpha  # not "Equitix Investment Management for GBP189 million"
        )

    def ref(self, i: int) -> Span | None:
        k = self.ref_of[i]
        return self.refs[k] if k >= 0 else None

    def ner(self, i: int) -> Span | None:
        k = self.ner_of[i]
        return self.ners[k] if k >= 0 else None

    def common_at_start(self, t: Token) -> bool:
        """ "Production and development of ...", "- Manufacturing Synergies: ...": a capitalised word that opens
        a sentence or a list item, and that the article also writes in lower case, is no name."""
        if self.ref_of[t.i] >= 0 or not t.is_title or t.lower_ not in self.lower_words:
            return False
        prev = t.doc[t.i - 1] if t.i > 0 else None
        return bool(t.is_sent_start or (prev is not None and prev.text in ("-", "•", "*", "–") and prev.is_sent_start))

    def common_in_headline(self, t: Token) -> bool:
        return self.headline[t.i] and t.text not in self.body_names and self.ref_of[t.i] < 0

    def is_name_token(self, t: Token) -> bool:
        if t.ent_type_ in ("DATE", "TIME") and t.lower_ in self.cues.not_names and self.ref_of[t.i] < 0:
            return False
        if t.is_space or (t.is_punct and t.text not in "&-") or t.text in POSSESSIVE:
            return False
        if self.ref_of[t.i] >= 0:
            return True
        if self.common_in_headline(t) or self.common_at_start(t):
            return False
        if self.cues.is_designator(t.text):
            return True
        if t.like_num:
            return False
        if self.ner_of[t.i] >= 0:
            if t.is_lower and t.is_alpha:  # "the Brazilian company Embraer" is no name of a company
                return t.lower_ in self.cues.body_words or self._inside_ner_name(t)
            return t.is_alpha or any(c.isalpha() for c in t.text)
        return t.pos_ == "PROPN" and t.text[:1].isupper()


def find(doc: Doc, cues: Cues, onto: Ontology, names: NameTable | None = None) -> tuple[list[Mention], list[TitleSpan]]:
    """Every name of ``doc`` and every title phrase, in text order."""
    cx = _Context(doc, cues)
    titles = _titles(cx)
    for t in titles:
        for i in range(t.start, t.end):
            cx.in_title[i] = True
    mentions: list[Mention] = []
    for a, b in _runs(cx):
        for s, e in _segments(cx, a, b):
            m = _mention(cx, s, e)
            if m is not None:
                mentions.append(_programme(cx, m, onto, names))
    if names is not None:
        _state_bodies(cx, mentions, names)
    _acronyms(doc, mentions)
    for m in mentions:
        if not m.scores:
            _evidence(cx, m, onto, mentions)
    _borrowed_evidence(cx, mentions, onto, names)
    for m in mentions:
        if m.acronym_of is not None and mentions[m.acronym_of].drop and not m.key:
            m.drop = True  # "International Defence Industry Fair (IDEF 2025)"
    return mentions, titles


# --- runs and segments ------------------------------------------------------------------------


def _runs(cx: _Context) -> list[tuple[int, int]]:
    doc = cx.doc
    runs: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if cx.in_title[i] or not cx.is_name_token(t) or t.text in "&-":
            i += 1
            continue
        j = i + 1
        while j < n and not doc[j].is_sent_start and not cx.in_title[j]:
            u = doc[j]
            if cx.is_name_token(u) and u.text not in "&-":
                j += 1
                continue
            k = j
            while k < n and doc[k].lower_ in PARTICLES and doc[k].is_lower:
                k += 1
            if k > j + 1 and k < n and not doc[k].is_sent_start and not cx.in_title[k] and cx.is_name_token(doc[k]):
                j = k + 1  # "Ursula von der Leyen": particles in a row
                continue
            nxt = doc[j + 1] if j + 1 < n else None
            joins = nxt is not None and not nxt.is_sent_start and not cx.in_title[j + 1] and cx.is_name_token(nxt)
            if joins and (
                u.text == "&"
                or (u.text in ("-", "/") and not doc[j - 1].whitespace_ and not u.whitespace_)  # "F/A-18", "C/D"
                or (u.lower_ in PARTICLES and u.is_lower)
                or (u.like_num and not doc[j - 1].like_num and len(u.text) <= 3)
                or (u.text in _NAME_FUNCTION_WORDS and not doc[j - 1].is_sent_start)
                or (u.lower_ == "of" and cx.cues.name_starts.at([doc[j - 1].lower_], 0) is not None)
                or (u.lower_ == "and" and any(doc[k].lower_ == "of" for k in range(i, j)))  # "University of X and Y"
            ):
                j += 2
                continue
            # "Boeing 737-400", "Vision 2030", "IDEF 2025"
            if u.text.isdigit() and (
                (cx.ref_of[j - 1] >= 0 and len(u.text) == 3)
                or (
                    len(u.text) == 4
                    and u.text[:2] in ("19", "20")
                    and cx.ner_of[j] >= 0
                    and cx.ner_of[j] == cx.ner_of[j - 1]
                )
            ):
                j += 1
                while j + 1 < n and doc[j].text == "-" and doc[j + 1].like_num and not doc[j].whitespace_:
                    j += 2
                continue
            break
        while j > i and (doc[j - 1].text in "&-" or doc[j - 1].lower_ in PARTICLES):
            j -= 1
        runs.append((i, j))
        i = max(j, i + 1)
    return runs


def _segments(cx: _Context, a: int, b: int) -> list[tuple[int, int]]:
    """Cut a run into names (see the module doc)."""
    doc, cues = cx.doc, cx.cues
    cuts = {a, b}
    keep: set[int] = set()  # positions that must not be cut
    for i in range(a + 1, b):
        if cues.is_designator(doc[i].text) and not cues.is_designator(doc[i - 1].text):
            inside_ref = cx.ref_of[i] >= 0 and cx.ref_of[i] == cx.ref_of[i - 1]  # "Bayraktar TB2" is one name
            if not (doc[i - 1].like_num or doc[i - 1].text in ("-", "/") or inside_ref):  # "JAS 39 Gripen" stays whole
                cuts.add(i)
    forced: set[int] = set()
    if doc[a].lower_ in cues.credit_words:
        forced.add(a + 1)  # "Photo: Copyright Arco": a credit line's word before a name
    if doc[b - 1].lower_ in cues.credit_words:
        forced.add(b - 1)  # "(Arco Aviation Photo)": and after it
    if a + 2 < b and doc[a].lower_ in cues.not_names and doc[a + 1].like_num:
        forced.add(a + 2)  # "Block 2 MQ-28As", "Tranche 3 Typhoons": a stage before the name
    for i in range(a + 1, b - 1):
        if doc[i].text in ("-", "/") and not doc[i].whitespace_ and not doc[i - 1].whitespace_:
            left = [t.lower_ for t in doc[a:i]]
            head = cues.name_heads.ending(left)
            if len(left) > 1 and ((head and head[1] == "Company") or doc[i - 1].text in cues.legal_suffixes):
                forced.update((i, i + 1))  # "Chengdu Aircraft Industry Corporation-Pakistan Aeronautical Complex"
    seen: set[int] = set()
    for i in range(a, b):
        r = cx.ref(i)
        if r is None or r.start in seen:
            continue
        seen.add(r.start)
        start, end = max(r.start, a), min(r.end, b)
        # "Boeing 737-400": a maker's name and a model number make one aircraft's name
        # (a firm's: "NAF 578" is an air force's tail number)
        if end < b and doc[end].like_num and len(doc[end].text) >= 3 and r.label_ in _MAKER_LABELS:
            k = end + 1
            while k + 1 < b and doc[k].text == "-" and doc[k + 1].like_num:
                k += 2
            keep.update(range(start + 1, k))
            cuts.update((start, k))
            continue
        if r.label_ == "Country" and r.end == b and r.start > a:
            before = cues.name_heads.ending([t.lower_ for t in doc[a : r.start]])
            if before is not None and before[1] == "Company":  # "Vantor Aerospace Australia": a subsidiary
                keep.update(range(start, end + 1))
                continue
        if r.label_ in (DEMONYM, "Country") and _inside_org_name(cx, r, a, b):
            keep.update(range(start, end + 1))
            continue
        # a firm's longer name stops where an aircraft's designator starts ("Airbus Military Company | A400M")
        limit = (
            b
            if _is_aircraft_label(r.label_)
            else next((k for k in range(end + 1, b) if cues.is_designator(doc[k].text)), b)
        )
        if start == a and end < limit and r.label_ not in (DEMONYM, "Country") and _extends(cx, r, end, limit):
            keep.update(range(start + 1, limit))
            break
        if start > a and cues.is_designator(doc[start - 1].text) and _is_aircraft_label(r.label_):
            keep.add(start)  # "S-70 Black Hawk", "MQ-28A Ghost Bat"
            cuts.add(end)
            continue
        cuts.add(start)
        cuts.add(end)
    for i in range(a + 1, b):
        e = cx.ner(i)
        inside_ref = cx.ref_of[i] >= 0 and cx.ref_of[i] == cx.ref_of[i - 1]
        if (
            e is not None
            and e.label_ == "PERSON"
            and e.start == i
            and not inside_ref
            and not any(cues.is_designator(t.text) for t in e)
        ):  # "Lockheed Martin F-35A": the NER's "Martin F-35A" is no person
            prev_ref, prev_ner = cx.ref(i - 1), cx.ner(i - 1)
            if prev_ref is not None or (prev_ner is not None and prev_ner.label_ != "PERSON"):
                cuts.add(i)
    points = sorted(c for c in cuts | forced if a <= c <= b and (c not in keep or c in forced or c in (a, b)))
    out = []
    for lo, hi in zip(points, points[1:], strict=False):
        while hi > lo and (doc[hi - 1].text in ("&", "-", "/") or doc[hi - 1].lower_ in _JOINING_WORDS):
            hi -= 1  # "Halden Systems of | Italy": the small word belonged to the NER's longer name
        while lo < hi and (doc[lo].text in ("&", "-", "/") or doc[lo].lower_ in _JOINING_WORDS):
            lo += 1  # "Lockheed Martin/Sikorsky": two firms
        if hi > lo:
            out.append((lo, hi))
    return out


def _is_aircraft_label(label: str) -> bool:
    return "Aircraft" in label or "Vehicle" in label


def _inside_org_name(cx: _Context, r: Span, a: int, b: int) -> bool:
    """A demonym or country inside a longer organisation's name: "Royal Malaysian Air Force", "Japan Defence
    Ministry", "Turkish Aerospace", or inside a name the NER marks as an organisation."""
    doc = cx.doc
    if r.end >= b:
        return False
    if any((x := cx.ref(i)) is not None and _is_aircraft_label(x.label_) for i in range(r.end, b)):
        return False  # "Kuwaiti Typhoons": an adjective before an aircraft's name
    words = [t.lower_ for t in doc[a:b]]
    head = cx.cues.name_heads.ending(words)
    if head is not None and head[0] <= b - r.end:
        return True
    e = cx.ner(r.end)
    return e is not None and e.label_ == "ORG" and e.start <= r.start and e.end > r.end


def _extends(cx: _Context, r: Span, end: int, b: int) -> bool:
    """Whether the words after a known name make one longer name with it ("Boeing Australia", "Gripen E")."""
    doc, cues = cx.doc, cx.cues
    if cues.is_designator(doc[end].text) or cx.ref(end) is not None and cx.ref(end).label_ not in ("Country", "Place"):  # type: ignore[union-attr]
        return False

    if _is_aircraft_label(r.label_):
        # a variant ("Gripen E", "Tejas Mk1A") or an abbreviation ("Tejas LCA", "F-35 JSF")
        word = doc[end].text
        return end + 1 == b and (
            word in cues.designator_name_words
            or len(word) == 1
            or (word.isupper() and len(word) <= 5)
            or (doc[end].pos_ == "PROPN" and word[:1].isupper() and cx.ner(end) is None)
        )
    whole = [t.lower_ for t in doc[r.start : b]]
    if cues.name_heads.ending(whole) is not None:
        return True
    tail = cx.ref(end)
    return (
        (tail is not None and tail.label_ in ("Country", "Place"))
        or doc[end].ent_type_ in ("GPE", "LOC")
        or (
            doc[end].pos_ == "PROPN"
            and cx.ner(end) is not None
            and cx.ner(end).label_ == "ORG"  # type: ignore[union-attr]
            and (end + 1 == b or doc[b - 1].is_upper)  # "Leonardo DRS", but not "Rosoboronexport Anatoly Isaikin"
        )
    )


def _mention(cx: _Context, s: int, e: int) -> Mention | None:
    doc, cues = cx.doc, cx.cues
    # strip what stands before a name but is not part of it: "the", ranks, titles, a cue noun ("OEM Kopter")
    while s < e:
        words = [t.lower_ for t in doc[s:e]]
        if doc[s].pos_ == "DET" or words[0] == "the":
            s += 1
            continue
        if doc[s].pos_ in ("VERB", "ADP", "SCONJ", "ADV", "PRON", "AUX", "PART", "CCONJ") and cx.ref(s) is None:
            s += 1  # "Following Halvard Systems' acquisition": the NER glued a verb to the name
            continue
        if cx.ref(s) is None:
            rank = cues.ranks.at(words, 0)
            hit = rank or cues.titles.at(words, 0)
            # "Air Marshal Jane Doe", "Gen. Jane Doe" lose the rank; "General Electric" keeps its first word
            if hit is not None and not (
                any(cx.ner(i) is not None and cx.ner(i).label_ == "PERSON" for i in range(s + hit[0], e))  # type: ignore[union-attr]
                or doc[s + hit[0] - 1].text.endswith(".")
                or (rank is not None and rank[0] > 1)
            ):
                hit = None
            if hit is None and doc[s].is_upper:
                hit = cues.cue_nouns.at(words, 0)
            if hit is None:
                # "Air Force Vice Marshal Jane Doe": a rank inside the span, a name after it
                for k in range(1, e - s - 1):
                    inner = cues.ranks.at(words, k)
                    after = s + k + (inner[0] if inner is not None else 0)
                    if (
                        inner is not None
                        and (inner[0] > 1 or words[k].endswith("."))
                        and after < e
                        and all(t.is_title and t.pos_ == "PROPN" for t in doc[after:e])
                    ):
                        hit = (k + inner[0], inner[1])
                        break
            if hit is not None and hit[0] < e - s:
                s += hit[0]
                continue
        break
    while e > s and (doc[e - 1].text in POSSESSIVE or (doc[e - 1].is_punct and doc[e - 1].text != ".")):
        e -= 1
    if s >= e:
        return None
    span = doc[s:e]
    text = span.text.rstrip(".")
    words = [t.lower_ for t in span]
    head = cues.name_heads.ending(words)
    if head is not None and head[0] == len(words) and head[1] == "ArmedForce" and cx.ref(s) is None:
        # "the Air Force", "the Navy": a generic name; resolution ties it to the article's force of that name
        return Mention(s, e, "generic")
    if text.lower() in cues.not_names or all(t.lower_.rstrip(".") in cues.not_names or t.is_punct for t in span):
        return None
    if all(t.is_punct or t.text in cues.legal_suffixes or t.text + "." in cues.legal_suffixes for t in span):
        return None  # "Ltd." left over after a name the reference base knows without it
    if span[0].lower_ in cues.not_names and all(t.like_num or t.is_punct for t in span[1:]):
        return None  # "Block 2", "Phase 1", "Tranche 3": a stage, not a name
    if not any(c.isalpha() for c in text) or parse_money(text) is not None:
        return None
    if (
        any(
            any(c.isdigit() for c in t.text) and any(c.isalpha() for c in t.text) and not cues.is_designator(t.text)
            for t in span
        )
        and cx.ref(s) is None
    ):
        return None  # "JPY87.7bn", "TF33"
    refs = [cx.refs[k] for k in sorted({cx.ref_of[i] for i in range(s, e) if cx.ref_of[i] >= 0})]
    exact = [r for r in refs if r.start == s and r.end == e]
    if exact:
        return Mention(s, e, "reference", key=exact[0].kb_id_, demonym=exact[0].label_ == DEMONYM)
    if (
        cx.ner(s) is not None
        and cx.ner(s).label_ == "NORP"  # type: ignore[union-attr]
        and cx.ner(s).start == s  # type: ignore[union-attr]
        and cx.ner(s).end >= e  # type: ignore[union-attr]
        and not cues.is_designator(doc[s].text)  # "the T-4 jet trainer": the NER's NORP is a designator
    ):
        if not any(n.label_ == "ORG" and len(n) > 1 and n[0].text == doc[s].text for n in cx.ners):
            return None  # "Bavarian", "Sunni": a nationality or group the reference base does not know is no actor
        # "Safran" where the article also writes "Safran Helicopter Engines": the NER's NORP is the firm
    m = Mention(s, e, "name")
    aircraft = [r for r in refs if _is_aircraft_label(r.label_) and r.end == e and r.start > s]
    if aircraft and cues.is_designator(doc[s].text):
        m.key = aircraft[0].kb_id_  # "S-70 Black Hawk" is the Black Hawk
        m.source = "reference"
        return m
    prefix = [r for r in refs if r.start == s and r.end < e and r.label_ not in (DEMONYM, "Country")]
    if prefix:
        m.prefix_key = prefix[0].kb_id_
        tail = doc[prefix[0].end : e].text
        if _is_aircraft_label(prefix[0].label_) and tail.isupper() and len(tail) > 1:
            m.key, m.source = prefix[0].kb_id_, "reference"  # "Tejas LCA" is the Tejas
            return m
    ners = sorted({cx.ner_of[i] for i in range(s, e) if cx.ner_of[i] >= 0})
    if ners:
        m.source = "ner"
        m.ner = max((cx.ners[k] for k in ners), key=lambda x: min(x.end, e) - max(x.start, s)).label_
    slashed = s + 2 < e and doc[s + 1].text == "/" and cues.is_designator(doc[s + 2].text)  # "F/A-18"
    if cues.is_designator(doc[s].text) or slashed or (prefix and doc[e - 1].like_num):
        m.source = "designator"
    return m


def _state_bodies(cx: _Context, mentions: list[Mention], names: NameTable) -> None:
    """ "the Saudi armed forces", "Brazil's air force", "the Romanian defence ministry": a country's name or
    adjective and a lower-case noun of a state's body (lexicon ``body_nouns``) name that body, typed by the
    noun's class among the name heads."""
    doc, cues = cx.doc, cx.cues
    for n, m in enumerate(mentions):
        known = names.known.get(m.key or "")
        if m.source != "reference" or known is None or known.cls != "Country":
            continue
        k = m.end
        if k < len(doc) and doc[k].text in POSSESSIVE and not m.demonym:
            k += 1
        j = k
        while (
            j < len(doc)
            and j < k + 5
            and doc[j].is_lower
            and not doc[j].is_sent_start
            and (doc[j].is_alpha or doc[j].text == "-")
        ):
            j += 1
        words = [t.lower_ for t in doc[k:j]]
        hit = cues.body_nouns.at(words, 0)
        if hit is None:
            continue
        end = k + hit[0]
        if end < len(doc) and doc[end].is_lower and doc[end].pos_ == "NOUN":
            continue  # "Saudi army officers": the body's name modifies another noun
        head = cues.name_heads.ending(words[: hit[0]])
        if head is None:
            continue
        body = Mention(m.start, end, "name", canonical=doc[m.start : end].text)
        body.scores[head[1]] += cues.weight("name_head") + cues.weight("cue_noun")
        body.cued = True
        mentions[n] = body


def _programme(cx: _Context, m: Mention, onto: Ontology, names: NameTable | None) -> Mention:
    """ "the Kaan fighter program", "its KAAN fifth-generation fighter jet program", "the B-52 re-engining
    programme": a name, a few common words and a programme's head noun name a programme."""
    doc, cues = cx.doc, cx.cues
    if m.key and names is not None and not onto.is_a(names.known[m.key].cls, "Aircraft"):
        return m
    k = m.end
    while (
        k < len(doc)
        and k < m.end + 6
        and not doc[k].is_sent_start
        and (
            (doc[k].is_lower and doc[k].pos_ in ("NOUN", "ADJ", "VERB", "PROPN") and not cx.in_title[k])
            or doc[k].text == "-"
        )
    ):
        head = cues.name_heads.at([doc[k].lower_], 0)
        if head is not None and head[1] == "Programme":
            end = k + 1
            text = doc[m.start : end].text
            key = None
            if names is not None:
                key = next(
                    (known.key for known, dem in names.lookup(text) if not dem and known.cls == "Programme"), None
                )
            # "the Kaan fighter program" and "its KAAN fifth-generation fighter jet program" are the Kaan programme
            base = doc[m.start : m.end].text
            canonical = f"{base} {doc[k].lower_}"
            if names is not None and key is None:
                key = next(
                    (
                        known.key
                        for known, dem in names.lookup(f"{base} programme") + names.lookup(canonical)
                        if not dem and known.cls == "Programme"
                    ),
                    None,
                )
            out = Mention(m.start, end, "reference" if key else "name", key=key, canonical=canonical, base=base)
            out.scores["Programme"] += cues.weight("name_head") + cues.weight("cue_noun")
            out.cued = True
            return out
        k += 1
    return m


def _acronyms(doc: Doc, mentions: list[Mention]) -> None:
    """ "Long Name (LN)" and "Long Name’ (LN’s)": the short form names the long one.

    An acronym of lower-case words ("a short takeoff and landing (STOVL) fighter") is no name.
    """
    by_start = {m.start: n for n, m in enumerate(mentions)}
    for n, m in enumerate(mentions):
        i = m.end
        while i < len(doc) and doc[i].text in POSSESSIVE:
            i += 1
        if i < len(doc) and doc[i].text == "(" and i + 1 in by_start:
            short = mentions[by_start[i + 1]]
            after = short.end
            while after < len(doc) and doc[after].text in POSSESSIVE:
                after += 1
            text = short.span(doc).text
            long = m.span(doc).text
            initial = text.isupper() and len(text) >= 2 and text[0] == long[0] and len(long.split()) > 1
            if after < len(doc) and doc[after].text == ")" and (_abbreviates(text, long) or initial):
                short.acronym_of = n
                if m.drop:
                    short.drop = True
    _drop_expansions(doc, mentions)
    for m in mentions:
        if m.acronym_of is not None or m.key or m.start < 2 or doc[m.start - 1].text != "(":
            continue
        text = m.span(doc).text
        words: list[str] = []
        k = m.start - 2
        while k >= 0 and len(words) < 6 and (doc[k].is_lower and doc[k].is_alpha or doc[k].text == "-"):
            if doc[k].is_alpha:
                words.insert(0, doc[k].text)
            k -= 1
        letters = [c.lower() for c in text if c.isalpha()]
        if (
            len(words) >= 2
            and letters
            and text.isupper()
            and letters[-1] == words[-1][0]
            and any(w[0] == letters[0] for w in words[: max(1, len(words) - 1)])
        ):
            m.drop = True  # "a conventional takeoff and landing (CTOL) aircraft"


def _drop_expansions(doc: Doc, mentions: list[Mention]) -> None:
    """ "C4I (Command, Control, Communications, Computers, and Intelligence)": words that spell out an acronym
    in brackets are no names."""
    by_start = {m.start: m for m in mentions}
    for t in doc[:-2]:
        letters = [c.lower() for c in t.text if c.isalpha()]
        if len(letters) < 2 or not t.text[:1].isupper() or sum(c.isupper() for c in t.text) < 2:
            continue
        if doc[t.i + 1].text != "(":
            continue
        k, inside = t.i + 2, []
        while k < len(doc) and doc[k].text != ")" and k < t.i + 30:
            if k in by_start:
                inside.append(by_start[k])
            k += 1
        initials = [m.span(doc).text[0].lower() for m in inside]
        if len(inside) >= 2 and all(c in letters for c in initials) and initials[0] == letters[0]:
            for m in inside:
                if not m.key:
                    m.drop = True


def _abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` can be an acronym of ``long``: its letters are initials of long's words, in order (a
    word written in capitals gives each of its letters: "PT Dirgantara Indonesia" is PTDI).

    >>> _abbreviates("HAL", "Hindustan Aeronautics Limited"), _abbreviates("JASDF", "Japanese Air Self-Defense Force")
    (True, True)
    >>> _abbreviates("MTA", "Medium Transport Aircraft"), _abbreviates("Tejas", "Hindustan Aeronautics Ltd")
    (True, False)
    >>> _abbreviates("PTDI", "PT Dirgantara Indonesia"), _abbreviates("GE", "General Atomics Electric")
    (True, False)
    """
    letters = [c.lower() for c in short if c.isalpha()]
    if not letters or len(letters) > 8 or sum(c.isupper() for c in short) < 2:
        return False
    words = [w for w in long.replace("-", " ").replace("&", " ").split() if w[:1].isalpha()]
    return _initials_match(letters, words) or _initials_match(letters, _spelled(words))


def _spelled(words: list[str]) -> list[str]:
    """Words with a short one in capitals spelled out letter by letter: ["PT", "Dirgantara"] -> ["P", "T", ...]."""
    out: list[str] = []
    for w in words:
        out.extend(list(w) if w.isupper() and w.isalpha() and 2 <= len(w) <= 4 else [w])
    return out


def _initials_match(letters: list[str], words: list[str]) -> bool:
    """The letters are the initials of the capitalised words, in order, skipping only lower-case words."""
    initials = [w[0].lower() for w in words]
    i = 0
    for c in letters:
        while i < len(initials) and initials[i] != c:
            if words[i][0].isupper():
                return False
            i += 1
        if i == len(initials):
            return False
        i += 1
    return all(not w[0].isupper() for w in words[i:])


# --- titles ------------------------------------------------------------------------------------


def _titles(cx: _Context) -> list[TitleSpan]:
    """Title phrases: "president and CEO", "Chief of Air Staff", "Defense Minister", "head of air power"."""
    doc, cues = cx.doc, cx.cues
    words = [t.lower_ for t in doc]
    out: list[TitleSpan] = []
    i = 0
    while i < len(doc):
        hit = cues.titles.at(words, i)
        if hit is None or _inside_name(cx, i, i + hit[0]):
            i += 1
            continue
        start, end = i, i + hit[0]
        state = cues.state_titles.at(words, i) is not None
        while start > 0 and words[start - 1] in cues.title_modifiers and not doc[start].is_sent_start:
            if cx.ref(start - 1) is not None:
                break
            if doc[i].is_lower and not doc[start - 1].is_lower:
                break  # "Department of National Defense spokesperson": the capitalised words are a body's name
            start -= 1
        while end + 1 < len(doc) and words[end] in ("and", "&", "/"):
            k = end + 1
            more = cues.titles.at(words, k)
            while more is None and k < len(doc) and words[k] in cues.title_modifiers:
                k += 1
                more = cues.titles.at(words, k)
            if more is None:
                break
            state = state or cues.state_titles.at(words, k) is not None
            end = k + more[0]
        if end < len(doc) and words[end] in ("of", "for") and end + 1 < len(doc):
            k = end + 1
            while (
                k < len(doc)
                and not doc[k].is_sent_start
                and (
                    _complement_word(cx, doc[k])
                    or (  # "Minister of State for Development": a second field
                        words[k] in ("of", "for")
                        and k + 1 < len(doc)
                        and words[k + 1] not in (",", "and", "&")
                        and _complement_word(cx, doc[k + 1])
                    )
                )
            ):
                k += 1
            # "secretary of the Air Force": capitalised field words that run on into a name are that name's
            # (but "Minister of Defense Margarita Robles" keeps its field: what follows is no organisation's name)
            if k < len(doc) and not doc[k].is_sent_start and doc[k].text[:1].isupper():
                run = k
                while run > end + 1 and doc[run - 1].text[:1].isupper():
                    run -= 1
                stop = k
                while stop < len(doc) and doc[stop].text[:1].isupper() and not doc[stop].is_sent_start:
                    stop += 1
                if run < k and cues.name_heads.ending(words[run:stop]) is not None:
                    k = run
            while k > end + 1 and (words[k - 1] in ("and", ",", "the", "&", "of", "for") or doc[k - 1].is_punct):
                k -= 1
            if k > end + 1:
                end = k
        out.append(TitleSpan(start, end, state))
        i = end
    return out


def _inside_name(cx: _Context, s: int, e: int) -> bool:
    """A title word inside an organisation's name: "307 Executive Airlift Group", "General Electric"."""
    r = cx.ref(s)
    if r is not None and r.label_ not in ("Person",):
        return True
    n = cx.ner(s)
    return n is not None and n.label_ in ("ORG", "FAC", "PRODUCT", "EVENT") and n.start < s and n.end > e


def _complement_word(cx: _Context, t: Token) -> bool:
    """A word of a title's complement: lower-case words, the fields of `title_domains`, and capitalised
    words that are no one's name ("Director of Public Relations", "head of air power")."""
    if t.text in (",", "and", "&"):
        return True
    if t.lower_ in cx.cues.title_domains:
        return True
    if cx.ref(t.i) is not None or t.ent_type_ in ("PERSON", "GPE", "NORP", "DATE", "TIME", "CARDINAL", "ORG"):
        return False
    if t.pos_ in ("VERB", "AUX", "PRON", "ADP", "PUNCT", "NUM", "SCONJ", "CCONJ", "PART", "DET"):
        return False
    if t.text[:1].isupper() and (t.is_upper or t.pos_ == "PROPN"):
        return False  # "Chairman of HAL", "Chief Executive Officer of Safran": a name, not a field
    return t.is_alpha


# --- evidence -----------------------------------------------------------------------------------


def _after_apposed_title(cx: _Context, end: int) -> bool:
    """Whether the title ending at token ``end`` follows a comma ("Jane Doe, manager,")."""
    start = end
    while start > 0 and cx.in_title[start - 1]:
        start -= 1
    return start > 0 and cx.doc[start - 1].text == ","


def _starts_an_event(cx: _Context, span: Span) -> bool:
    """ "the Vietnam War", "the Paris Air Show", "the Japan Times": a name that the capitalised head of an
    event's, a publication's or a place's name follows is a word of that name, not an actor."""
    words: list[str] = []
    for t in cx.doc[span.end : span.end + 3]:
        if not t.is_title or t.is_sent_start:
            break
        words.append(t.lower_)
        if cx.cues.not_entity_heads.ending(words) is not None:
            return True
    return False


def _evidence(cx: _Context, m: Mention, onto: Ontology, mentions: list[Mention]) -> None:
    doc, cues = cx.doc, cx.cues
    span = m.span(doc)
    words = [t.lower_ for t in span]
    while len(words) > 1 and words[-1].isdigit():
        words.pop()  # "Heli-Expo 2020"
    w = cues.weight
    if _starts_an_event(cx, span):
        m.drop = True
        return
    if m.key is not None:
        return  # the reference base decides (see resolution)
    if (
        (cues.not_entity_starts and words[0] in cues.not_entity_starts and len(words) > 1)
        or cues.not_entity_heads.ending(words) is not None
        or any((w_,) in cues.not_entity_heads for w_ in words[1:-1] if w_[:1].isalpha())
    ):
        m.drop = True
        return
    text = span.text
    if len(span) > 1 and any(text.endswith((" " + s, "," + s)) for s in cues.legal_suffixes):
        m.scores["Company"] += w("legal_suffix")
    head = cues.name_heads.ending(words)
    if head is not None and (head[0] < len(words) or not span[0].is_lower and len(words) == 1 and head[0] == 1):
        if head[0] < len(words) or m.ner == "ORG":
            m.scores[head[1]] += w("name_head")
    first = 1 if (span[0]._.demonym or cx.ref(span.start) is not None and len(span) > 1) else 0
    start = cues.name_starts.at(words, first)  # "Australian Department of Defence" starts with "Department"
    if start is not None and start[0] < len(words) - first:
        m.scores[start[1]] += w("name_start")
    if "of" in words[1:-1]:  # "Ministry of Defence", "Department of Defense": the head is before "of"
        before_of = cues.name_heads.ending(words[: words.index("of")])
        if before_of is not None:
            m.scores[before_of[1]] += w("name_head")
    if m.source == "designator":
        m.scores["Aircraft"] += w("designator")
    label = cues.ner_labels.get(m.ner or "")
    if label:
        m.scores[label] += w(f"ner_{m.ner}") if f"ner_{m.ner}" in cues.weights else w("ner")
    nxt = span.end
    maker_position = (
        nxt < len(doc)
        and not doc[nxt].is_sent_start
        and (
            cues.is_designator(doc[nxt].text) or (cx.ref(nxt) is not None and _is_aircraft_label(cx.ref(nxt).label_))  # type: ignore[union-attr]
        )
        and m.source != "designator"
    )
    # "Orvik-built helicopters": a name written before "-built" or "-made" is a maker's
    if nxt + 1 < len(doc) and doc[nxt].text == "-" and doc[nxt + 1].lower_ in cues.words.get("maker_adjectives", ()):
        m.scores["Company"] += w("cue_noun")
    place = m.ner in ("GPE", "LOC")
    for cls in [] if maker_position else _context_classes(cx, span, skip_head=place):
        if cls == "not-aircraft":
            m.vetoes.add("Aircraft")
        else:
            m.scores[cls] += w("cue_noun")
    # a title next to a name: "CEO Jane Doe", "Jane Doe, chief executive of ...", "Air Marshal Jane Doe"
    before = span.start - 1
    if (
        before >= 1
        and doc[before].text == ","
        and cx.in_title[before - 1]
        and not all(t.lower_ in cues.title_domains for t in span)  # "vice president, International Business"
        and not _after_apposed_title(cx, before - 1)  # "Jane Doe, manager, Vexa": the firm
    ):
        before -= 1  # "the Minister of the Armed Forces, Jane Doe"
    if before >= 0 and (
        cx.in_title[before] or cues.ranks.ending([t.lower_ for t in doc[max(0, before - 3) : span.start]])
    ):
        m.scores["Person"] += w("title_next")
    after = span.end
    if after < len(doc) and doc[after].text == "(":  # "Jean-Brice Dumont (centre left), head of ..."
        close = next((k for k in range(after + 1, min(after + 7, len(doc))) if doc[k].text == ")"), None)
        if close is not None:
            after = close + 1
    if after + 1 < len(doc) and doc[after].text in (",", "–", "—"):
        k = after + 1
        # "Jane Doe, the chief executive", "Jane Doe, a senior director", "Jane Doe, a Vantor spokesperson"
        while (
            k < len(doc)
            and k < after + 7
            and not cx.in_title[k]
            and not doc[k].is_punct
            and doc[k].pos_ not in ("VERB", "AUX", "PRON", "ADP", "SCONJ", "CCONJ")
        ):
            k += 1
        if k < len(doc) and cx.in_title[k]:
            m.scores["Person"] += w("title_next")
    # "the head of Rosoboronexport Anatoly Isaikin": a name right after "title of <organisation>" (also after a
    # comma or the organisation's acronym: "the Head of Asia-Pacific for Vantor Aerospace, Jane Doe", "the
    # Chairman of Vantor Aerospace (VA) Jane Doe")
    gap = span.start
    if gap >= 1 and doc[gap - 1].text == ",":
        gap -= 1
    elif gap >= 3 and doc[gap - 1].text == ")" and doc[gap - 3].text == "(":
        gap -= 3
    prev = next((o for o in mentions if o.end == gap and o is not m), None)
    if prev is not None and prev.start >= 2:
        k = prev.start - 1
        if doc[k].lower_ == "the":
            k -= 1
        # the title and its preposition, maybe after a field of its own ("Head of Asia-Pacific for")
        for j in range(k, max(0, k - 6), -1):
            if doc[j].lower_ in ("of", "at", "for") and j >= 1 and cx.in_title[j - 1]:
                m.scores["Person"] += w("title_next")
                break
            if doc[j].pos_ in ("VERB", "AUX") or doc[j].text in (",", ";", ":", ".", "(", ")", '"', "“", "”"):
                break
    after = span.end
    # an organisation's name written before a title: "Leonardo CEO", "Shield AI director of product"
    if after < len(doc) and cx.in_title[after] and not doc[after].is_sent_start:
        # a body's spokesperson is the body's: the weight goes to the organisation class the name already has
        body = max(("GovernmentBody", "ArmedForce"), key=lambda c: m.scores.get(c, 0))
        m.scores[body if m.scores.get(body, 0) > 0 else "Company"] += w("title_after")
    # a maker's name written before its aircraft's: "KAI FA-50", "Antonov An-32s", "Boeing MQ-28A"
    if (
        after < len(doc)
        and not doc[after].is_sent_start
        and (
            cues.is_designator(doc[after].text)
            or (cx.ref(after) is not None and _is_aircraft_label(cx.ref(after).label_))  # type: ignore[union-attr]
        )
    ):
        if m.source != "designator":
            # an air arm's name before an aircraft's flies it ("the Zorvan Air Force KX-9s"): its own class gains
            body = max(("GovernmentBody", "ArmedForce"), key=lambda c: m.scores.get(c, 0))
            m.scores[body if m.scores.get(body, 0) > 0 else "Company"] += w("maker_before_aircraft")
    # "the Wetzikon, Switzerland-based company", "in Lafayette, Louisiana": "Town, Country" names a place (but
    # "Saab, Sweden's defence group" names a firm)
    country = cx.ref(after + 1) if after + 1 < len(doc) and doc[after].text == "," else None
    if (
        country is not None
        and country.label_ == "Country"
        and not (
            country.end < len(doc)
            and (
                doc[country.end].text in POSSESSIVE
                # "Hallvik Systems, U.S. rival Orvik": the country describes the next name in a list
                or (doc[country.end].is_lower and doc[country.end].pos_ in ("NOUN", "ADJ"))
            )
        )
    ):
        m.scores.clear()
        m.scores["Place"] += w("reference")
    for cls in list(m.scores):
        if any(onto.is_a(cls, v) for v in m.vetoes):
            del m.scores[cls]
    m.cued = m.scores.total() > (w("ner") if label else 0)


def _context_classes(cx: _Context, span: Span, *, skip_head: bool = False) -> list[str]:
    """Classes the common nouns around the name give it (and "not-aircraft" for an engine or missile)."""
    doc, cues = cx.doc, cx.cues
    out: list[str] = []
    root = span.root
    # the noun the name modifies: "the AW109 helicopters", "the F404 turbofan engine", "Hürjet jet trainer";
    # only that head noun counts ("the B-52 engine contract" is about a contract, not an engine)
    head: Token | None = root
    while head is not None and head.dep_ in ("compound", "nmod", "amod") and head.head.i > head.i:
        head = head.head
    if head is None or head is root or head.i < span.end or not head.is_lower or head.pos_ not in ("NOUN", "PROPN"):
        k = span.end
        while k < len(doc) and k < span.end + 4 and doc[k].is_lower and doc[k].pos_ in ("NOUN", "ADJ", "PROPN"):
            k += 1
        head = doc[k - 1] if k > span.end and doc[k - 1].pos_ in ("NOUN", "PROPN") else None
    if (
        head is not None
        and head.i + 1 < len(doc)
        and doc[head.i + 1].pos_ == "PROPN"
        and doc[head.i + 1].text[:1].isupper()
    ):
        head = None  # "EADS subsidiary Eurocopter", "Airbus unit Aerovel": the noun describes the name after it
    if head is not None and head.i >= span.end and not skip_head:
        pair = (doc[head.i - 1].lower_, head.lower_) if head.i > span.end else None
        hit: str | None = None
        for n in (4, 3):
            if head.i - n + 1 >= span.end and hit is None:
                hit = cues.cue_nouns.items.get(tuple(t.lower_ for t in doc[head.i - n + 1 : head.i + 1]))
        hit = hit or (cues.cue_nouns.items.get(pair) if pair else None)
        hit = hit or cues.cue_nouns.items.get((head.lower_,))
        if hit is not None:
            out.append(hit)
        if not hit and ((pair and pair in cues.not_aircraft) or (head.lower_,) in cues.not_aircraft):
            out.append("not-aircraft")  # "the F404 engine"; but "loitering munitions" are aircraft
    # the noun right after the name, whatever the phrase's head: "the PT6 engine family", "S-400 missile systems"
    nxt = doc[span.end] if span.end < len(doc) else None
    if (
        nxt is not None
        and nxt.is_lower
        and nxt.pos_ in ("NOUN", "PROPN")
        and "not-aircraft" not in out
        and (
            (nxt.lower_,) in cues.not_aircraft
            or (span.end + 1 < len(doc) and (nxt.lower_, doc[span.end + 1].lower_) in cues.not_aircraft)
        )
    ):
        out.append("not-aircraft")
    # common nouns before the name: "defence contractor Saab", "investment firm Lynwood", "Russian oligarch X"
    k = span.start
    before: list[str] = []
    while k > 0 and len(before) < 4:
        t = doc[k - 1]
        if t.pos_ not in ("NOUN", "PROPN", "ADJ") or t.is_sent_end or cx.ref(t.i) is not None:
            break
        if t.ent_type_ in ("PERSON", "ORG", "GPE") and not t.is_lower:
            break
        before.insert(0, t.lower_)
        k -= 1
    if before:
        found = cues.cue_nouns.ending(before)
        if found is not None:
            out.append(found[1])
    # an apposition: "Taqnia, a technology company", "Kopter, the Swiss helicopter maker"
    for t in root.children:
        if t.dep_ == "appos" and any(cx.in_title[u.i] for u in t.subtree):
            continue  # "Jane Doe, the CEO of Vantor's defence division": a post, whatever the parser hung it on
        if t.dep_ == "appos" and t.pos_ == "NOUN" and not (span.start <= t.i < span.end):
            found = cues.cue_nouns.at([t.lower_], 0)
            if found is not None:
                out.append(found[1])
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and not (span.start <= root.head.i < span.end):
        found = cues.cue_nouns.at([root.head.lower_], 0)
        if found is not None:
            out.append(found[1])
    # a list introduced by a cue noun: "helicopters, including the Dhruv, Rudra and the LCH"
    node = root
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pobj" and node.head.lower_ in ("including", "like", "as", "notably"):
        noun = node.head.head
        if noun.lower_ == "such":
            noun = noun.head
        if noun.pos_ == "NOUN":
            found = cues.cue_nouns.at([noun.lower_], 0)
            if found is not None:
                out.append(found[1])
    return out


def _borrowed_evidence(cx: _Context, mentions: list[Mention], onto: Ontology, names: NameTable | None) -> None:
    """Evidence a name with none of its own takes from the names around it:

    - the first word of a firm's longer name: "Embraer" of "Embraer Defense & Security", "Safran" of "Safran
      Helicopter Engines" (the parent firm, named alone);
    - a list: "Both Embraer and Mahindra", "General Electric and Pratt & Whitney" (lexicon weight list_member).
    """
    doc, w = cx.doc, cx.cues.weight

    before = {id(m): Weights(m.scores) for m in mentions}

    def kind(m: Mention) -> str | None:
        # only a name with evidence of its own lends it: the reference base, or more than the NER's word
        if m.key and names is not None and m.key in names.known:
            return names.known[m.key].cls
        sc = before[id(m)]
        if sc and max(sc.values()) >= w("name_head"):
            return max(sc.items(), key=lambda kv: kv[1])[0]
        return None

    bare = [m for m in mentions if not m.key and not m.drop and not m.demonym and m.scores.total() <= w("ner")]
    for m in bare:
        text = m.span(doc).text
        if cx.headline[m.start]:
            continue  # a headline's short name is the firm's short form (see resolution), not its parent
        if len(m.span(doc)) == 1:
            for o in mentions:
                if o is m or o.drop or len(o.span(doc)) < 2 or o.span(doc)[0].text != text:
                    continue
                k = kind(o)
                if k and onto.is_a(k, "Company"):
                    m.scores["Company"] += w("name_head")
                    m.cued = True
                    break
        if m.cued:
            continue
        root = m.span(doc).root
        near = [
            t for t in (root.head, *root.children) if t.dep_ == "conj" or root.dep_ == "conj" and t.i == root.head.i
        ]
        for o in mentions:
            if o is m or o.drop or not any(o.start <= t.i < o.end for t in near):
                continue
            k = kind(o)
            if k and k not in ("Place", "Country") and not onto.is_a(k, "Person"):
                m.scores[k] += w("list_member")
                m.cued = True
                break
