"""One document → sentences → typed mentions → entities (clusters of mentions).

The entity step ties surface forms together inside one document: acronym
definitions ("Korea Aerospace Industries (KAI)"), short forms of firm names
("Talon" for "Talon Aerospace", "Vega" for "Vega Systems"), the tail of an
aircraft name ("TX4" for "Sky Falcon TX4") and a person's surname.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.lexicon import LexEntry, Lexicon
from kg.extract.mentions import (
    _JV_AFTER,
    _JV_BEFORE,
    CHUNK_RE,
    CORP_SUFFIX,
    GENERIC_CORP,
    GOV_HEAD,
    INSTITUTION_JOIN,
    ORG_OTHER,
    STARTERS,
    TITLE_WORDS,
    Mention,
    Sentence,
    classify,
    split_chunk,
)
from kg.extract.model import FINE_TO_COARSE

_TERMINAL = re.compile(r"[.!?:;\"”’)]\s*$")
_ACRONYM_AFTER = re.compile(r"^ \((?P<acr>[A-Z\u00C0-\u024F][A-Za-z\u00C0-\u024F&.-]{1,9})\)")


_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Ms|Mrs|Dr|Prof|Gen|Adm|Lt|Col|Maj|Capt|Sgt|Cmdr|"
    r"St|No|Nos|Inc|Ltd|Co|Corp|vs|etc|approx|Fig|Vol|Rev|Sen|Rep|Gov|Jr|Sr)|\b[A-Z]|(?:\b[A-Za-z]\.)+[A-Za-z])\.$"
)


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in _BOUNDARY.finditer(text, start, end):
        if _ABBREVIATION.search(text, max(start, m.start() - 12), m.start() + 1):
            continue
        out.append((s, m.end()))
        s = m.end()
    out.append((s, end))
    return out


def sentences(body_end: int, text: str) -> list[Sentence]:
    """Sentences of the body: a line break always ends one (headings, list items); so does ". X"."""
    out: list[Sentence] = []
    pos = 0
    end_all = min(body_end, len(text))
    while pos < end_all:
        nl = text.find("\n", pos, end_all)
        line_end = end_all if nl == -1 else nl
        parts = _split_line(text, pos, line_end)
        single = len(parts) == 1
        for s, e in parts:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s:
                continue
            t = text[s:e]
            words = [w for w in t.split() if w[:1].isalpha()]
            caps = sum(1 for w in words if w[:1].isupper())
            heading = single and not _TERMINAL.search(t) and len(words) <= 16 and caps >= 0.5 * max(1, len(words))
            out.append(Sentence(s, e, t, heading))
        pos = line_end + 1
    return out


@dataclass(slots=True)
class Cluster:
    kind: str
    name: str
    labels: set[str] = field(default_factory=set)
    iri: str | None = None
    only_demonym: bool = True
    first_sent: int = 0
    cue: str = ""


def _lexicon_hits(lexicon: Lexicon, text: str) -> list[tuple[int, int, LexEntry, bool]]:
    out = []
    for s, e, key in lexicon.match(text):
        found = lexicon.lookup(text[s:e]) or lexicon.lookup(key)
        if found is not None:
            out.append((s, e, found[0], found[1]))
    return out


def find_mentions(lexicon: Lexicon, sents: list[Sentence], text: str) -> list[Mention]:
    hits = _lexicon_hits(lexicon, text)
    mentions: list[Mention] = []
    hi = 0
    for si, sent in enumerate(sents):
        while hi < len(hits) and hits[hi][0] < sent.start:
            hi += 1
        local: list[Mention] = []
        j = hi
        while j < len(hits) and hits[j][1] <= sent.end:
            s, e, entry, dem = hits[j]
            j += 1
            mention = Mention(s, e, text[s:e], entry.kind, si, entry, dem, cue="lexicon")
            after = text[e : min(sent.end, e + 80)]
            if FINE_TO_COARSE.get(entry.kind) == "aircraft":
                # "Eurofighter Typhoons": a plural of a known name
                pm = _PLURAL_NEXT.match(after)
                if pm:
                    found = lexicon.lookup(f"{mention.text} {pm.group(1)}")
                    if (
                        found
                        and found[0] is not entry
                        and FINE_TO_COARSE.get(found[0].kind) == "aircraft"
                        or found
                        and found[0] is entry
                    ):
                        mention = Mention(
                            s,
                            e + len(pm.group(0)),
                            text[s : e + len(pm.group(0))],
                            found[0].kind,
                            si,
                            found[0],
                            plural=True,
                            cue="lexicon",
                        )
                        mention.text = f"{text[s:e]} {pm.group(1)}s"
                # "the Albatross fighter program": the programme, not the aircraft
                prog = _programme_after(after)
                if prog and _PROGRAMME_BEFORE_RE.search(text[max(sent.start, s - 40) : s]):
                    end = e + len(prog)
                    known = next(
                        (
                            f
                            for f in (lexicon.lookup(f"{mention.text} {w}") for w in ("programme", "program"))
                            if f and f[0].kind == "Programme"
                        ),
                        None,
                    )
                    mention = Mention(
                        s, end, text[s:end], "Programme", si, known[0] if known else None, cue="programme head"
                    )
            if dem and _GOVERNMENT_AFTER.match(after):
                # "the Brazilian government" is the country acting
                mention.end += len(_GOVERNMENT_AFTER.match(after).group(0))  # type: ignore[union-attr]
                mention.text = text[s : mention.end]
                mention.demonym = False
                mention.cue = "government"
            local.append(mention)
        blocked = [(m.start - sent.start, m.end - sent.start) for m in local]
        raw: list[tuple[int, int, str, bool]] = []
        for cm in CHUNK_RE.finditer(sent.text):
            cs, ce = cm.start(), cm.end()
            # cut the chunk around lexicon hits
            cuts = [(bs, be) for bs, be in blocked if bs < ce and be > cs]
            pos = cs
            for bs, be in cuts:
                if bs > pos:
                    raw += split_chunk(sent.text[pos:bs], pos)
                pos = max(pos, be)
            if pos < ce:
                raw += split_chunk(sent.text[pos:ce], pos)
        raw = _join_institutions(sent.text, raw, blocked)
        for rs, re_, rt, _poss in raw:
            if sent.heading:
                continue
            if rt.islower() or len(rt) < 2:
                continue
            before, after = sent.text[:rs], sent.text[re_:]
            kind, cue = classify(rt, before, after)
            end = sent.start + re_
            surface = rt
            if cue == "programme head":
                m = re.match(r"^((?: (?:[a-z]+-)?[a-z]+){0,4}? (?:programme|program|project|initiative))\b", after)
                if m:
                    end += len(m.group(1))
                    surface = text[sent.start + rs : end]
            if cue == "product" and len(rt.split()) > 1 and any(ch.isdigit() for ch in rt.split()[-1]):
                # "General Electric F110 engines": the firm, not its product's designation
                cut = rt.rindex(" ")
                end, surface, rt = sent.start + rs + cut, rt[:cut], rt[:cut]
            plural = cue == "quantity" and rt.endswith("s") and not rt.endswith("ss")
            local.append(Mention(sent.start + rs, end, surface, kind, si, plural=plural, cue=cue))
        local.sort(key=lambda m: m.start)
        if not sent.heading:
            local = _merge_subsidiary_names(text, local)
        local = _merge_demonym_names(text, local)
        local = _merge_parent_named(text, sent, local)
        local = _merge_variants(text, local)
        _extend_model_numbers(text, local)
        _coordinated_companies(text, local)
        _propagate_aircraft_lists(text, local)
        mentions += local
    return mentions


_GOVERNMENT_AFTER = re.compile(r"^ (?:government|authorities)\b")
_PLURAL_NEXT = re.compile(r"^ ([A-Z]\w+?)s\b")
_PROGRAMME_AFTER_RE = re.compile(r"^((?: (?:[a-z]+-)?[a-z]+){0,4}? (?:programme|program|project|initiative))\b")
_PROGRAMME_BEFORE_RE = re.compile(r"(?:\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)|['’]s?) (?:[a-z-]+ ){0,2}$")


def _programme_core(name: str) -> str:
    return re.sub(r"(?i)\s+(?:(?:[a-z][\w-]*\s+)*)(?:programme|program|project|initiative)$", "", name)


def _programme_after(after: str) -> str | None:
    m = _PROGRAMME_AFTER_RE.match(after)
    return m.group(1) if m else None


_JOIN_OF = re.compile(r"^ (?:of|for|on) (?:the )?$")
_JOIN_AND = re.compile(r"^ (?:and|&) $")


def _join_institutions(
    text: str, raw: list[tuple[int, int, str, bool]], blocked: list[tuple[int, int]]
) -> list[tuple[int, int, str, bool]]:
    """ "Presidency" + "of the" + "Defense Industry" → one name; same for "X and Y Commission"."""
    out: list[tuple[int, int, str, bool]] = []
    for piece in raw:
        if out:
            ps, pe, pt, pposs = out[-1]
            s, e, t, poss = piece
            gap = text[pe:s]
            head_words = {w.lower() for w in pt.split()}
            last_words = {w.lower() for w in t.split()}
            crosses = any(bs < s and be > pe for bs, be in blocked)
            if not pposs and not crosses:
                if _JOIN_OF.match(gap) and head_words & INSTITUTION_JOIN:
                    out[-1] = (ps, e, text[ps:e], poss)
                    continue
                if _JOIN_AND.match(gap) and (
                    last_words & (GOV_HEAD | ORG_OTHER)
                    or (head_words & INSTITUTION_JOIN and " of " in pt and len(t.split()) == 1)
                    or (gap.strip() == "&" and len(pt.split()) == 1 and len(t.split()) == 1)
                    or (
                        pt.split()[-1].lower() in GENERIC_CORP
                        and all(w.lower() in GENERIC_CORP | {"space", "security", "services"} for w in t.split())
                    )
                ):
                    out[-1] = (ps, e, text[ps:e], poss)
                    continue
        out.append(piece)
    return out


def _merge_demonym_names(text: str, local: list[Mention]) -> list[Mention]:
    """A country inside a name is part of it: "Turkish Aerospace Industries", "Royal Netherlands Air Force",
    "Rheinmetall Hungary Munitions", "US Coast Guard"."""
    out: list[Mention] = []
    for m in local:
        if m.entry is None and m.kind is None and m.text in _ARMED_WORDS:
            m.kind = "ArmedForce"
        if (
            out
            and m.entry is not None
            and m.entry.kind == "Country"
            and not m.demonym
            and out[-1].entry is None
            and out[-1].kind == "Company"
            and out[-1].text.split()[-1].lower() in CORP_SUFFIX
            and text[out[-1].end : m.start] == " "
            and not text[m.end : m.end + 2].startswith(
                (
                    "'",
                    "’",
                    " A",
                    " B",
                    " C",
                    " D",
                    " E",
                    " F",
                    " G",
                    " H",
                    " I",
                    " J",
                    " K",
                    " L",
                    " M",
                    " N",
                    " O",
                    " P",
                    " Q",
                    " R",
                    " S",
                    " T",
                    " U",
                    " V",
                    " W",
                    " X",
                    " Y",
                    " Z",
                )
            )
        ):
            # "Hanwha Defense Australia", "Vega Systems UK": a national subsidiary's name
            prev = out.pop()
            out.append(
                Mention(prev.start, m.end, text[prev.start : m.end], "Company", m.sent, cue=prev.cue + "+country")
            )
            continue
        if (
            out
            and m.entry is None
            and m.kind is None
            and out[-1].entry is not None
            and out[-1].entry.kind == "Country"
            and text[out[-1].end : m.start] == " "
            and _initials_match(f"{out[-1].text} {m.text}", text[m.end : m.end + 16])
        ):
            # "Japan Aircraft Industrial Enhancement (JAIEC)": the acronym says where the name starts
            prev = out.pop()
            merged_text = text[prev.start : m.end]
            kind = "GovernmentBody" if {w.lower() for w in merged_text.split()} & GOV_HEAD else "Company"
            out.append(Mention(prev.start, m.end, merged_text, kind, m.sent, cue="acronym initials"))
            continue
        if out and m.entry is None and (m.kind in {"Company", "ArmedForce", "GovernmentBody"} or _corp_tail(m.text)):
            prev = out[-1]
            words = [w.lower() for w in m.text.split()]
            if (
                prev.entry is not None
                and prev.entry.kind == "Country"
                and text[prev.end : m.start] == " "
                and (
                    all(w in GENERIC_CORP for w in words)
                    or m.kind in {"ArmedForce", "GovernmentBody"}
                    and len(words) <= 3
                    or _corp_tail(m.text)
                )
            ) or (
                prev.entry is not None
                and prev.entry.kind == "Country"
                and text[prev.end : m.start] == " "
                and m.text in _ARMED_WORDS
            ):
                start = prev.start
                out.pop()
                kind = m.kind if m.kind in {"ArmedForce", "GovernmentBody"} else "Company"
                # "Royal" + Netherlands + "Air Force"; "Rheinmetall" + Hungary + "Munitions"
                if (
                    out
                    and text[out[-1].end : start] == " "
                    and out[-1].kind in (None, "Company", "JointVenture")
                    and (out[-1].entry is None or kind == "Company")
                ):
                    if out[-1].kind == "JointVenture" and kind == "Company":
                        kind = "JointVenture"
                    start = out.pop().start
                merged = Mention(
                    start, m.end, text[start : m.end], kind, m.sent, cue=(m.cue or "corporate suffix") + "+country"
                )
                if kind == "JointVenture":
                    merged.cue = "joint venture apposition"
                out.append(merged)
                continue
        out.append(m)
    return out


_SECTOR_TAIL = re.compile(
    r"(?: (?:Defen[cs]e|Aerospace|Space|Systems|Aviation|Aeronautics|Electronics|Helicopters|Naval|Security|"
    r"Technologies|Missiles)(?: (?:and|&) (?:Defen[cs]e|Aerospace|Space|Security|Systems|Electronics))?)+"
)


_WORD_AFTER = re.compile(r" ([A-Z][\w&.-]*)")


def _company_like(m: Mention) -> bool:
    if m.demonym:
        return False
    if m.entry is not None:
        return m.entry.kind in ("Company", "Division")
    return m.kind in ("Company", "Division")


def _merge_subsidiary_names(text: str, local: list[Mention]) -> list[Mention]:
    """ "Boeing Defence Australia", "Airbus Defence and Space", "Saab Australia": a firm's name followed by
    sector words and/or a country's name is another company (a subsidiary), not the parent and a country."""
    out: list[Mention] = []
    i = 0
    while i < len(local):
        m = local[i]
        if _company_like(m):
            end = m.end
            sector = _SECTOR_TAIL.match(text, end)
            if sector:
                end = sector.end()
            j = i + 1
            while j < len(local) and local[j].start < end:
                j += 1  # chunk pieces inside the sector words
            nxt = local[j] if j < len(local) else None
            country = (
                nxt is not None
                and nxt.start == end + 1
                and text[end] == " "
                and nxt.entry is not None
                and nxt.entry.kind == "Country"
                and not nxt.demonym
            )
            if country and nxt is not None:
                end, j = nxt.end, j + 1
                # "Rheinmetall Hungary Munitions": corporate words after the country belong to the name
                while (tail := _WORD_AFTER.match(text, end)) and tail.group(1).lower() in CORP_SUFFIX:
                    end = tail.end()
                while j < len(local) and local[j].start < end:
                    j += 1
            if end > m.end and (country or sector):
                out.append(Mention(m.start, end, text[m.start : end], "Company", m.sent, cue="subsidiary name"))
                i = j
                continue
        out.append(m)
        i += 1
    return out


def _merge_parent_named(text: str, sent: Sentence, local: list[Mention]) -> list[Mention]:
    """ "a joint venture, Vega Halder Aerostructures (VHA)": a firm named after its parents is one name,
    not its parents followed by a remainder."""
    out: list[Mention] = []
    i = 0
    while i < len(local):
        j = i
        while (
            j + 1 < len(local)
            and text[local[j].end : local[j + 1].start] == " "
            and _org_piece(local[j])
            and _org_piece(local[j + 1])
        ):
            j += 1
        if j > i and any(m.entry is not None for m in local[i : j + 1]):
            start, end = local[i].start, local[j].end
            name = text[start:end]
            before = text[sent.start : start]
            after = text[end : sent.end]
            acronym = _initials_match(name, after[:16]) and _ACRONYM_AFTER.match(after)
            jv = _JV_BEFORE.search(before) or _JV_AFTER.match(after)
            last = local[j]
            if (acronym or jv) and last.entry is None and not last.demonym:
                kind = "JointVenture" if jv else "Company"
                out.append(
                    Mention(
                        start,
                        end,
                        name,
                        kind,
                        local[i].sent,
                        cue="joint venture apposition" if jv else "acronym initials",
                    )
                )
                i = j + 1
                continue
        out.append(local[i])
        i += 1
    return out


def _org_piece(m: Mention) -> bool:
    if m.entry is not None:
        return FINE_TO_COARSE.get(m.entry.kind) == "organization" and not m.demonym
    return m.kind in (None, "Company", "JointVenture", "Division")


def _initials_match(name: str, after: str) -> bool:
    am = _ACRONYM_AFTER.match(after)
    if not am:
        return False
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    caps = "".join(c for c in am.group("acr") if c.isupper())
    return len(initials) >= 3 and caps.startswith(initials)


_ARMED_WORDS = {"Navy", "Army", "Air Force", "Marines", "Coast Guard", "Armed Forces"}


def _coordinated_companies(text: str, local: list[Mention]) -> None:
    """ "Vega Systems, Orbis and Halder Works agreed": names listed with a firm are firms."""
    i = 0
    while i < len(local):
        j = i
        while j + 1 < len(local) and _COORD_GAP.match(text[local[j].end : local[j + 1].start]):
            j += 1
        chain = local[i : j + 1]
        if len(chain) >= 2:
            kinds = {m.kind for m in chain}
            if (
                "Company" in kinds
                and kinds <= {"Company", None}
                and any(m.entry is not None or m.cue for m in chain if m.kind)
            ):
                for m in chain:
                    if m.kind is None and m.entry is None and _firm_like(m.text):
                        m.kind, m.cue = "Company", "coordinated with a firm"
        i = j + 1


_COORD_GAP = re.compile(r"^(?:, | and |, and | & )$")


def _firm_like(name: str) -> bool:
    words = name.split()
    return len(words) != 2 or words[-1].lower() in GENERIC_CORP or name.isupper()


_MODEL_NUMBER = re.compile(
    r"^ (\d{2,4}(?:-\d{1,2}[A-Z]{0,2}|[A-Z]{1,2})?)\b(?![.,]\d|%| per| percent| million| billion)"
)


def _extend_model_numbers(text: str, local: list[Mention]) -> None:
    """ "Mirage" + "2000-5": a model number right after an aircraft's name is part of it (not a year)."""
    for m in local:
        if m.entry is not None or m.kind is None or FINE_TO_COARSE.get(m.kind) != "aircraft":
            continue
        nm = _MODEL_NUMBER.match(text[m.end : m.end + 16])
        if not nm or any(ch.isdigit() for ch in m.text):
            continue
        num = nm.group(1)
        if re.fullmatch(r"(?:19[5-9]\d|20[0-4]\d)", num):
            continue  # "the Kestrel in 2019" is a year; "Kestrel 2000-5" keeps its suffix
        m.end += nm.end()
        m.text = text[m.start : m.end]


def _merge_variants(text: str, local: list[Mention]) -> list[Mention]:
    """ "AH-64E" + known "Apache": a variant designator before a known aircraft is part of its name."""
    out: list[Mention] = []
    for m in local:
        if (
            out
            and m.entry is not None
            and FINE_TO_COARSE.get(m.entry.kind) == "aircraft"
            and out[-1].entry is None
            and text[out[-1].end : m.start] == " "
            and any(ch.isdigit() for ch in out[-1].text)
            and len(out[-1].text.split()) == 1
        ):
            prev = out.pop()
            merged = Mention(
                prev.start, m.end, text[prev.start : m.end], m.kind, m.sent, m.entry, plural=m.plural, cue="lexicon"
            )
            out.append(merged)
            continue
        if (
            out
            and m.entry is None
            and (m.kind is None or FINE_TO_COARSE.get(m.kind) == "aircraft")
            and len(m.text.split()) == 1
            and out[-1].entry is not None
            and FINE_TO_COARSE.get(out[-1].entry.kind) == "aircraft"
            and text[out[-1].end : m.start] in (" ", "/")
        ):
            # known "Embraer C-390" + "Millennium": the name goes on
            prev = out.pop()
            out.append(
                Mention(prev.start, m.end, text[prev.start : m.end], prev.kind, m.sent, prev.entry, cue="lexicon")
            )
            continue
        out.append(m)
    return out


def _corp_tail(name: str) -> bool:
    words = name.split()
    return (
        bool(words)
        and words[-1].lower().rstrip(".") in CORP_SUFFIX
        and words[-1] not in {"Defence", "Defense", "International"}
    )


_LIST_GAP = re.compile(r"^(?:,(?: the)?|(?: and|, and| or|, or|,? as well as)(?: the)?(?: [a-z][\w-]*){0,2}) $")


def _propagate_aircraft_lists(text: str, local: list[Mention]) -> None:
    """ "the Herti, Mantis, and Taranis UCAV": the names listed before a typed aircraft are aircraft too."""
    for i in range(len(local) - 1, 0, -1):
        cur, prev = local[i], local[i - 1]
        if (
            cur.kind
            and FINE_TO_COARSE.get(cur.kind) == "aircraft"
            and (prev.kind is None or prev.cue == "aircraft context")
            and prev.entry is None
        ):
            if _LIST_GAP.match(text[prev.end : cur.start]):
                prev.kind = cur.kind if cur.cue != "quantity" else "Aircraft"
                prev.cue = "aircraft list"


def _strip_corp(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in CORP_SUFFIX:
        words.pop()
    return " ".join(words)


_VARIANT = re.compile(r"^(?!(?:II|III|IV|VI|VII|VIII|IX|XI|XII)$)(?:[A-Z]{1,2}|[A-Z]/[A-Z]|Mk ?\d+[A-Z]?)$")


def _brand(name: str) -> str:
    """ "Kratos" for "Kratos Defense & Security Solutions": the name before the generic words."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in GENERIC_CORP | {
        "&",
        "and",
        "security",
        "services",
        "space",
        "advanced",
        "integrated",
        "applied",
    }:
        words.pop()
    return " ".join(words)


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


class _Surfaces:
    """Surface form → cluster, with the indexes that tie short forms to long ones in O(1)."""

    def __init__(self, clusters: list[Cluster]) -> None:
        self.clusters = clusters
        self.exact: dict[str, int] = {}
        self.stripped: dict[tuple[str, str], int] = {}
        self.org_short: dict[str, int] = {}
        self.tail: dict[str, int] = {}
        self.prefix: dict[str, int] = {}
        self.surname: dict[str, int] = {}

    def get(self, surface: str) -> int | None:
        return self.exact.get(surface)

    def __contains__(self, surface: str) -> bool:
        return surface in self.exact

    def __getitem__(self, surface: str) -> int:
        return self.exact[surface]

    def add(self, s: str, cid: int) -> None:
        if s in self.exact:
            return
        self.exact[s] = cid
        coarse = FINE_TO_COARSE[self.clusters[cid].kind]
        short = _strip_corp(s)
        self.stripped.setdefault((coarse, short), cid)
        words = s.split()
        if coarse == "organization" and short != s:
            self.org_short.setdefault(short, cid)
            brand = _brand(s)
            if brand and brand != short:
                self.org_short.setdefault(brand, cid)
        elif coarse == "aircraft" and len(words) >= 2:
            for i in range(1, len(words)):
                self.tail.setdefault(" ".join(words[i:]), cid)
            for w in words:
                # "C-390" inside "Embraer C-390 Millennium"
                if any(ch.isdigit() for ch in w) and len(w) >= 2:
                    self.prefix.setdefault(w, cid)
            if _VARIANT.match(words[-1]):
                # "Gripen" for "Gripen E": a variant letter (generations like "Anka III" are other aircraft)
                self.prefix.setdefault(" ".join(words[:-1]), cid)
        elif coarse == "person" and len(words) >= 2:
            self.surname.setdefault(words[-1], cid)

    def short_form_owner(self, surface: str) -> int | None:
        if surface.lower() in GENERIC_CORP or len(surface) < 2:
            return None
        for index in (self.org_short, self.tail, self.prefix, self.surname):
            cid = index.get(surface)
            if cid is not None and (index is not self.tail or len(surface) >= 3):
                return cid
        return None


def cluster_mentions(text: str, sents: list[Sentence], mentions: list[Mention]) -> list[Cluster]:
    """Give every typed mention a cluster; type unknown mentions that name a known cluster."""
    clusters: list[Cluster] = []
    by_key: dict[tuple[str, str], int] = {}
    surface_to = _Surfaces(clusters)

    def new_cluster(m: Mention, name: str) -> int:
        kind = m.kind or "Organization"
        key = (FINE_TO_COARSE[kind], name)
        if key in by_key:
            return by_key[key]
        by_key[key] = len(clusters)
        clusters.append(Cluster(kind, name, iri=None, first_sent=m.sent, cue=m.cue))
        return by_key[key]

    # 1. known entities
    for m in mentions:
        if m.entry is not None:
            key = (FINE_TO_COARSE.get(m.entry.kind, "organization"), m.entry.name)
            if key not in by_key:
                by_key[key] = len(clusters)
                clusters.append(Cluster(m.entry.kind, m.entry.name, iri=m.entry.iri, first_sent=m.sent, cue="lexicon"))
            m.cluster = by_key[key]
            surface_to.add(m.text, m.cluster)
    # 2. acronym definitions tie "(ACR)" to the name before it
    acronyms: dict[str, str] = {}
    acronym_of: dict[str, str] = {}
    for m in mentions:
        am = _ACRONYM_AFTER.match(text[m.end : m.end + 14])
        if am and m.kind is not None:
            acronyms[am.group("acr")] = m.text
            acronym_of[m.text] = am.group("acr")
    # 3. typed open-world mentions: longest names first so short forms find their long form
    typed = sorted((m for m in mentions if m.entry is None and m.kind is not None), key=lambda m: -len(m.text))
    for m in typed:
        name = _singular(m.text) if m.plural else m.text
        assert m.kind is not None
        if name in surface_to and _compatible(clusters[surface_to[name]].kind, m.kind):
            m.cluster = surface_to[name]
        elif m.text in acronyms and acronyms[m.text] in surface_to:
            m.cluster = surface_to[acronyms[m.text]]
        elif (
            m.kind == "Programme"
            and _programme_core(m.text) in acronyms
            and acronyms[_programme_core(m.text)] in surface_to
        ):
            # "the CCA programme" after "Collaborative Combat Aircraft (CCA)"
            m.cluster = surface_to[acronyms[_programme_core(m.text)]]
        elif (
            m.kind == "Programme"
            and _programme_core(m.text) in surface_to
            and clusters[surface_to[_programme_core(m.text)]].kind == "Programme"
        ):
            # "the Skyward programme" after "the Skyward loyal wingman programme"
            m.cluster = surface_to[_programme_core(m.text)]
        elif (
            m.text in acronym_of
            and acronym_of[m.text] in surface_to
            and _compatible(clusters[surface_to[acronym_of[m.text]]].kind, m.kind)
        ):
            # "Federal Office of ... (BAAINBw)" where the acronym is a known name
            m.cluster = surface_to[acronym_of[m.text]]
        else:
            owner = surface_to.stripped.get((FINE_TO_COARSE[m.kind], _strip_corp(name)))
            if FINE_TO_COARSE[m.kind] == "organization" and m.kind != "Organization" and name == _strip_corp(name):
                # "Nimbus" after "Nimbus Advanced Systems": a firm's short form, typed by its own cue;
                # of two firms it could shorten, the one introduced first
                short = surface_to.org_short.get(name)
                if short is not None and clusters[short].kind in ("Company", "JointVenture", "Division"):
                    if owner is None or clusters[short].first_sent < clusters[owner].first_sent:
                        owner = short
            if owner is None and m.cue == "aircraft head noun" and " " not in name:
                # "Tarvos jets" after "Tarvos Aerospace": the maker's short name before a generic aircraft noun
                firm = surface_to.org_short.get(name)
                if firm is not None and clusters[firm].kind in ("Company", "Division"):
                    m.cluster, m.kind = firm, clusters[firm].kind
                    surface_to.add(m.text, firm)
                    continue
            if owner is None and FINE_TO_COARSE[m.kind] == "aircraft":
                owner = surface_to.short_form_owner(name)
                if owner is not None and FINE_TO_COARSE[clusters[owner].kind] != "aircraft":
                    owner = None
            m.cluster = owner if owner is not None else new_cluster(m, name)
        surface_to.add(m.text, m.cluster)
        surface_to.add(name, m.cluster)
        if m.kind == "Programme":
            core = re.sub(r"(?i)\s+(?:(?:[a-z][\w-]*\s+)*)(?:programme|program|project|initiative)$", "", m.text)
            if core != m.text and core[:1].isupper():
                surface_to.add(core, m.cluster)
    # 4. unknown mentions that name a cluster (exactly, as an acronym, as a short form or a tail)
    # "Norvik" for "Norvik Aeroworks": the first word of exactly one firm's name (not a common word)
    first_words: dict[str, int] = {}
    for i, c in enumerate(clusters):
        words = c.name.split()
        if c.kind in ("Company", "JointVenture") and len(words) >= 2 and words[0][:1].isupper():
            w = words[0]
            if w.lower() in STARTERS or w.lower() in GENERIC_CORP or w in TITLE_WORDS or len(w) < 3:
                continue
            first_words[w] = -1 if first_words.get(w, i) != i else i
    first_words = {w: i for w, i in first_words.items() if i >= 0}
    for m in mentions:
        if m.cluster >= 0 or m.kind is not None:
            continue
        cid = surface_to.get(m.text)
        if cid is None and m.text in acronyms:
            cid = surface_to.get(acronyms[m.text])
        if cid is None:
            cid = surface_to.short_form_owner(m.text)
        if cid is None and " " not in m.text:
            cid = first_words.get(m.text)
        if cid is None and m.text.endswith("s") and not m.text.endswith("ss"):
            # "the first Vipers": the plural of a named aircraft
            cid = surface_to.get(m.text[:-1])
            if cid is None:
                cid = surface_to.short_form_owner(m.text[:-1])
            if cid is not None and FINE_TO_COARSE[clusters[cid].kind] != "aircraft":
                cid = None
        if cid is not None:
            m.cluster = cid
            m.kind = clusters[cid].kind
    # "Embraer C-390" and, elsewhere, "Embraer also signed": the name's first word is its maker
    makers: dict[str, int] = {}
    for m in mentions:
        if m.cluster >= 0 and FINE_TO_COARSE[clusters[m.cluster].kind] == "aircraft":
            words = m.text.split()
            if len(words) >= 2 and any(ch.isdigit() for ch in words[1]) and words[0][:1].isupper():
                makers.setdefault(words[0], -1)
    for m in mentions:
        if m.cluster < 0 and m.kind is None and m.text in makers and _AGENT_AFTER.match(text[m.end : m.end + 20]):
            m.kind, m.cue = "Company", "maker named in an aircraft name"
            cid = makers[m.text] if makers[m.text] >= 0 else new_cluster(m, m.text)
            makers[m.text] = cid
            m.cluster = cid
            surface_to.add(m.text, cid)
    if any(v >= 0 for v in makers.values()):
        for m in mentions:
            if m.cluster < 0 and m.kind is None and makers.get(m.text, -1) >= 0:
                m.cluster, m.kind = makers[m.text], "Company"
    # acronyms whose long form became known: "(SSB)" after "Presidency of the Defense Industry"
    for m in mentions:
        if m.cluster < 0 and m.text in acronyms:
            owner = surface_to.get(acronyms[m.text])
            if owner is not None:
                m.cluster, m.kind = owner, clusters[owner].kind
    return clusters


_AGENT_AFTER = re.compile(
    r"^(?:['’]s\b| (?:has|have|had|is|was|will|said|says|also|signed|announced|won|delivered|builds|makes|produces|"
    r"unveiled|agreed|plans|expects|reported|confirmed)\b)"
)


def _compatible(a: str, b: str | None) -> bool:
    return b is not None and FINE_TO_COARSE.get(a) == FINE_TO_COARSE.get(b)


def canonical_names(clusters: list[Cluster], mentions: list[Mention]) -> None:
    """Labels = every surface; name = reference label, else the longest non-acronym surface."""
    for m in mentions:
        if m.cluster < 0:
            continue
        c = clusters[m.cluster]
        if m.cue != "government":
            c.labels.add(m.text)
        if not m.demonym:
            c.only_demonym = False
    for c in clusters:
        if c.iri is not None or c.kind == "Country" and c.only_demonym is False and c.cue == "lexicon":
            continue
        if c.kind in {"Person"}:
            continue
        full = [label for label in c.labels if not (label.isupper() and len(label) <= 6)]
        if full and FINE_TO_COARSE[c.kind] == "organization":
            c.name = max(full, key=lambda label: (len(label.split()), len(label)))
        if c.kind == "Programme" and c.cue == "programme head":
            # "Albatross fighter program" and "ALBATROSS next-generation fighter jet program" are one programme
            core_words = []
            for w in c.name.split():
                if not w[:1].isupper() and not w[:1].isdigit():
                    break
                core_words.append(w)
            if core_words:
                core = " ".join(core_words)
                c.labels.add(core)
                c.name = f"{core} programme"
