"""Document → typed mentions: known names, and unknown names typed by how the text talks about them.

A mention is a character span with a fine kind (an ontology class local name) or
``None`` when the span is a capitalised name the text gives no cue for yet.
Cues are local: corporate suffixes ("... Aeronautics"), institutional heads
("Ministry of ...", "... Commission"), appositions ("drone manufacturer X",
"X, a ... firm"), aircraft head nouns ("X and Y drones", "F-16 fighter jets"),
designators ("KF-21"), quantities ("20 X"), programme heads ("the X fighter program").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from kg.extract.lexicon import LexEntry

_UP = "".join(sorted({chr(c) for c in range(0x41, 0x250) if chr(c).isupper()}))
UPC = "[" + re.escape(_UP) + "]"
_TOK = rf"{UPC}\w*(?:[-'’.&/]\w+)*"
# lowercase name particles inside a person's or a firm's name: "Bosco da Costa", "Ursula von der Leyen"
_PARTICLE = r"(?:da|das|de|del|della|der|di|do|dos|du|van|von|ter|ten)(?: (?:der|den|la|las|los))?"
CHUNK_RE = re.compile(
    rf"(?<![\w'’./-]){_TOK}(?:(?: |-)(?:{_TOK}|\d{{1,3}}[A-Za-z]{{0,3}}\b(?![.,]\d))| {_PARTICLE} (?={UPC}){_TOK})*"
)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    heading: bool


@dataclass(slots=True)
class Mention:
    start: int  # document offsets
    end: int
    text: str  # surface form, possessive stripped
    kind: str | None  # fine kind; None while no cue is known
    sent: int
    entry: LexEntry | None = None
    demonym: bool = False
    plural: bool = False
    cue: str = ""
    cluster: int = -1


CORP_SUFFIX = {
    "systems",
    "aerospace",
    "aeronautics",
    "aeronautica",
    "aviation",
    "industries",
    "technologies",
    "technology",
    "dynamics",
    "defence",
    "defense",
    "group",
    "corporation",
    "corp",
    "corp.",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "limited",
    "plc",
    "ag",
    "se",
    "gmbh",
    "s.p.a",
    "s.p.a.",
    "spa",
    "sa",
    "s.a",
    "ab",
    "asa",
    "a.s",
    "llc",
    "co",
    "co.",
    "holdings",
    "holding",
    "electronics",
    "robotics",
    "motors",
    "shipyards",
    "shipbuilding",
    "airlines",
    "helicopters",
    "munitions",
    "arms",
    "solutions",
    "labs",
    "microsystems",
    "missiles",
    "avionics",
    "aircraft",
    "airframes",
    "drones",
    "unmanned",
    "autonomy",
    "engineering",
    "industrie",
    "industria",
    "teknoloji",
    "savunma",
    "sanayi",
    "enterprises",
    "engines",
    "international",
    "manufacturing",
    "ventures",
    "works",
    "electric",
    "optronics",
    "ordnance",
    "armaments",
    "shipbuilders",
    "aero",
    "sons",
}
# words that make a chunk all-generic ("Aerospace Industries"), so a demonym before it belongs to the name
GENERIC_CORP = CORP_SUFFIX | {"aerospace", "aircraft", "defence", "defense", "shipyard", "arms", "space"}
GOV_HEAD = {
    "ministry",
    "department",
    "presidency",
    "directorate",
    "secretariat",
    "agency",
    "commission",
    "office",
    "administration",
    "parliament",
    "senate",
    "congress",
    "bundestag",
    "cabinet",
    "government",
    "council",
    "organisation",
    "organization",
}
ORG_OTHER = {
    "university",
    "institute",
    "college",
    "school",
    "academy",
    "foundation",
    "journal",
    "review",
    "news",
    "times",
    "post",
    "gazette",
    "magazine",
    "rivista",
    "tribune",
    "herald",
    "daily",
    "centre",
    "center",
    "observatory",
    "forum",
    "association",
    "society",
    "federation",
    "union",
    "alliance",
    "club",
}
ARMED = re.compile(
    r"(?:Air Force|Air Forces|Navy|Army|Armed Forces|Marine Corps|Coast Guard|Space Force|Marines|Naval Forces|"
    r"Land Forces|Defence Forces?|Defense Forces?|Self-Defen[cs]e Forces?|National Guard|Gendarmerie|Air Corps|"
    r"Naval Aviation|Army Aviation|Ground Forces|Aerospace Forces?|Air and Space Force)$"
)
INSTITUTION_JOIN = (
    GOV_HEAD | ORG_OTHER | {"minister", "secretary", "chief", "chamber", "court", "board", "command", "bank"}
)
PROGRAMME_HEAD = {"programme", "program", "project", "initiative"}
GENERIC_TOKENS = {
    "UAV",
    "UAVs",
    "UAS",
    "UCAV",
    "UCAVs",
    "MALE",
    "HALE",
    "VTOL",
    "C4I",
    "C4ISR",
    "ISR",
    "EW",
    "R&D",
    "IP",
    "PR",
    "GDP",
    "HQ",
    "CEO",
    "CTO",
    "COO",
    "CFO",
    "MoU",
    "MOU",
    "MoUs",
    "LoI",
    "JV",
    "EU",
    "NATO",
    "UN",
    "OK",
    "TV",
    "USD",
    "EUR",
    "GBP",
    "IT",
    "PM",
    "RPAS",
    "UGV",
    "USV",
    "UUV",
    "SAM",
    "GPS",
    "KM",
    "UK's",
}
TITLE_WORDS = {
    "CEO",
    "CTO",
    "COO",
    "CFO",
    "Chairman",
    "Chairwoman",
    "President",
    "Minister",
    "Director",
    "Editor",
    "Chief",
    "Head",
    "Secretary",
    "Spokesman",
    "Spokesperson",
    "Spokeswoman",
    "Mr",
    "Mr.",
    "Ms",
    "Ms.",
    "Mrs",
    "Mrs.",
    "Dr",
    "Dr.",
    "Prof",
    "Prof.",
    "Gen",
    "Gen.",
    "Adm",
    "Adm.",
    "Commander",
    "Ambassador",
    "Founder",
    "Vice",
    "Deputy",
    "Executive",
    "Managing",
    "Prime",
    "Chancellor",
    "King",
    "Prince",
    "Sheikh",
    "Admiral",
    "Colonel",
    "Lt",
    "Lt.",
    "Maj",
    "Maj.",
    "Col",
    "Col.",
    "Sen",
    "Sen.",
    "Rep",
    "Rep.",
    "Governor",
    "Mayor",
}
_EXTRA_STARTERS = {
    "following",
    "shortly",
    "speaking",
    "officials",
    "meanwhile",
    "however",
    "furthermore",
    "moreover",
    "although",
    "while",
    "despite",
    "according",
    "earlier",
    "later",
    "today",
    "yesterday",
    "now",
    "recently",
    "additionally",
    "equally",
    "economically",
    "politically",
    "historically",
    "kudos",
    "modern",
    "key",
    "strategic",
    "potential",
    "expert",
    "experts",
    "analysts",
    "observers",
    "leading",
    "global",
    "existing",
    "future",
    "deepening",
    "strengthening",
    "advanced",
    "new",
    "first",
    "next",
    "previous",
    "major",
    "local",
    "regional",
    "european",
    "western",
    "eastern",
    "summary",
    "conclusion",
    "update",
    "breaking",
    "exclusive",
    "analysis",
    "opinion",
    "report",
    "sources",
    "source",
    "photo",
    "image",
    "video",
    "read",
    "also",
    "related",
    "tags",
    "share",
    "both",
    "unlike",
    "by",
    "under",
    "after",
    "before",
    "since",
    "amid",
    "given",
    # discourse connectives and sentence adverbs: never the first word of a name
    "separately",
    "elsewhere",
    "overall",
    "notably",
    "similarly",
    "likewise",
    "nonetheless",
    "nevertheless",
    "instead",
    "thus",
    "therefore",
    "hence",
    "consequently",
    "currently",
    "previously",
    "initially",
    "finally",
    "ultimately",
    "specifically",
    "indeed",
    "still",
    "subsequently",
    "importantly",
    "crucially",
    "interestingly",
    "alternatively",
    "accordingly",
    "regardless",
    "traditionally",
    "originally",
    "reportedly",
    "officially",
    "ironically",
    "unsurprisingly",
    "last",
    "in",
}
# number words start sentences ("Sixteen aircraft are ...") but never name anything
NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "dozen",
    "dozens",
    "several",
    "both",
    "many",
    "some",
    "few",
}
_EXTRA_STARTERS |= NUMBER_WORDS
STOP_LOWER = {w.lower() for w in STOP_WORDS}
STARTERS = STOP_LOWER | _EXTRA_STARTERS
_POSSESSIVE = re.compile(r"['’]s?$")

_AIRCRAFT_HEAD = (
    r"(?:(?:armed |attack |combat |surveillance |reconnaissance |tactical |strike |stealth |light |heavy |"
    r"autonomous |collaborative |loyal |wingman |medium |long-range |short-range |carrier-based |naval |"
    r"airborne |early-warning |refuelling |refueling |cargo |utility |anti-submarine |training |upgraded |"
    r"single-seat |two-seat |vertical |supersonic |hypersonic |small |large |high-altitude |low-cost |"
    r"multirole |multi-role |maritime |kamikaze |loitering |medium-altitude |long-endurance |advanced |"
    r"next-generation |fifth-generation |sixth-generation |fourth-generation |twin-engine |single-engine |"
    r"unmanned |uncrewed |military |transport |trainer |jet |fighter )*"
    r"(?P<head>drones?|UAVs?|UCAVs?|UAS|RPAS|MALE|HALE|(?:unmanned|uncrewed) (?:combat )?(?:aerial|air) "
    r"(?:vehicles?|systems?)|fighters?|fighter jets?|fighter aircraft|jets?|aircraft|airplanes?|planes?|"
    r"helicopters?|bombers?|trainers?|tankers?|airlifters?|gunships?|interceptors?|demonstrators?|"
    r"loitering munitions?|airframes?|platforms?|rotorcraft|tiltrotors?|gliders?|seaplanes?|turboprops?))\b"
)
AIRCRAFT_AFTER = re.compile(r"^[ -]" + _AIRCRAFT_HEAD)
_AIRCRAFT_APPOS = re.compile(
    r"^, (?:a|an|the) (?:(?!(?:of|for|and|with|to|in|by|from|on|at)\b)[a-z][\w-]* ){0,4}?(?P<h>"
    + _AIRCRAFT_HEAD
    + r")(?=[,.;)]| (?:that|which|intended|designed|built|developed|used|capable|able|powered|operated|being|"
    r"currently|under|expected|set|due|made|flown|now)\b|$)"
)
_DESIGNATOR = re.compile(
    r"^(?:(?:F|FA|F/A|KF|TF|JF|J|FC|MQ|RQ|XQ|YFQ|CQ|TB|C|KC|A|AH|UH|CH|MH|HH|B|E|P|EA|EF|AW|EC|H|V|X|YF|Su|MiG|Mi|Ka|Tu|Il|"
    r"Yak|JAS|AT|TA|KAI|HAL|TFX|KUH|LCA|YAK|An|Be|CN|L|MC|RC|EP|HC|SR|U|T)-\d{1,3}[A-Z]{0,2}|"
    r"(?:TB|MQ|RQ|KF|KC|AH|UH|CH|TF|FA|EA|JF|FC)\d{1,3}[A-Z]?|[A-Z]\d{3}[A-Z]{1,2}|[A-Z][a-z]+-\d{1,2})$"
)
_NOT_DESIGNATORS = {"COVID-19", "G-7", "G-20", "P-5", "T-90", "T-72", "T-80", "S-400", "S-300", "S-500", "A-1"}
_QUANTITY_BEFORE = re.compile(
    r"(?:acquisition of|orders? for|ordered|orders|purchases? of|purchased|buy|buying|buys|bought|procured?|"
    r"procurement of|deliver(?:y|ies) of|delivered|operates?|received?|fleet of|supply of|sale of|sell|sold) "
    r"(?:up to |another |more than |some |a further |an additional )?\d{1,4} (?:new |more |additional |used |"
    r"second-hand |advanced |modern )?$"
)
_NOUN_AFTER = re.compile(
    r"^ (?!(?:from|for|to|in|by|and|or|with|worth|at|on|as|under|over|were|was|are|is|will|would|had|have|has|"
    r"that|which|valued|costing|built|made|delivered|ordered)\b)[a-z]"
)
COMPANY_WORDS = (
    r"(?:firms?|company|companies|manufacturers?|makers?|producers?|giants?|groups?|contractors?|specialists?|"
    r"conglomerates?|start-?ups?|suppliers?|developers?|builders?|shipbuilders?|champions?|powerhouses?|primes?|"
    r"outfits?|vendors?|integrators?|corporations?|rivals?|subsidiar(?:y|ies)|enterprises?|businesses|player|"
    r"leader|pioneer|innovator|designer|house|heavyweight|major|multinational|partner|planemakers?|airframers?|"
    r"shipmakers?|dronemakers?|engine-makers?|armsmakers?)"
)
_COMPANY_BEFORE = re.compile(rf"\b{COMPANY_WORDS},? (?:like |such as |including |including the |called |named )?$")
# "in which it competes with X", "rivals such as X": firms compete with firms
_RIVAL_BEFORE = re.compile(
    r"\b(?:compet(?:es|ed|ing|e) (?:with|against)|competitors?,? (?:like |such as |including )?|"
    r"rivals?,? (?:like |such as |including )?) (?:the )?$"
)
_COMPANY_AFTER = re.compile(rf"^,? (?:a|an|the|one of the|another)\b(?: [\w’'-]+){{0,6}}? {COMPANY_WORDS}\b(?!['’]s)")
# "the Y, built by X" / "X, which assembles ...": firms build things (people design and develop them too)
_BUILT_BY_BEFORE = re.compile(r"\b(?:built|manufactured|produced|assembled|license-built|licence-built) by (?:the )?$")
_BUILDS_AFTER = re.compile(
    r"^,? (?:which|that) (?:also |already |now |currently )?(?:builds|assembles|produces|manufactures|makes|"
    r"license-builds|licence-builds|supplies|exports) "
)
_PARENT_BEFORE = re.compile(r"\b(?:division|subsidiary|unit|arm|business unit|parent company|owner) of (?:the )?$")
_SUPPLIER_AFTER = re.compile(
    r"^(?:,? and [A-Z][\w-]*(?: [A-Z][\w-]*)*)? as (?:(?:key|major|main|principal|lead|prime|industrial|local) )*"
    r"(?:suppliers?|partners?|subcontractors?|sub-contractors?|contractors?|integrators?|vendors?)\b"
)
_PRODUCT_AFTER = re.compile(
    r"^(?: [A-Z]*\d[\w-]*)? (?:engines?|turbofans?|turboprops?|radars?|avionics|ejection seats)\b"
)
_JV_BEFORE = re.compile(r"joint[- ]venture,? (?:company |firm )?(?:called |named |dubbed |known as )?$")
_JV_AFTER = re.compile(r"^,? (?:a|the|their|its) (?:[\w-]+ ){0,3}?joint[- ]venture\b|^ joint[- ]venture\b")
_DIVISION_AFTER = re.compile(r"^ (?:division|unit|business unit|arm|branch|subsidiary|segment)\b")
_DIVISION_APPOS = re.compile(
    r"^,? (?:a|an|the|its) (?:[\w-]+ ){0,3}?(?:division|business unit|unit|arm|subsidiary|branch|subsidiaries) of [A-Z]"
)
_PARTNER_BEFORE = re.compile(
    r"\b(?:partnership|partnered|partnering|partners|teamed up|teaming up|teams up|joined forces|joins forces) with (?:the )?$"
)
_PROGRAMME_AFTER = re.compile(r"^((?: (?:[a-z]+-)?[a-z]+){0,4}? (?:programme|program|project|initiative))\b")
_ACRONYM_PROGRAMME_AFTER = re.compile(r"^ \([A-Z][A-Za-z0-9&-]{1,9}\) (?:programme|program|project|initiative)\b")
_PROGRAMME_BEFORE = re.compile(r"(?:\b(?:[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)|['’]s?) (?:[a-z-]+ ){0,2}$")
_GOV_BEFORE = re.compile(
    r"\b(?:(?:procurement|defen[cs]e|armaments?|export|regulatory|government|state|federal|national|military) )"
    r"(?:office|agency|ministry|authority|administration|department|regulator|commission|directorate|body|bureau),? $"
)
_GOV_AFTER = re.compile(
    r"^,? (?:a|an|the) (?:[\w-]+ ){0,4}?(?:agency|ministry|body|authority|regulator|department|commission)\b"
)


def _is_designator(tok: str) -> bool:
    return bool(_DESIGNATOR.match(tok)) and tok not in _NOT_DESIGNATORS


_LEAD = re.compile(r"(?:['’]s\b|[/\-&.,'’])+\s*")
_LOWER_LEAD = re.compile(r"^[a-z][\w-]* ")
_COMPOUND = re.compile(r"^(.+?)-(?:made|built|designed|developed|produced|based|owned|led|backed|funded|controlled)$")
_PORTFOLIO_WORDS = {
    "Defence",
    "Defense",
    "Foreign",
    "Finance",
    "Interior",
    "Industry",
    "Trade",
    "Economy",
    "State",
    "Deputy",
    "Acting",
    "Former",
    "Senior",
    "Group",
    "Vice",
    "Sales",
    "Programme",
    "Program",
    "Marketing",
    "Technical",
    "Procurement",
    "Armaments",
    "Security",
    "Strategic",
    "Industries",
    "Development",
    "Digital",
    "Transport",
}


def split_chunk(text: str, offset: int) -> list[tuple[int, int, str, bool]]:
    """Cut a capitalised run at possessives, title words and generic acronyms; trim stop words.

    Returns (start, end, text, possessive) with start/end relative to the sentence.
    """
    pieces: list[tuple[int, int, str, bool]] = []
    lead_m = _LEAD.match(text)
    lead = lead_m.end() if lead_m else 0
    if lead:
        # a remainder cut off a known name ("Gripen E" + "/F")
        text, offset = text[lead:], offset + lead
        low = _LOWER_LEAD.match(text)
        if low:
            # "Israeli-made Kfir" cut at a known "Israeli": the rest starts with "built " / "made "
            text, offset = text[low.end() :], offset + low.end()
    toks: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
    current: list[tuple[int, int, str]] = []

    def flush(possessive: bool = False) -> None:
        # mid-sentence, a capitalised "Global" or "National" belongs to the name; at the start it may not
        at_start = bool(current) and offset + current[0][0] <= 2
        while (
            current
            and (current[0][2].lower() in (STARTERS if at_start else STOP_LOWER))
            and not (len(current) == 1 and current[0][2].isupper())
        ):
            current.pop(0)
        while current and current[-1][2].lower() in STARTERS | {"of", "and", "&"}:
            current.pop()
        if current:
            s, e = current[0][0], current[-1][1]
            pieces.append((offset + s, offset + e, text[s:e], possessive))
        current.clear()

    for s, e, t in toks:
        compound = _COMPOUND.match(t)
        if compound:
            # "Vega Systems-made Falcon X": the firm ends at the hyphen
            current.append((s, s + len(compound.group(1)), compound.group(1)))
            flush()
            continue
        bare = _POSSESSIVE.sub("", t) if t.endswith(("'s", "’s", "s'", "s’")) else t
        if t in TITLE_WORDS or t in GENERIC_TOKENS or bare in GENERIC_TOKENS:
            if t in TITLE_WORDS and current and len(current) <= 3 and all(c[2] in _PORTFOLIO_WORDS for c in current):
                current.clear()  # "Defence Minister": the portfolio belongs to the title
            flush()
            continue
        if bare != t:
            current.append((s, s + len(bare), bare))
            flush(possessive=True)
            continue
        current.append((s, e, t))
    flush()
    return pieces


def classify(text: str, before: str, after: str) -> tuple[str | None, str]:
    """The kind a capitalised chunk has from its own words and its neighbours, and the cue's name."""
    words = text.split()
    last = words[-1].lower().rstrip(".,")
    first = words[0].lower()
    if {w.lower() for w in words} & {"university", "institute", "college", "academy", "rivista", "journal", "school"}:
        return ("Organization", "institution name") if len(words) >= 2 else (None, "")
    if ARMED.search(text) and len(words) >= 2:
        return "ArmedForce", "armed-force name"
    if len(words) >= 2 and (first in GOV_HEAD or last in GOV_HEAD or any(w.lower() in GOV_HEAD for w in words[1:])):
        if first in ORG_OTHER or last in ORG_OTHER:
            return "Organization", "institution name"
        return "GovernmentBody", "government name"
    if first in ORG_OTHER or last in ORG_OTHER:
        return ("Organization", "institution name") if len(words) >= 2 or first in {"rivista"} else (None, "")
    if len(words) >= 2 and last in PROGRAMME_HEAD:
        return "Programme", "programme name"
    if _JV_BEFORE.search(before) or _JV_AFTER.match(after):
        return "JointVenture", "joint venture apposition"
    if _DIVISION_APPOS.match(after) and not any(ch.isdigit() for ch in text):
        # "Vega Space, the defence division of Vega": a part of a firm
        return "Division", "division apposition"
    if _DIVISION_AFTER.match(after):
        return ("Company" if after.lstrip().startswith("subsidiary") else "Division"), "division head"
    if _ACRONYM_PROGRAMME_AFTER.match(after) and _PROGRAMME_BEFORE.search(before[-40:]) and len(words) <= 4:
        # "the Air Force's Collaborative Combat Aircraft (CCA) programme"
        return "Programme", "programme name with acronym"
    m = _PROGRAMME_AFTER.match(after)
    if m and _PROGRAMME_BEFORE.search(before[-40:] if before else "") and len(words) <= 3:
        return "Programme", "programme head"
    head = AIRCRAFT_AFTER.match(after)
    if head and last not in CORP_SUFFIX:
        return _aircraft_kind(head.group(0)), "aircraft head noun"
    if len(words) >= 2 and last in CORP_SUFFIX and text not in {"Defence", "Defense"}:
        return "Company", "corporate suffix"
    if len(words) <= 3 and _AIRCRAFT_APPOS.match(after) and not _is_designator(words[0]):
        # "the Fury, a high-performance autonomous aircraft intended to ...": the apposition says what it is
        return _aircraft_kind(_AIRCRAFT_APPOS.match(after).group("h")), "aircraft apposition"  # type: ignore[union-attr]
    if (
        _COMPANY_BEFORE.search(before)
        or _COMPANY_AFTER.match(after)
        or _PARENT_BEFORE.search(before)
        or _SUPPLIER_AFTER.match(after)
        or (("compet" in before[-40:] or "rival" in before[-40:]) and _rival(before))
        or (before.endswith(("with ", "with the ")) and _PARTNER_BEFORE.search(before[-40:]))
    ):
        return "Company", "company apposition"
    if _BUILT_BY_BEFORE.search(before) or _BUILDS_AFTER.match(after):
        return "Company", "maker phrase"
    if _PRODUCT_AFTER.match(after) and not (len(words) == 1 and any(ch.isdigit() for ch in text)):
        return "Company", "product"
    if _GOV_AFTER.match(after) or _GOV_BEFORE.search(before):
        return "GovernmentBody", "government apposition"
    if _is_designator(words[-1]) and not _is_designator(words[0]) or all(_is_designator(w) for w in words):
        return "Aircraft", "designator"
    if (
        2 <= len(words) <= 3
        and _is_designator(words[0])
        and all(w.isalpha() and w[0].isupper() and w[1:].islower() and w.lower() not in CORP_SUFFIX for w in words[1:])
    ):
        # "EA-18G Growler", "MQ-9 Reaper", "C-130J Super Hercules": a type's designation and its name
        return "Aircraft", "designator and name"
    if _QUANTITY_BEFORE.search(before) and not _NOUN_AFTER.match(after):
        return "Aircraft", "quantity"
    if len(words) <= 3 and _PLACE_BEFORE.search(before) and not _is_designator(words[-1]) and last not in CORP_SUFFIX:
        return "Place", "site"
    if (
        len(words) <= 2
        and text[0].isalpha()
        and not before.endswith(("-", "/"))
        and not _NOUN_AFTER.match(after)
        and not after.startswith("'")
    ):
        made = _MADE_BEFORE.search(before)
        maker = _MAKER_AFTER.match(after)
        if (made or maker or _FLOWN_BEFORE.search(before) or _OPERATED_BEFORE.search(before)) and (
            _AIRCRAFT_CONTEXT.search(before.lower()) or _AIRCRAFT_CONTEXT.search(after.lower())
        ):
            return "Aircraft", "aircraft context"
    return None, ""


# "headquartered in Rome", "its plant in Linköping", "a facility in Sacheon"
_PLACE_BEFORE = re.compile(
    r"\b(?:headquartered|headquarters|based|located|situated|plants?|factory|factories|facility|facilities|"
    r"sites?|shipyards?|hangars?|assembly lines?|production lines?|campus|airbase|air base|offices?) (?:in|at|near) "
    r"(?:the )?$"
)
# "the Israeli-made Kfir", "the Kfir, built by ...", "flies the Kfir": an aircraft when the sentence talks of aircraft
_MADE_BEFORE = re.compile(r"[\w.]+-(?:made|built|designed|developed|produced|manufactured) (?:[a-z][\w-]* )?$")
_MAKER_AFTER = re.compile(
    r"^,? (?:(?:which|that) (?:was|were|is|are) |(?:originally|first|also|jointly|locally|all) )?"
    r"(?:built|made|manufactured|produced|developed|designed|assembled|co-developed) by [A-Z]"
)
_FLOWN_BEFORE = re.compile(r"\b(?:flies|flew|fly|flying|flown) (?:the |its |their )?(?:[a-z][\w-]* ){0,2}$")
_OPERATED_BEFORE = re.compile(
    r"\b(?:operates?|operated|operating|retired?|retiring|replaces?|replacing|replaced|upgrad(?:e|es|ed|ing)) "
    r"(?:the |its |their )(?:[a-z][\w-]* ){0,2}$"
)
_COMPANY_CONTEXT = re.compile(
    r"\b(?:[Cc]ompany|[Ff]irm|[Ii]ndustries|[Ss]ystems|[Aa]erospace|[Gg]roup|[Cc]ontractor|[Mm]aker|[Mm]anufacturer|"
    r"[Bb]id|[Cc]ontract|[Pp]rogram(?:me)?|its|[Ss]tart-?up|[Tt]echnologies|[Dd]ynamics|[Ii]ndustries)\b"
)


def _rival(before: str) -> bool:
    return bool(_RIVAL_BEFORE.search(before[-60:]) and _COMPANY_CONTEXT.search(before))


_AIRCRAFT_CONTEXT = re.compile(
    r"\b(?:aircraft|fighters?|fighter jets?|jets?|drones?|helicopters?|planes?|air forces?|airframes?|squadrons?|"
    r"uavs?|bombers?|airlifters?|aviation|sorties?|flight|airbase|air base)\b"
)


def _aircraft_kind(head: str) -> str:
    h = head.lower().strip(" -")
    if "ucav" in h or ("combat" in h and ("unmanned" in h or "uncrewed" in h or "drone" in h)):
        return "UnmannedCombatAerialVehicle"
    if any(w in h for w in ("drone", "uav", "uas", "rpas", "male", "hale", "unmanned", "uncrewed", "loitering")):
        return "UnmannedAerialVehicle"
    if any(w in h for w in ("fighter", "bomber", "interceptor", "combat", "strike")):
        return "CombatAircraft"
    return "Aircraft"
