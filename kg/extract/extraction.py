"""``extract``: one document's text → an :class:`~kg.extract.model.Extraction`."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict

from kg.errors import ExtractionError
from kg.extract import agreements as ag
from kg.extract import patterns as pt
from kg.extract.comments import find_body_end
from kg.extract.document import Cluster, canonical_names, cluster_mentions, find_mentions, sentences
from kg.extract.lexicon import Lexicon
from kg.extract.mentions import CORP_SUFFIX, GOV_HEAD, ORG_OTHER, STARTERS, TITLE_WORDS, Mention, Sentence
from kg.extract.model import (
    FINE_TO_COARSE,
    Agreement,
    Entity,
    Evidence,
    Extraction,
    Money,
    Position,
    Ref,
    Relation,
)
from kg.extract.values import iter_dates, iter_money

MAX_DOCUMENT_CHARS = 2_000_000
"""Documents longer than this (in characters) are refused with :class:`ExtractionError`."""

_CODE = {
    "Organization": "C",
    "Company": "C",
    "JointVenture": "C",
    "Division": "C",
    "GovernmentBody": "G",
    "ArmedForce": "G",
    "Country": "N",
    "Person": "P",
    "Aircraft": "A",
    "UnmannedAerialVehicle": "A",
    "CombatAircraft": "A",
    "UnmannedCombatAerialVehicle": "A",
    "Programme": "R",
    "Place": "L",
}
_POSSESSOR = re.compile(r"⟦[NC]\d+⟧'s (?=⟦[CG]\d+⟧)")
_PERSON_WORDS = re.compile(
    r"\b(?:ceo|cto|coo|cfo|chief|chair\w*|president|minister|director|head|founder|co-founder|editor\w*|"
    r"spokes\w+|expert|analyst|official|researcher|journalist|professor|engineer|pilot|mr|ms|mrs|dr|prof|gen|"
    r"general|admiral|adm|colonel|col|lt|lieutenant|captain|major|senator|sen|rep|said|told|says|added|explained|"
    r"noted|appointed|named|hired|promoted|elected|tapped|secretary|commander|ambassador|governor|owner|partner|"
    r"manager|chancellor|king|prince|officer|member|founded|its|counterparts?)\b"
)
_COMPANY_ANAPHOR = re.compile(
    r"\b((?:[Tt]he|[Tt]his) (?:new |combined |merged )?(?:company|firm|manufacturer|group|contractor|start-up|startup))(?:'s|’s)?\b"
)
_AIRCRAFT_ANAPHOR = re.compile(
    r"\b([Tt]he (?:helicopters?|jets?|aircraft|drones?|fighters?|planes?|type))(?=[,.;:]| (?:is|are|was|were|will|have|has|had|"
    r"would|can|could|together|to|from|for|in|into)\b)"
)
_IT_AFTER_VERB = re.compile(
    r"\b(?:use[sd]?|operate[sd]?|fly|flies|flew|deploy(?:s|ed)?|field(?:s|ed)?|receive[sd]?|induct(?:s|ed)?|"
    r"commission(?:ed)?|buy|bought|order(?:ed)?|acquired?) (?P<aircraft>it)(?=[ ,.;])"
)
_DEMONYM_ANAPHOR = re.compile(
    r"\b[Tt]he (?P<o>⟦D\d+⟧) (?:manufacturer|company|firm|group|planemaker|aircraft maker|drone maker|shipbuilder|contractor|defen[cs]e group|defen[cs]e company)\b(?! ⟦)"
)
_PROGRAMME_ANAPHOR = re.compile(r"\b([Tt]he (?:programme|program))\b(?! of)")
_ANAPHORA = re.compile(
    "|".join(
        rx.pattern.replace("(", f"(?P<{name}>", 1) if rx.pattern.startswith("\\b(") else rx.pattern
        for rx, name in (
            (_COMPANY_ANAPHOR, "company"),
            (_AIRCRAFT_ANAPHOR, "aircraft"),
            (_PROGRAMME_ANAPHOR, "programme"),
        )
    )
)
_INSTITUTION = re.compile(
    r"(?i)\b(?:university|institute|college|academy|school|rivista|journal|news|times|review|magazine|gazette|press|media)\b"
)
_SITED = ("JointVentureAgreement", "Partnership", "Procurement")
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*$")


class Masked(str):
    """A sentence with mentions replaced by placeholders, and the way back to the original offsets."""

    segments: list[tuple[int, int, int, int]]  # masked start, masked length, original start, original length

    def to_original(self, pos: int, *, end: bool = False) -> int:
        for ms, ml, os_, ol in self.segments:
            if ms <= pos < ms + ml or (end and pos == ms + ml):
                if ol == ml:
                    return os_ + (pos - ms)
                return os_ + ol if end else os_
        return self.segments[-1][2] + self.segments[-1][3] if self.segments else 0


def _render(sent: Sentence, ms: list[tuple[int, Mention]], clusters: list[Cluster], unknown: bool) -> Masked:
    text = sent.text.replace("’", "'").replace("‘", "'")
    parts: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    mpos = 0
    pos = 0
    last_ph = ""

    def emit(piece: str, ostart: int, olen: int) -> None:
        nonlocal mpos
        if piece or olen:
            parts.append(piece)
            segments.append((mpos, len(piece), ostart, olen))
            mpos += len(piece)

    for idx, m in ms:
        s, e = m.start - sent.start, m.end - sent.start
        if s < pos:
            continue
        if m.cluster >= 0:
            code = _CODE[clusters[m.cluster].kind]
            if code == "L" and text[e : e + 1] == "-":
                # "a Rome-based firm": the place is part of a modifier, not a name the patterns read
                continue
            if code == "N" and m.demonym:
                code = "D"
            ph = f"⟦{code}{m.cluster}⟧"
        elif unknown:
            ph = f"⟦U{idx}⟧"
        else:
            continue
        between = text[pos:s]
        if ph == last_ph and between == " (" and text[e : e + 1] == ")":
            # "Turkish Aerospace Industries (TAI)": the acronym repeats the name
            pos = e + 1
            segments[-1] = (segments[-1][0], segments[-1][1], segments[-1][2], e + 1 - segments[-1][2])
            continue
        if between.startswith("' ") and parts and parts[-1].startswith("⟦"):
            # plural possessive "Vega Systems' unit" reads like "Vega Systems's unit"
            emit("'s", pos, 1)
            between, pos = between[1:], pos + 1
        emit(between, pos, len(between))
        emit(ph, s, e - s)
        last_ph = ph
        pos = e
    rest = text[pos:]
    if rest.startswith("' ") and parts and parts[-1].startswith("⟦"):
        emit("'s", pos, 1)
        rest, pos = rest[1:], pos + 1
    emit(rest, pos, len(rest))
    out = Masked("".join(parts))
    out.segments = segments
    return out


_NAME_PARTICLES = frozenset(
    "da das de del della der di do dos du van von ter ten den la las los".split()
)


_BUSINESS_AFTER = re.compile(
    r"(?:'s)?(?: [\w-]+){0,3}? (?:business|businesses|unit|division|operations|assets|activities|arm|segment|stake)\b"
)

_BUSINESS_OF = re.compile(r"\b(?:business|businesses|unit|division|operations|assets|activities|arm|segment|stake) (?:of|in)\b")


def _looks_like_person(text: str) -> bool:
    words = text.split()
    # "Bosco da Costa Junior", "Ursula von der Leyen": particles inside the name are not words of it
    words = [words[0], *(w for w in words[1:-1] if w not in _NAME_PARTICLES), *words[1:][-1:]]
    if not 1 <= len(words) <= 4:
        return False
    for w in words:
        lw = w.lower().rstrip(".")
        if not _NAME_TOKEN.match(w) or lw in CORP_SUFFIX or lw in GOV_HEAD or lw in ORG_OTHER or w in TITLE_WORDS:
            return False
        if lw in STARTERS or any(ch.isdigit() for ch in w) or (w.isupper() and len(w) > 1):
            return False
    return True


def extract(text: str, *, lexicon: Lexicon, published: str | None = None) -> Extraction:
    """Read entities and facts from the body of one news article.

    >>> from rdflib import Graph
    >>> lex = Lexicon.from_graph(Graph())
    >>> x = extract("Italian defence group Halder signed a deal with Turkey.", lexicon=lex)
    >>> [(r.key, r.subject.name, r.object.name) for r in x.relations]
    [('country', 'Halder', 'Italy')]
    """
    if not isinstance(text, str):
        raise ExtractionError(f"expected text (str), got {type(text).__name__}")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ExtractionError(
            f"document has {len(text):,} characters, over the limit of {MAX_DOCUMENT_CHARS:,}; split it first"
        )
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]
    body_end = find_body_end(text)
    if not text[:body_end].strip():
        return Extraction(title=title, body_end=body_end, published=published)
    body = text[:body_end]
    sents = sentences(body_end, body)
    mentions = find_mentions(lexicon, sents, body)
    clusters = cluster_mentions(text, sents, mentions)
    return _Reader(text, sents, mentions, clusters, published, title, body_end, lexicon).run()


class _Reader:
    def __init__(
        self,
        text: str,
        sents: list[Sentence],
        mentions: list[Mention],
        clusters: list[Cluster],
        published: str | None,
        title: str,
        body_end: int,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.text, self.sents, self.mentions, self.clusters = text, sents, mentions, clusters
        self.published, self.title, self.body_end = published, title, body_end
        self.by_sent: dict[int, list[tuple[int, Mention]]] = defaultdict(list)
        for i, m in enumerate(mentions):
            self.by_sent[m.sent].append((i, m))
        for v in self.by_sent.values():
            v.sort(key=lambda x: x[1].start)
        self.rel: dict[tuple[str, int, int], tuple[float, int]] = {}
        self.pos: dict[tuple[int, int], tuple[str, float, int]] = {}
        self.used: set[int] = set()
        self.via: list[tuple[int, int, float, int]] = []
        counts: dict[int, int] = defaultdict(int)
        for m in mentions:
            if m.cluster >= 0 and FINE_TO_COARSE[clusters[m.cluster].kind] == "aircraft":
                counts[m.cluster] += 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], clusters[kv[0]].first_sent))
        # an aircraft named more often than any other (and more than once) is the article's topic
        self.topic_aircraft = (
            ranked[0][0] if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]) else None
        )

    # -- helpers ------------------------------------------------------------------------
    def kind(self, cid: int) -> str:
        return self.clusters[cid].kind

    def new_cluster(self, m: Mention, kind: str) -> int:
        name = re.sub(r"['’]s$", "", m.text)
        for i, c in enumerate(self.clusters):
            if c.name == name and FINE_TO_COARSE[c.kind] == FINE_TO_COARSE[kind]:
                m.cluster, m.kind = i, c.kind
                return i
        self.clusters.append(Cluster(kind, name, first_sent=m.sent, cue="pattern"))
        m.cluster, m.kind = len(self.clusters) - 1, kind
        for other in self.mentions if kind != "Person" else ():
            # the same name elsewhere in the text is the same entity (people are joined later, by surname too)
            if other.cluster < 0 and other.kind is None and other.text == m.text:
                other.cluster, other.kind = m.cluster, kind
        return m.cluster

    def add_rel(self, key: str, s: int, o: int, conf: float, si: int) -> None:
        if s == o:
            return
        k = (key, s, o)
        if k not in self.rel or self.rel[k][0] < conf:
            self.rel[k] = (conf, si)

    def evidence(self, si: int, conf: float) -> Evidence:
        s = self.sents[si]
        return Evidence(s.text, s.start, s.end, round(min(1.0, max(0.0, conf)), 3))

    def ref(self, cid: int) -> Ref:
        c = self.clusters[cid]
        self.used.add(cid)
        return Ref(FINE_TO_COARSE[c.kind], c.name)

    def sentence_mentions(self, si: int, state: dict[str, int]) -> list[tuple[int, Mention]]:
        """The sentence's mentions plus "the company" / "the helicopters" standing for the last one named."""
        ms = list(self.by_sent.get(si, []))
        sent = self.sents[si]
        extra: list[tuple[int, Mention]] = []
        candidates = (
            [(m.lastgroup, m) for m in _ANAPHORA.finditer(sent.text)]
            if ("he " in sent.text or "his " in sent.text)
            else []
        )
        if " it" in sent.text:
            # "the air force will use it alongside ...": "it" after a verb of using or buying is the aircraft
            candidates += [("aircraft", m) for m in _IT_AFTER_VERB.finditer(sent.text)]
        for key, m in candidates:
            if key is None or key not in state:
                continue
            s, e = sent.start + m.start(key), sent.start + m.end(key)
            if any(not (e <= x.start or s >= x.end) for _, x in ms):
                continue
            target = state[key]
            if key == "aircraft" and self.topic_aircraft is not None and self.clusters[self.topic_aircraft].first_sent <= si:
                # "the aircraft", "the type": the one the article is about, not the last one named in passing
                target = self.topic_aircraft
            pm = Mention(s, e, m.group(key), self.kind(target), si, cue="anaphor")
            pm.cluster = target
            extra.append((-1, pm))
        if extra:
            ms = sorted(ms + extra, key=lambda x: x[1].start)
        # update: the first company named is the sentence's topic; the last aircraft named is "the aircraft"
        for _, m in self.by_sent.get(si, []):
            if m.cluster >= 0 and self.kind(m.cluster) in ("Company", "JointVenture", "Division"):
                state["company"] = m.cluster
                break
        for _, m in reversed(self.by_sent.get(si, [])):
            if m.cluster >= 0 and FINE_TO_COARSE[self.kind(m.cluster)] == "aircraft":
                state["aircraft"] = m.cluster
                break
        for _, m in reversed(self.by_sent.get(si, [])):
            if m.cluster >= 0 and self.kind(m.cluster) == "Programme":
                state["programme"] = m.cluster
                break
        for _, m in reversed(self.by_sent.get(si, [])):
            if m.cluster >= 0 and self.kind(m.cluster) in (
                "Company",
                "JointVenture",
                "Division",
                "GovernmentBody",
                "ArmedForce",
                "Organization",
            ):
                state["last_org"] = m.cluster
                break
        return ms

    # -- passes -------------------------------------------------------------------------
    def run(self) -> Extraction:
        self.people_pass()
        self.attach_surnames()
        canonical_names(self.clusters, self.mentions)
        self.name_makers()
        found = self.fact_pass()
        for prog, aircraft, conf, si in self.via:
            for k, a, maker in list(self.rel):
                if k == "manufacturer" and a == aircraft and self._valid("participant", prog, maker):
                    self.add_rel("participant", prog, maker, conf, si)
        self.name_countries()
        return self.build(found)

    def people_pass(self) -> None:
        country_counts = Counter(
            m.cluster for m in self.mentions if m.cluster >= 0 and self.kind(m.cluster) == "Country"
        )
        top_country = country_counts.most_common(1)[0][0] if country_counts else None
        state: dict[str, int] = {}
        for si, sent in enumerate(self.sents):
            ms = self.sentence_mentions(si, state)
            if sent.heading or not ms or not _PERSON_WORDS.search(sent.text.lower()):
                continue
            masked = _render(sent, ms, self.clusters, unknown=True)
            if "⟦U" not in masked:
                continue
            for uid, title_span, org_id in pt.its_titles(masked):
                m = self.mentions[uid]
                org_id = org_id if org_id >= 0 else state.get("last_org", -1)
                if org_id >= 0 and m.cluster < 0 and _looks_like_person(m.text) and len(m.text.split()) >= 2:
                    pid = self.new_cluster(m, "Person")
                    ts, te = masked.to_original(title_span[0]), masked.to_original(title_span[1], end=True)
                    self.pos.setdefault((pid, org_id), (sent.text[ts:te], 0.7, si))
            for uid, title_span, org_id in pt.company_title_names(masked, state.get("company")):
                m = self.mentions[uid]
                if m.cluster < 0 and _looks_like_person(m.text) and len(m.text.split()) >= 2:
                    pid = self.new_cluster(m, "Person")
                    ts, te = masked.to_original(title_span[0]), masked.to_original(title_span[1], end=True)
                    self.pos.setdefault((pid, org_id), (sent.text[ts:te], 0.7, si))
            for uid, title_span, oid in pt.unknown_org_titles(masked):
                m, om = self.mentions[uid], self.mentions[oid]
                if m.cluster >= 0 or om.cluster >= 0 or not _looks_like_person(m.text) or len(m.text.split()) < 2:
                    continue
                if any(w.lower() in STARTERS or w in TITLE_WORDS for w in om.text.split()) or _INSTITUTION.search(
                    om.text
                ):
                    continue
                pid = self.new_cluster(m, "Person")
                org_id = self.new_cluster(om, "Company")
                self._tie_acronym(om)
                ts, te = masked.to_original(title_span[0]), masked.to_original(title_span[1], end=True)
                self.pos.setdefault((pid, org_id), (sent.text[ts:te], 0.75, si))
            for uid in pt.person_cues(masked):
                m = self.mentions[uid]
                if m.cluster < 0 and _looks_like_person(m.text) and len(m.text.split()) >= 2:
                    self.new_cluster(m, "Person")
            for name, uid, title_span, org, conf, _poss in pt.positions(masked):
                m = self.mentions[uid]
                extend_title = ""
                words = m.text.split()
                if name == "org_title_of_name" and (len(words) < 3 or m.cluster >= 0):
                    continue
                if name in ("org_title_name", "org_title_of_name") and len(words) >= 3 and m.cluster < 0:
                    # "Minister of Industry and Tourism Jordi Hereu": the run of capitals holds the title's end
                    title_text = masked[title_span[0] : title_span[1]]
                    if re.search(r" (?:of|for) ", title_text) and _looks_like_person(" ".join(words[-2:])):
                        head, tail = words[:-2], words[-2:]
                        cut = m.text.index(" ".join(tail))
                        extend_title = " " + " ".join(head)
                        m = Mention(m.start + cut, m.end, " ".join(tail), None, m.sent)
                        self.mentions.append(m)
                if m.cluster >= 0 and self.kind(m.cluster) != "Person":
                    continue
                if not _looks_like_person(m.text):
                    continue
                single = len(m.text.split()) == 1
                known = self._person_by_surname(m.text) if single and m.cluster < 0 else None
                if known is not None:
                    m.cluster, m.kind = known, "Person"
                elif single and name not in ("bare_title_name", "org_title_name"):
                    continue
                ts, te = masked.to_original(title_span[0]), masked.to_original(title_span[1], end=True)
                title = re.sub(r"\s+", " ", sent.text[ts:te] + extend_title).strip(" ,")
                org_id: int | None = None
                if org:
                    code, num = org[1], int(org[2:-1])
                    if code == "U":
                        om = self.mentions[num]
                        if om.cluster < 0:
                            if _looks_like_person(om.text) and len(om.text.split()) == 2:
                                continue
                            corporate = not re.search(
                                r"(?i)editor|journalist|professor|dean|rector|researcher|fellow|correspondent|analyst",
                                title,
                            )
                            self.new_cluster(
                                om, "Company" if corporate and not _INSTITUTION.search(om.text) else "Organization"
                            )
                            self._tie_acronym(om)
                        org_id = om.cluster
                    else:
                        org_id = num
                    okind = self.kind(org_id)
                    if okind == "Country" and not pt.COUNTRY_TITLES.search(title):
                        continue
                else:
                    org_id = self._context_country(si, masked, masked.find(f"⟦U{uid}⟧"))
                    if org_id is None:
                        org_id = top_country
                if org_id is None:
                    continue
                pid = m.cluster if m.cluster >= 0 else self.new_cluster(m, "Person")
                key = (pid, org_id)
                if key not in self.pos or self.pos[key][1] < conf:
                    self.pos[key] = (title, conf, si)
            if "counterpart" in masked:
                self._counterparts(si, sent, masked)

    def _counterparts(self, si: int, sent: Sentence, masked: Masked) -> None:
        for uid, title_span, country in pt.counterparts(masked):
            m = self.mentions[uid]
            if m.cluster >= 0 or not _looks_like_person(m.text) or len(m.text.split()) < 2:
                continue
            pid = self.new_cluster(m, "Person")
            if title_span is not None:
                ts, te = masked.to_original(title_span[0]), masked.to_original(title_span[1], end=True)
                title = sent.text[ts:te]
            else:
                title = next((t for t, _, s in reversed(list(self.pos.values())) if s == si), "")
            if title and pt.COUNTRY_TITLES.search(title):
                self.pos.setdefault((pid, country), (title, 0.7, si))

    def _person_by_surname(self, surname: str) -> int | None:
        for i, c in enumerate(self.clusters):
            if c.kind == "Person" and len(c.name.split()) >= 2 and c.name.split()[-1] == surname:
                return i
        return None

    def _context_country(self, si: int, masked: str, start: int) -> int | None:
        """The country a bare "President X" serves: the last one named before, in this sentence or the one before."""
        for m in reversed(list(pt.PH.finditer(masked, 0, max(0, start)))):
            if m.group(1) in "ND":
                return int(m.group(2))
        for _, m in reversed(self.by_sent.get(si - 1, [])):
            if m.cluster >= 0 and self.kind(m.cluster) == "Country":
                return m.cluster
        return None

    def _unmask(self, s: str) -> str:
        def sub(m: re.Match[str]) -> str:
            code, num = m.group(1), int(m.group(2))
            if code == "U":
                return self.mentions[num].text
            return next((mm.text for mm in self.mentions if mm.cluster == num), self.clusters[num].name)

        return pt.PH.sub(sub, s)

    def _tie_acronym(self, m: Mention) -> None:
        am = re.match(r"^ \(([A-Z][A-Za-z&.-]{1,9})\)", self.text[m.end : m.end + 14])
        if not am:
            return
        for other in self.mentions:
            if other.text == am.group(1) and other.cluster < 0:
                other.cluster, other.kind = m.cluster, m.kind

    def attach_surnames(self) -> None:
        people = {i: c for i, c in enumerate(self.clusters) if c.kind == "Person"}
        if not people:
            return
        names: dict[str, int] = {}
        for i, c in people.items():
            words = c.name.split()
            names.setdefault(c.name, i)
            if len(words) >= 2:
                names.setdefault(words[-1], i)
        for m in self.mentions:
            if m.cluster < 0 and m.text in names:
                m.cluster, m.kind = names[m.text], "Person"

    def fact_pass(self) -> list[tuple[ag.Found, int, str]]:
        memory = ag.PairMemory()
        kinds = {i: c.kind for i, c in enumerate(self.clusters)}
        out: list[tuple[ag.Found, int, str]] = []
        state: dict[str, int] = {}
        for si, sent in enumerate(self.sents):
            masked = _render(sent, self.sentence_mentions(si, state), self.clusters, unknown=False)
            if "⟦" not in masked and not (
                ag.PARTNER.search(masked.lower()) or ag.MOU.search(masked) or ag.JV.search(masked)
            ):
                continue
            for key, s, o, conf in pt.relations(masked, kinds):
                if key == "participant_via":
                    self.via.append((s, o, conf, si))
                elif key == "participant_ctx":
                    # "industrial partners X and Y": of the programme named in this sentence or the one before
                    prog = self._recent_programme(si)
                    if prog is not None and self._valid("participant", prog, o):
                        self.add_rel("participant", prog, o, conf, si)
                elif self._valid(key, s, o):
                    self.add_rel(key, s, o, conf, si)
            topic = state.get("company")
            if topic is not None and "⟦D" in masked:
                topic = self._talked_about_firm(topic)
            if topic is not None:
                for m in _DEMONYM_ANAPHOR.finditer(masked):
                    # "the Brazilian manufacturer said": the firm being talked about is Brazilian
                    o = pt.first_id(m.group("o"))
                    if self._valid("country", topic, o):
                        self.add_rel("country", topic, o, 0.6, si)
            party_view = Masked(_POSSESSOR.sub("", masked) if "'s ⟦" in masked else masked)
            party_view.segments = []
            new = []
            for f in ag.find(party_view, kinds, memory):
                if f.kind == "Procurement":
                    f = self._procurement(f, si)
                new.append((f, si, party_view))
            out += new
            if os.environ.get("KG_DEBUG"):
                print(si, memory, party_view[:100])
            for m in pt._JV_NAMED.finditer(masked):
                jv = pt.first_id(m.group("s") or m.group("s2"))
                parents = next(
                    (f.parties for f, _, _ in reversed(new) if f.kind == "JointVentureAgreement"), memory.orgs
                )
                if jv in parents:
                    # a parent named right after "joint venture" is not the venture itself
                    continue
                self.clusters[jv].kind = "JointVenture"
                kinds[jv] = "JointVenture"
                # "... a joint venture, X. Each partner will hold a stake in the company": the new firm
                state["company"] = jv
                for p in parents:
                    if p != jv and kinds.get(p) in ("Company", "Division", "GovernmentBody", "Organization"):
                        self.add_rel("parentOrganization", jv, p, 0.8, si)
            for f in new:
                if f[0].kind == "Acquisition":
                    a, b = f[0].parties
                    # "its purchase of X's actuation business": a part of X changes hands, not X
                    span = f[2][f[0].start : f[0].end]
                    part = _BUSINESS_AFTER.match(f[2], f[0].end) or _BUSINESS_OF.search(span)
                    if ag.status_of(sent.text) not in ("Proposed", "Cancelled") and not part:
                        self.add_rel("parentOrganization", b, a, 0.7, si)
        return out

    def _talked_about_firm(self, topic: int) -> int | None:
        """ "The Brazilian manufacturer": the maker of the article's aircraft, else the topic firm; None if they differ."""
        if self.topic_aircraft is None:
            return topic
        makers = {o for (k, a, o) in self.rel if k == "manufacturer" and a == self.topic_aircraft}
        if len(makers) == 1:
            return makers.pop()
        return None if makers else topic

    def _recent_programme(self, si: int) -> int | None:
        for j in (si, si - 1):
            progs = {
                m.cluster for _, m in self.by_sent.get(j, []) if m.cluster >= 0 and self.kind(m.cluster) == "Programme"
            }
            if len(progs) == 1:
                return progs.pop()
            if progs:
                return None
        return None

    def _procurement(self, f: ag.Found, si: int) -> ag.Found:
        """Buyers operate what they buy; a seller named in the aircraft's name is a party."""
        subjects = [a for a in f.extra.get("subjects", []) if FINE_TO_COARSE[self.kind(a)] == "aircraft"]  # type: ignore[union-attr]
        buyers: list[int] = list(f.extra.get("buyers", []))  # type: ignore[call-overload]
        if f.extra.get("proposed"):
            buyers = []
        if not any(self.kind(p) in ("Company", "JointVenture", "Division") for p in f.parties):
            makers = [o for (k, a, o) in self.rel if k == "manufacturer" and a in subjects]
            if len(f.parties) == 1:
                # a buyer with no seller named: the aircraft's maker named first in the text sells it
                makers.sort(key=lambda c: min((m.start for m in self.mentions if m.cluster == c), default=10**9))
            if makers:
                f = ag.Found(
                    f.kind,
                    tuple(dict.fromkeys(f.parties + (makers[0],))),
                    f.start,
                    f.end,
                    f.confidence,
                    f.explicit,
                    f.extra,
                )
        for i, a in enumerate(subjects):
            for b in buyers:
                self.add_rel("operator", a, b, 0.7, si)
            for seller in f.parties if i == 0 else ():
                # a firm that sells an aircraft type makes it (governments resell; firms rarely do)
                if self.kind(seller) in ("Company", "JointVenture", "Division"):
                    self.add_rel("manufacturer", a, seller, 0.6, si)
        return f

    def _valid(self, key: str, s: int, o: int) -> bool:
        sk, ok = FINE_TO_COARSE[self.kind(s)], FINE_TO_COARSE[self.kind(o)]
        okind = self.kind(o)
        if key == "manufacturer":
            return sk == "aircraft" and ok == "organization" and okind not in ("GovernmentBody", "ArmedForce")
        if key == "operator":
            return sk == "aircraft" and ok in ("organization", "country")
        if key == "country":
            return sk == "organization" and ok == "country"
        if key in ("parentOrganization", "supplier"):
            return sk == "organization" and ok == "organization"
        if key == "participant":
            return sk == "programme" and ok in ("organization", "country")
        return False

    def name_makers(self) -> None:
        """ "Embraer C-390": an aircraft named after a firm of the document is made by it."""
        firms = {}
        for i, c in enumerate(self.clusters):
            if c.kind in ("Company", "JointVenture", "Division"):
                for label in c.labels | {c.name}:
                    firms.setdefault(label, i)
        for i, c in enumerate(self.clusters):
            if FINE_TO_COARSE[c.kind] != "aircraft":
                continue
            for label in sorted(c.labels | {c.name}):
                words = label.split()
                if len(words) >= 2 and words[0] in firms:
                    si = next((m.sent for m in self.mentions if m.cluster == i), 0)
                    self.add_rel("manufacturer", i, firms[words[0]], 0.65, si)
                    break

    def name_countries(self) -> None:
        """A firm or body whose name starts with a country or demonym is based there."""
        by_surface: dict[str, int] = {}
        for m in self.mentions:
            if m.cluster >= 0 and self.kind(m.cluster) == "Country":
                by_surface.setdefault(m.text, m.cluster)
        for i, c in enumerate(self.clusters):
            if FINE_TO_COARSE[c.kind] != "organization" or c.kind == "Organization":
                continue
            for label in sorted(c.labels | {c.name}):
                words = label.split()
                if len(words) < 2:
                    continue
                target = None
                for w in words[:2]:
                    target = by_surface.get(w)
                    if target is None and self.lexicon is not None:
                        hit = self.lexicon.lookup(w)
                        if hit and hit[0].kind == "Country":
                            target = self._country_cluster(hit[0])
                    if target is not None:
                        break
                if target is not None:
                    si = next((m.sent for m in self.mentions if m.cluster == i), 0)
                    self.add_rel("country", i, target, 0.6, si)
                    break

    def _country_cluster(self, entry: object) -> int:
        name = entry.name  # type: ignore[attr-defined]
        for i, c in enumerate(self.clusters):
            if c.kind == "Country" and c.name == name:
                return i
        self.clusters.append(Cluster("Country", name, iri=entry.iri, only_demonym=False, cue="lexicon"))  # type: ignore[attr-defined]
        return len(self.clusters) - 1

    def build(self, found: list[tuple[ag.Found, int, str]]) -> Extraction:
        relations = [
            Relation(key, self.ref(s), self.ref(o), self.evidence(si, conf))
            for (key, s, o), (conf, si) in sorted(self.rel.items(), key=lambda kv: (kv[1][1], kv[0]))
        ]
        positions = [
            Position(self.ref(p), self.ref(o), title, self.evidence(si, conf))
            for (p, o), (title, conf, si) in sorted(self.pos.items(), key=lambda kv: (kv[1][2], kv[0]))
        ]
        agreements = self._agreements(found)
        entities = []
        for i, c in enumerate(self.clusters):
            if not c.labels and i not in self.used:
                continue
            if c.kind == "Country" and c.only_demonym and i not in self.used:
                continue
            entities.append(
                Entity(c.kind, c.name, frozenset(c.labels | ({c.name} if c.kind != "Country" else set())), c.iri)
            )
        entities.sort(key=lambda e: (FINE_TO_COARSE[e.kind], e.name))
        return Extraction(
            title=self.title,
            body_end=self.body_end,
            entities=tuple(entities),
            relations=tuple(relations),
            positions=tuple(positions),
            agreements=tuple(agreements),
            published=self.published,
        )

    def _agreements(self, found: list[tuple[ag.Found, int, str]]) -> list[Agreement]:
        merged: dict[tuple[str, frozenset[int]], dict[str, object]] = {}
        order: list[tuple[str, frozenset[int]]] = []
        for f, si, masked in found:
            parties = frozenset(f.parties)
            if len(parties) == 1 and f.kind == "Procurement" and not f.extra.get("proposed"):
                # a buyer with no seller named: the maker of what it buys, once every maker in the text is known
                subjects = set(f.extra.get("subjects", []))  # type: ignore[call-overload]
                makers = sorted(
                    {o for (k, a, o) in self.rel if k == "manufacturer" and a in subjects},
                    key=lambda c: min((m.start for m in self.mentions if m.cluster == c), default=10**9),
                )
                if makers and makers[0] not in parties:
                    f = ag.Found(f.kind, (*f.parties, makers[0]), f.start, f.end, f.confidence, f.explicit, f.extra)
                    parties = frozenset(f.parties)
            if len(parties) < 2:
                continue
            sent = self.sents[si]
            info = {
                "parties": f.parties,
                "si": si,
                "conf": f.confidence,
                "status": ag.status_of(masked[max(0, f.start - 80) : f.end + 80]),
                "date": self._date(sent),
                "value": self._value(sent),
                "subjects": tuple(dict.fromkeys(pt.ids(masked, "AR"))),
                # where a venture or a production deal is based; not where a memorandum was signed
                "sites": tuple(dict.fromkeys(pt.ids(masked, "L"))) if f.kind in _SITED else (),
            }
            key = (f.kind, parties)
            if key not in merged:
                merged[key] = info
                order.append(key)
            else:
                old = merged[key]
                for field in ("status", "date", "value"):
                    if old[field] is None:
                        old[field] = info[field]
                old["subjects"] = tuple(dict.fromkeys(old["subjects"] + info["subjects"]))  # type: ignore[operator]
                old["sites"] = tuple(dict.fromkeys(old["sites"] + info["sites"]))  # type: ignore[operator]
        # a generic "agreement"/"partnership" between parties that also have a specific one is that one
        specific = {p for k, p in order if k != "Partnership"}
        out = []
        for key in order:
            kind, parties = key
            info = merged[key]
            if kind == "Partnership" and parties in specific:
                for k2 in order:
                    if k2[1] == parties and k2[0] != "Partnership":
                        for field in ("status", "date", "value"):
                            if merged[k2][field] is None:
                                merged[k2][field] = info[field]
                continue
        for key in order:
            kind, parties = key
            if kind == "Partnership" and parties in specific:
                continue
            info = merged[key]
            out.append(
                Agreement(
                    kind=kind,
                    parties=tuple(self.ref(p) for p in info["parties"]),  # type: ignore[attr-defined]
                    evidence=self.evidence(info["si"], info["conf"]),  # type: ignore[arg-type]
                    status=info["status"],  # type: ignore[arg-type]
                    date=info["date"],  # type: ignore[arg-type]
                    value=info["value"],  # type: ignore[arg-type]
                    subjects=tuple(self.ref(s) for s in info["subjects"]),  # type: ignore[attr-defined]
                    sites=tuple(self.ref(s) for s in info["sites"]),  # type: ignore[attr-defined]
                )
            )
        return out

    def _date(self, sent: Sentence) -> str | None:
        found = iter_dates(sent.text, self.published)
        return found[0][2] if found else None

    def _value(self, sent: Sentence) -> Money | None:
        found = iter_money(sent.text)
        if not found:
            return None
        # "a $30 billion trade volume" is not a price; a price sits next to the deal words
        for s, e, money in found:
            window = sent.text[max(0, s - 60) : e + 60].lower()
            if re.search(
                r"deal|contract|agreement|acquisition|order|purchase|worth|valued|price|buy|bought|sale", window
            ):
                return money
        return None
