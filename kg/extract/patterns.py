"""Facts read from masked sentences.

Each sentence is rendered with its typed mentions replaced by placeholders
``⟦<code><id>⟧`` (C organisation, G government body or armed force, N country
named, D country by demonym, P person, A aircraft, R programme, L place, U an
untyped capitalised name), so one compiled regular expression states one way the
press words a fact, whatever the names are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

PH = re.compile(r"⟦([A-Z])(\d+)⟧")
ORG = r"⟦[CG]\d+⟧"
COMPANY = r"⟦C\d+⟧"
PARTY = r"⟦[CGN]\d+⟧"
CTRY = r"⟦[ND]\d+⟧"
NAMED_CTRY = r"⟦N\d+⟧"
AC = r"⟦A\d+⟧"
PROG = r"⟦R\d+⟧"
UNK = r"⟦U\d+⟧"
W = r"[\w$£€.,%-]+"  # one plain word
GAP = r"(?:[^⟦.;—]|⟦[DL]\d+⟧)"  # any text but another name; demonyms and places may intervene


def ids(s: str, codes: str = "CGNDPARLU") -> list[int]:
    return [int(m.group(2)) for m in PH.finditer(s) if m.group(1) in codes]


def first_id(s: str) -> int:
    return ids(s)[0]


# --- relations ------------------------------------------------------------------------
_MANUFACTURER_WORDS = (
    r"(?:built|made|manufactured|produced|developed|designed|assembled|co-developed|license-built|licence-built)"
)
_REL_PATTERNS: list[tuple[str, re.Pattern[str], float]] = [
    # Baykar's TB2 drone; X's Y and Z drones
    ("m_poss", re.compile(rf"(?P<o>{COMPANY})'s (?:{W} ){{0,3}}?(?P<s>{AC})"), 0.8),
    # X, (best) known for its TB2 and Akinci drones / X, renowned for its portfolio including ...
    (
        "m_known",
        re.compile(
            rf"(?P<o>{COMPANY}),? (?:(?:{W} ){{0,3}})?(?:known|renowned|famous|famed|noted|celebrated|recogni[sz]ed|"
            rf"best known|acclaimed|the (?:maker|manufacturer|builder|developer|producer|designer)s?|"
            rf"(?:maker|manufacturer|builder|developer|producer|designer)s?) (?:for|of|behind) (?:its|the|their)?\b"
        ),
        0.8,
    ),
    # X, with its history in UAS featuring the Y, Z
    (
        "m_with_its",
        re.compile(
            rf"(?P<o>{COMPANY}),? with its (?:{W} ){{0,4}}?(?:history|record|portfolio|experience|line-up|lineup|family|range|track record)\b"
        ),
        0.7,
    ),
    # the Y, built by X
    (
        "m_by",
        re.compile(
            rf"(?P<s>{AC})(?:—|–|,| \()?(?:{GAP}{{0,40}}?)\b{_MANUFACTURER_WORDS}(?: (?:in|at|near) (?:the )?⟦[NLD]\d+⟧)? (?:and \w+ )?by (?:the )?(?:{W} ){{0,2}}?(?P<o>{COMPANY})"
        ),
        0.85,
    ),
    # the Y, which X developed for ...
    (
        "m_which",
        re.compile(
            rf"(?P<s>{AC})(?:(?!⟦)[^.;]){{0,40}}?,? (?:which|that) (?:the )?(?P<o>{COMPANY}) (?:(?:has|had|also|originally|"
            rf"first|itself|now|still) )*(?:built|developed|designed|makes|builds|produces|produced|manufactured|"
            rf"manufactures|assembles|assembled|develops|designs|co-developed)\b"
        ),
        0.75,
    ),
    # X-made Y / X-built Y
    (
        "m_made",
        re.compile(
            rf"(?P<o>{COMPANY})-(?:made|built|designed|developed|produced|manufactured) (?:{W} ){{0,3}}?(?P<s>{AC})"
        ),
        0.8,
    ),
    # X makes/builds/produces the Y
    (
        "m_from",
        re.compile(
            rf"(?P<s>{AC})(?: (?!(?:under|a|an|with|for|to|and|in|on|at|of|licen[cs]es?|technology|support|help|funding|parts|components|engines?)\b)[a-z][\w-]*){{0,3}}? from (?:the )?(?:⟦D\d+⟧ )?(?:[a-z][\w-]* ){{0,2}}?(?P<o>{COMPANY})(?!'s)"
        ),
        0.7,
    ),
    (
        "m_verb",
        re.compile(
            rf"(?P<o>{COMPANY})(?:'s (?:[a-z][\w-]* ){{0,3}}?(?:division|unit|arm|subsidiary|business))?(?:, (?:[^,;⟦]|⟦P\d+⟧){{1,60}},)?,? (?:which |that )?(?:(?:also|already|now|currently|still|jointly|itself|today) )*(?:makes|builds|produces|manufactures|assembles|license-builds|licence-builds|co-produces|co-develops|developed|designed|develops|designs|unveiled|flew|rolled out|is developing|has developed|(?:will|is to|is set to) (?:build|produce|assemble|manufacture)|is (?:building|producing|assembling|manufacturing)|(?:also |has )?(?:built|produced|assembled|manufactured)) (?:the |its )?(?:{W} ){{0,3}}?(?P<s>{AC})(?!'s)"
        ),
        0.75,
    ),
    # "the four Lockheed Martin C-130H": a maker's name right before an aircraft's
    ("m_adjacent", re.compile(rf"(?<!⟧ )(?<!⟧'s )(?P<o>{COMPANY}) (?P<s>{AC})(?!'s)"), 0.7),
    # the Y maker X
    (
        "m_maker",
        re.compile(
            rf"(?P<s>{AC}) (?:drone |aircraft |jet |fighter )?(?:maker|manufacturer|builder|developer|producer) (?P<o>{COMPANY})"
        ),
        0.8,
    ),
    # Turkey's acquisition of 20 Y / Pakistan's F-16 fighter jets
    (
        "o_acq",
        re.compile(
            rf"(?P<o>{PARTY})'s (?:{W} ){{0,5}}?(?:acquisition|purchase|procurement|order|orders|purchases|buy|receipt|deliveries|delivery|fleet|modernization|modernisation|upgrade|induction|use|deployment) (?:of|for) (?:{GAP}{{0,40}}?)(?P<s>{AC})"
        ),
        0.85,
    ),
    ("o_poss", re.compile(rf"(?P<o>{NAMED_CTRY}|⟦G\d+⟧)'s (?:{W} ){{0,2}}?(?P<s>{AC})"), 0.75),
    (
        "o_verb",
        re.compile(
            rf"(?<!with )(?<!from )(?<!to )(?<!with the )(?<!from the )(?<!to the )(?P<o>{NAMED_CTRY}|⟦G\d+⟧)(?:,? (?:which|that))?(?: (?:has|have|had|will|is|are|was|already|also|now|recently|currently|to|previously|earlier|formally|officially|reportedly|so far|still|just|(?:became|becomes|become|is|was|will be) the (?:first|second|third|latest|last|only|next) (?:(?:[\w-]+|⟦G\d+⟧) ){{0,3}}?to))* (?:operates?|operated|operating|flies|flew|fly|ordered|orders|bought|buys|purchased|acquired|received|receives|receive|(?:took|takes|take|taken|taking) delivery of|receiving|fields|field|fielded|inducted|inducts|induct|commissioned|accepted|deploys|deployed|deploy|uses|use|used|using|buy|acquire|procure|procured|order|selected|chose|chosen|picked|opted for) (?:{GAP}{{0,40}}?)(?P<s>{AC})"
        ),
        0.8,
    ),
    (
        "o_which",
        re.compile(
            rf"(?P<s>{AC})(?:(?!⟦)[^.;]){{0,60}}?,? which (?:the )?(?P<o>{NAMED_CTRY}|⟦G\d+⟧) (?:has |had |also |already )?(?:ordered|bought|operates|purchased|acquired|received|flies|uses|fields|selected|chose)\b"
        ),
        0.75,
    ),
    (
        "o_by",
        re.compile(
            rf"(?P<s>{AC})(?:{GAP}{{0,30}}?)\b(?:ordered|operated|flown|bought|purchased|acquired|used|fielded) by (?:the )?(?P<o>{NAMED_CTRY}|⟦G\d+⟧)"
        ),
        0.8,
    ),
    (
        "o_to",
        re.compile(
            rf"\b(?:[Dd]eliver(?:ed|s|ing|y|ies)?|[Ee]xport(?:ed|s)?|sold|sell|sells|supply|supplied|supplies|transfer(?:red)?) (?:of )?(?:{GAP}{{0,30}}?)(?P<s>{AC})(?:{GAP}{{0,30}}?) to (?:the )?(?:(?:[\w-]+ ){{0,4}}?(?:countries|nations|customers|operators|states|air forces|armed forces|militaries),? (?:including|such as|like|among them|notably|from) (?:the )?)?(?P<o>{NAMED_CTRY}|⟦G\d+⟧)"
        ),
        0.8,
    ),
    # agreed to buy 56 Y for the X Air Force / the Y, which it built for X
    (
        "o_for",
        re.compile(
            rf"\b(?:buy|buys|bought|buying|purchased?|purchases|purchasing|order|orders|ordered|ordering|acquire|acquires|"
            rf"acquired|acquiring|procure|procures|procured|procuring|built|build|builds|building|made|produced|"
            rf"manufactured|assembled|delivered|deliver|delivers|delivering) (?:(?!⟦)[^.;—]){{0,40}}?(?P<s>{AC})"
            rf"(?:(?!⟦)[^.;—]){{0,25}}? for (?:the )?(?P<o>{NAMED_CTRY}|⟦G\d+⟧)(?!'s)"
        ),
        0.75,
    ),
    # the Y fighter, which it built for the X Air Force
    (
        "o_built_for",
        re.compile(
            rf"(?P<s>{AC})(?:(?!⟦)[^.;—]|⟦C\d+⟧){{0,40}}?\b(?:built|made|developed|produced|manufactured|designed|assembled|"
            rf"ordered|bought|purchased|acquired|procured) (?:(?!⟦)[^.;—]){{0,15}}?for (?:the )?(?P<o>{NAMED_CTRY}|⟦G\d+⟧)(?!'s)"
        ),
        0.75,
    ),
    # Turkish drone manufacturer Baykar / Turkish companies like X and Y
    (
        "c_demonym",
        re.compile(
            rf"(?P<o>{CTRY}) (?:(?:[a-z][\w-]*|&) ){{0,4}}?(?:firms?|company|companies|manufacturers?|makers?|planemakers?|airframers?|producers?|giants?|groups?|contractors?|specialists?|conglomerates?|start-?ups?|suppliers?|developers?|builders?|shipbuilders?|champions?|primes?|outfits?|corporations?|rivals?|subsidiar(?:y|ies)|heavyweights?|majors?|players?)(?: like| such as| including)? (?P<s>{ORG})"
        ),
        0.85,
    ),
    ("c_adj", re.compile(rf"(?<![\w⟧'] )(?P<o>⟦D\d+⟧) (?P<s>{COMPANY})"), 0.6),
    (
        "c_poss",
        re.compile(
            rf"(?P<o>{NAMED_CTRY})'s (?:(?!(?:of|from|with|for|to|by|and|in|on|at|into|over)\b)[a-z][\w-]* ){{0,3}}?(?P<s>{ORG})(?!'s)"
        ),
        0.75,
    ),
    (
        "c_appos",
        re.compile(
            rf"(?P<s>{ORG}), (?:a|an|the|one of)\b(?: (?!(?:subsidiary|subsidiaries|unit|division|arm|affiliate|part|branch) of\b)(?:[\w-]+|⟦D\d+⟧)){{0,6}}? (?P<o>{CTRY})(?: (?:[\w-]+|⟦D\d+⟧)){{0,4}}? (?:firms?|company|manufacturer|maker|producer|giant|group|contractor|specialist|conglomerate|start-?up|supplier|developer|builder|agency|body|ministry|institution|university|organi[sz]ation|authority|commission|corporation)\b"
        ),
        0.85,
    ),
    (
        "c_based",
        re.compile(
            rf"(?P<s>{ORG})(?:(?!⟦)[^.;]){{0,70}}?\b(?:headquartered|based|located|registered|incorporated) in (?:(?!⟦)[^.;]{{0,25}}?)?(?P<o>{NAMED_CTRY})"
        ),
        0.8,
    ),
    ("c_based_adj", re.compile(rf"(?P<o>{NAMED_CTRY})-based (?:{W} ){{0,3}}?(?P<s>{ORG})"), 0.8),
    # BAE's FalconWorks division
    (
        "p_division",
        re.compile(rf"(?P<o>{ORG})'s (?P<s>{COMPANY}) (?:division|unit|business unit|arm|subsidiary|branch|segment)\b"),
        0.9,
    ),
    (
        "p_sub_of",
        re.compile(
            rf"(?P<s>{COMPANY}),? (?:a|an|the|which is a|which is the|now a|now part of)? ?(?:wholly[- ]owned |majority[- ]owned |former )?(?:[\w-]+ ){{0,2}}?(?:subsidiary|division|unit|arm|affiliate|part|branch) of (?:the )?(?:(?:{W}|⟦[DN]\d+⟧(?:'s)?) ){{0,3}}?(?P<o>{ORG})(?!'s)"
        ),
        0.85,
    ),
    # X, a conglomerate and the main shareholder of Y
    (
        "p_shareholder",
        re.compile(
            rf"(?P<o>{COMPANY}),? (?:(?:[^,;⟦]|⟦[DN]\d+⟧){{0,60}}?\b)?(?:the |a |an |its |which is (?:the |a )?)?"
            rf"(?:(?:main|majority|largest|principal|controlling|sole|biggest|dominant|single largest) )?"
            rf"(?:shareholder|stakeholder|owner|co-owner|parent|parent company) (?:of|in) (?:the )?(?P<s>{COMPANY})"
        ),
        0.8,
    ),
    # X, which also owns Y / X owns a majority stake in Y
    (
        "p_owns",
        re.compile(
            rf"(?P<o>{COMPANY}),? (?:which |that )?(?:(?:also|now|already|fully|wholly|still) )*(?:owns|controls|holds) "
            rf"(?:an? (?:majority |minority |controlling |\d+(?:\.\d+)? ?(?:%|percent|per cent) )?stake in )?(?:the )?(?P<s>{COMPANY})(?!'s)"
        ),
        0.8,
    ),
    ("p_owned", re.compile(rf"(?P<o>{ORG})-owned (?:{W} ){{0,3}}?(?P<s>{COMPANY})"), 0.85),
    (
        "p_owned_by",
        re.compile(
            rf"(?P<s>{COMPANY}),? (?:which is |now )?(?:wholly |majority |partly |jointly )?owned by (?P<o>{ORG})"
        ),
        0.85,
    ),
    # Y uses X engines
    (
        "s_uses",
        re.compile(
            rf"(?P<o>{ORG}) (?:currently |already |also |now )?(?:uses|used|relies on|buys|sources|is using|will use|selected) (?:the )?(?P<s>{ORG}) (?:[A-Z0-9][\w-]* )?(?:engines?|turbofans?|radars?|sensors?|avionics|ejection seats|landing gear|components|parts|missiles|systems)\b"
        ),
        0.7,
    ),
    # X supplies sensors to Y
    (
        "s_supplies",
        re.compile(
            rf"(?P<s>{ORG})(?:{GAP}{{0,60}}?)\b(?:supplies|supplied|supply|provides|provided|provide|delivers|delivered|furnishes|furnished|sells|sold|will supply|will provide|is supplying|is providing|has supplied|builds|makes|produces|manufactures) (?P<what>(?:{GAP}{{0,60}}?))\b(?:to|for) (?:the )?(?:{W} ){{0,2}}?(?P<o>{ORG})"
        ),
        0.8,
    ),
    (
        "s_supplier_of",
        re.compile(
            rf"(?P<s>{ORG}),? (?:is |as |a |the |remains )*(?:key |main |sole |major |long-standing |longtime |principal |primary )?(?:supplier|provider|vendor) (?:of (?:{GAP}{{0,40}}?))?(?:to|for) (?:the )?(?P<o>{ORG})"
        ),
        0.8,
    ),
    # TUSAŞ's Kaan fighter program; BAE's support for X's programme
    ("r_poss", re.compile(rf"(?P<o>{PARTY})'s (?:{W} ){{0,3}}?(?P<s>{PROG})"), 0.8),
    (
        "r_support",
        re.compile(
            rf"(?P<o>{PARTY})'s (?:support for|participation in|role in|involvement in|contribution to|work on|share in|stake in|partnership in|membership of|membership in) (?:the )?(?:{PARTY}'s )?(?:{W} ){{0,3}}?(?P<s>{PROG})"
        ),
        0.8,
    ),
    # the P, which X joined in 2020
    (
        "r_which",
        re.compile(
            rf"(?P<s>{PROG})(?:(?!⟦)[^.;]){{0,30}}?,? (?:which|that) (?:the )?(?P<o>{PARTY}) (?:(?:has|have|had|also|already|"
            rf"now|formally|officially|recently|later|jointly) )*(?:joined|joins|leads|led|funds|funded|manages|managed|"
            rf"runs|ran|co-founded|founded|launched|is part of|participates in|took part in|takes part in)\b"
        ),
        0.75,
    ),
    (
        "r_join",
        re.compile(
            rf"(?P<o>{PARTY})(?:{GAP}{{0,25}}?)\b(?:joins?|joined|joining|participates? in|participating in|takes? part in|took part in|is a partner in|partners? in|is part of|signed up to|leads|led|leading|manages|managed|runs|oversees|heads|funds|finances|sponsors|(?:bid|bids|bidding|competes?|competing|vying|is competing|submitted (?:a |an )?(?:\w+ )?(?:bid|offer|proposal)) (?:for|in)) (?:the )?(?:{W} ){{0,2}}?(?P<s>{PROG})"
        ),
        0.75,
    ),
]

_O_LIST = re.compile(
    rf"(?<!with )(?<!from )(?<!with the )(?<!from the )(?P<subs>{PARTY}(?:(?:,| and|, and) (?:the )?{PARTY})+) (?:(?:have|has|had|will|already|also|jointly|both|now|recently) )*"
    rf"(?:ordered|operate|operates|bought|purchased|acquired|received|fly|use|field|deploy|selected|chose|picked|order|buy) (?P<mid>(?:{GAP}){{0,60}}?)(?P<s>{AC})"
)
# "F-35 components", "the Y's engines": a part of the aircraft, not the aircraft
_NOT_PART = (
    r"(?!'s| (?:components?|parts|engines?|wings?|fuselages?|sections?|sub-?assembl\w+|assemblies|radars?|avionics|"
    r"spares|upgrades?|maintenance|support|simulators?|training|munitions|weapons|missiles|sensors|landing gear)\b)"
)
_PLAIN = r"(?:(?!(?:for|to|of|with|on|from|by|and|or|in|at)\b)[\w-]+ )"  # one plain word, not a preposition
_LIST = r"(?:(?:,| and|, and|,and) (?:the )?(?:(?:⟦[ND]\d+⟧)'s )?)"  # the joint between two members of a list
# X and Y already produce the Z / X and India's Y have opened a final assembly line for the Z
_M_SUBJECTS = re.compile(
    rf"(?P<subs>{COMPANY}(?:{_LIST}{COMPANY})*)(?: \([^)]*\))?,? (?:(?:which|that|has|have|had|will|would|is|are|also|"
    rf"already|now|currently|still|jointly|together|to|set to|plans? to|agreed to|are to|is to) )*"
    rf"(?:(?:make|makes|build|builds|built|produce|produces|produced|manufacture|manufactures|manufactured|"
    rf"assemble|assembles|assembled|develop|develops|developed|design|designs|designed|co-develop|co-develops|"
    rf"co-developed|co-produce|co-produces|co-produced|building|producing|developing|assembling|manufacturing|"
    rf"designing)|(?:opened|open|opens|opening|inaugurated|inaugurate|set up|sets up|setting up|established|"
    rf"establish|launched|launch|operate|operates|run|runs|built|build|building) (?:a |an |the |its |their )?"
    rf"(?:(?:new|final|local|joint|second|first|dedicated) )*(?:assembly|production|manufacturing) "
    rf"(?:line|plant|facility|factory|site|hall|centre|center)s? (?:for|of|to (?:build|produce|assemble|make))) "
    rf"(?:the |its |their |a |an )?{_PLAIN}{{0,3}}?(?P<s>{AC}){_NOT_PART}"
)
# the governments of X, Y and Z have set up an organisation to manage the P / X and Y compete for the P
_R_SUBJECTS = re.compile(
    rf"(?P<subs>{PARTY}(?:{_LIST}{PARTY})*)(?P<mid>{GAP}{{0,70}}?)\b(?:manage|manages|managing|lead|leads|leading|"
    rf"run|runs|running|fund|funds|funding|finance|finances|financing|co-finance|co-finances|co-financing|develop|develops|developing|co-develop|jointly develop|join|joins|"
    rf"joined|joining|take part in|takes part in|participate in|participates in|bid for|bids for|bidding for|"
    rf"compete for|competes for|competing for|compete in|competes in|are partners in|are part of|oversee|oversees) "
    rf"(?:the )?(?:{W} ){{0,2}}?(?P<p>{PROG})"
)
# the P, in which it competes with X / competing with X and Y for the P
_R_COMPETES = re.compile(
    rf"(?P<p>{PROG})(?:{GAP}){{0,30}}?\bcompet\w* (?:with|against) (?:the )?(?P<subs>{PARTY}(?:{_LIST}{PARTY})*)|"
    rf"\bcompet\w* (?:with|against) (?:the )?(?P<subs2>{PARTY}(?:{_LIST}{PARTY})*) (?:for|in) (?:the )?(?:{W} ){{0,2}}?(?P<p2>{PROG})"
)
# "industrial partners X, Y and Z": partners in the programme the text is about
_PARTNERS_LIST = re.compile(
    rf"\b(?:[Ii]ndustrial|[Ii]ndustry|[Pp]rogram(?:me)?|[Pp]roject|[Ff]ounding|[Pp]rime|[Nn]ational) partners,? "
    rf"(?:are |include |including |such as |namely )?(?P<subs>{PARTY}(?:{_LIST}{PARTY})+)"
)
_O_BY_TAIL = re.compile(
    rf"(?:,| and|, and)(?: by)? (?:the )?(?:{NAMED_CTRY}'s )?(?P<o>{NAMED_CTRY}|⟦G\d+⟧)"
    # "operated by the air force, the ministry said": the source of the report is no operator
    r"(?! (?:\w+ )?(?:said|says|told|announced|added|stated|confirmed|reported|noted|explained|wrote)\b)"
)
_ORG_LIST_TAIL = re.compile(rf"(?:(?:,| and|, and|,and| as well as) (?:the )?{ORG})+(?!'s)")
_CTRY_LIST_TAIL = re.compile(rf"(?:(?:,| and|, and|,and) (?:the )?(?:{NAMED_CTRY}|⟦G\d+⟧))+(?!'s)")
_SELECTED_FOR = re.compile(
    rf"(?P<a>{AC})(?:(?!⟦)[^.;]){{0,20}}?\b(?:was|were|has been|have been|is|are) (?:selected|chosen|picked|down-selected) (?:by (?:the )?(?:{W} ){{0,3}}?(?:{PARTY}) )?(?:for|in) (?:the |its |their )?(?:{W} ){{0,2}}?(?P<p>{PROG})"
)
_ITS = re.compile(rf"\bits (?:{W} ){{0,3}}?(?P<s>{AC}|{PROG})")
_PARTNERS_IN = re.compile(
    rf"(?:[Pp]artners|[Pp]articipants|[Mm]embers|[Nn]ations|[Cc]ountries) (?:in|of) (?:the )?(?P<p>{PROG})(?:[^⟦]{{0,20}}?)\b(?:include|are|includes|comprise)\b(?P<rest>[^.;]*)"
)
_PROG_PARTNERS = re.compile(
    rf"(?P<p>{PROG}),? (?:a |the )?(?:{W} ){{0,3}}?(?:led|developed|run|shared|pursued) by (?P<rest>[^.;]*)"
)
_OWNERSHIP = re.compile(
    rf"\bits (?:{W} ){{0,2}}?(?:ownership of|subsidiary|subsidiaries|division|unit|arm|acquisition of|purchase of|takeover of|stake in) (?:{GAP}{{0,50}}?)(?P<s>{COMPANY})"
)
_PART_OF = re.compile(r"\b(?:business|businesses|operations|assets|activities|segment) of\b")
_PART_AFTER = re.compile(r"(?: [\w-]+){0,3}? (?:business|businesses|operations|assets|activities|segment)\b")
_JV_NAMED = re.compile(
    rf"joint[- ]venture(?: company| firm)?,? (?:called |named |dubbed |known as )?(?P<s>{COMPANY})|(?P<s2>{COMPANY}),? (?:a|the|their|its) (?:{W} ){{0,3}}?joint[- ]venture"
)


def _party_list(rest: str) -> list[int]:
    out = []
    for m in PH.finditer(rest):
        if m.group(1) in "CGN":
            out.append(int(m.group(2)))
        elif m.group(1) not in "D":
            break
    return out


def _following_aircraft(masked: str, pos: int, limit: int = 260) -> list[int]:
    """Aircraft named after ``pos`` up to the next organisation, country or clause end."""
    out = []
    for m in PH.finditer(masked, pos, min(len(masked), pos + limit)):
        if m.group(1) == "A":
            out.append(int(m.group(2)))
        elif m.group(1) in "CGNRP":
            break
    return out


_LIST_TAIL = re.compile(rf"(?:(?!⟦)[^.;—]){{0,45}}?(?:,|\band\b|\bor\b|as well as|\balongside\b|along with|together with)(?:(?!⟦)[^.;—]){{0,30}}?(?:{COMPANY} )?(?P<a>{AC})")


def _aircraft_list(masked: str, first_end: int) -> list[int]:
    out = []
    pos = first_end
    while True:
        m = _LIST_TAIL.match(masked, pos)
        if not m:
            return out
        out.append(first_id(m.group("a")))
        pos = m.end()


def subject_of(masked: str, before: int) -> int | None:
    """The sentence subject an "its" refers to: the first organisation or country before it."""
    for m in PH.finditer(masked, 0, before):
        if m.group(1) in "CGN":
            nxt = masked[m.end() : m.end() + 4]
            if nxt.startswith("'s ⟦"):
                continue
            return int(m.group(2))
    return None


# words a pattern cannot match without (a cheap test before the regular expression)
_REQUIRES = {
    "o_for": (" for ",),
    "o_built_for": (" for ",),
    "p_shareholder": ("holder", "owner", "parent"),
    "p_owns": ("owns", "controls", "holds"),
    "m_which": ("which", "that"),
    "r_which": ("which", "that"),
    "o_which": ("which",),
    "m_known": (
        "known",
        "renowned",
        "famous",
        "famed",
        "noted",
        "celebrated",
        "recogni",
        "acclaimed",
        "maker",
        "manufacturer",
        "builder",
        "developer",
        "producer",
        "designer",
    ),
    "m_with_its": ("with its",),
    "p_owned_by": ("owned by",),
    "p_owned": ("-owned",),
}
_NEEDS = {
    # which placeholder codes a pattern family needs in the sentence (all groups, any code of a group)
    "m": ("A", "C"),
    "o": ("A", "NGC"),
    "c": ("ND", "CG"),
    "p": ("CG",),
    "s": ("CG",),
    "r": ("R", "CGN"),
}
_CODES = re.compile(r"⟦([A-Z])")


def relations(masked: str, kinds: dict[int, str]) -> Iterator[tuple[str, int, int, float]]:
    """(key, subject id, object id, confidence) read from one masked sentence."""
    present = set(_CODES.findall(masked))
    orgs = masked.count("⟦C") + masked.count("⟦G")
    allowed = {
        family
        for family, groups in _NEEDS.items()
        if all(present.intersection(group) for group in groups) and (family not in "ps" or orgs >= 2)
    }
    if "artners" in masked:
        for m in _PARTNERS_LIST.finditer(masked):
            for o in ids(m.group("subs"), "CGN"):
                yield "participant_ctx", -1, o, 0.7
    if not allowed:
        return
    for name, rx, conf in _REL_PATTERNS:
        if name[0] not in allowed:
            continue
        needs = _REQUIRES.get(name)
        if needs and not any(n in masked for n in needs):
            continue
        for m in rx.finditer(masked):
            key = {
                "m": "manufacturer",
                "o": "operator",
                "c": "country",
                "p": "parentOrganization",
                "s": "supplier",
                "r": "participant",
            }[name[0]]
            if name in ("m_known", "m_with_its"):
                o = first_id(m.group("o"))
                for a in _following_aircraft(masked, m.end()):
                    yield key, a, o, conf
                continue
            s, o = first_id(m.group("s")), first_id(m.group("o"))
            if name == "s_supplies" and "⟦A" in m.group("what"):
                continue
            yield key, s, o, conf
            if key in ("manufacturer", "operator") and "s" in m.groupdict():
                for a in _aircraft_list(masked, m.end("s")):
                    yield key, a, o, conf * 0.95
            if name == "o_to":
                # "delivered the type to Portugal and Hungary"
                tail = _CTRY_LIST_TAIL.match(masked, m.end())
                if tail:
                    for extra in ids(tail.group(0), "NG"):
                        yield key, s, extra, conf * 0.9
            if name == "o_by":
                tail = _O_BY_TAIL.match(masked, m.end())
                if tail:
                    yield key, s, first_id(tail.group("o")), conf * 0.95
            if key == "supplier":
                # "builds warships for the US Navy and the Royal Australian Navy"
                tail = _ORG_LIST_TAIL.match(masked, m.end())
                if tail:
                    for extra in ids(tail.group(0), "CG"):
                        yield key, s, extra, conf * 0.9
            if name in ("c_demonym", "c_poss"):
                # Turkish companies like X and Y / Pakistan's X and Y
                tail = re.match(rf"^(?: \([^)]*\))?(?:,? (?:and |or )?(?P<n>{ORG})(?: \([^)]*\))?)+", masked[m.end() :])
                if tail:
                    for extra in ids(tail.group(0), "CG"):
                        yield key, extra, o, conf * 0.9
    if orgs >= 2 and "its " in masked:
        for m in _OWNERSHIP.finditer(masked):
            if _PART_OF.search(m.group(0)) or _PART_AFTER.match(masked, m.end()):
                # "its acquisition of the actuation business of X": a part of X changes hands, not X
                continue
            subj = subject_of(masked, m.start())
            if subj is not None and kinds.get(subj) != "Country":
                yield "parentOrganization", first_id(m.group("s")), subj, 0.75
    if "A" not in present and "R" not in present:
        return
    for m in _O_LIST.finditer(masked):
        a = first_id(m.group("s"))
        for o in ids(m.group("subs"), "NG"):
            yield "operator", a, o, 0.75
            for extra in _aircraft_list(masked, m.end("s")):
                yield "operator", extra, o, 0.7
    if "A" in present and "⟦C" in masked:
        for m in _M_SUBJECTS.finditer(masked):
            for o in ids(m.group("subs"), "C"):
                yield "manufacturer", first_id(m.group("s")), o, 0.75
                for a in _aircraft_list(masked, m.end("s")):
                    yield "manufacturer", a, o, 0.7
    if "R" in present:
        for m in _R_SUBJECTS.finditer(masked):
            for o in ids(m.group("subs"), "CGN"):
                yield "participant", first_id(m.group("p")), o, 0.75
        for m in _R_COMPETES.finditer(masked):
            p = first_id(m.group("p") or m.group("p2"))
            for o in ids(m.group("subs") or m.group("subs2"), "CGN"):
                yield "participant", p, o, 0.7
    for m in _SELECTED_FOR.finditer(masked):
        # the maker of a selected aircraft takes part: resolved once every manufacturer is known
        yield "participant_via", first_id(m.group("p")), first_id(m.group("a")), 0.65
    for m in _ITS.finditer(masked):
        subj = subject_of(masked, m.start())
        if subj is None:
            continue
        target = first_id(m.group("s"))
        code = m.group("s")[1]
        skind = kinds.get(subj, "")
        if code == "A":
            key = "operator" if skind == "Country" or skind in ("GovernmentBody", "ArmedForce") else "manufacturer"
            yield key, target, subj, 0.65
            for a in _aircraft_list(masked, m.end("s")):
                yield key, a, subj, 0.6
        else:
            yield "participant", target, subj, 0.7
    for rx in (_PARTNERS_IN, _PROG_PARTNERS):
        for m in rx.finditer(masked):
            p = first_id(m.group("p"))
            for party in _party_list(m.group("rest")):
                yield "participant", p, party, 0.75


# --- positions ---------------------------------------------------------------------------
_TITLE_CORE = (
    r"(?:(?:[Ee]xecutive |[Ss]enior |[Dd]eputy |[Vv]ice |[Ff]ormer |[Aa]cting |[Ii]nterim |[Gg]roup |[Cc]orporate |[Jj]oint )*"
    r"(?:[Cc]hief [Ee]xecutive(?: [Oo]fficer)?|CEO|CTO|COO|CFO|CIO|CMO|[Cc]hairman|[Cc]hairwoman|[Cc]hairperson|[Cc]hair|"
    r"[Pp]resident|[Mm]anaging [Dd]irector|[Dd]irector[- ][Gg]eneral|[Gg]eneral [Mm]anager|[Hh]ead|[Ff]ounder|"
    r"[Cc]o-founder|[Oo]wner|[Ee]ditor-in-[Cc]hief|[Ee]ditor|[Ss]pokes(?:person|man|woman)|"
    r"(?:(?:[Pp]rime|[Ff]oreign|[Dd]efen[cs]e|[Ii]ndustry|[Ff]inance|[Ee]conomy|[Tt]rade|[Ii]nterior|[Ss]tate|[Pp]rocurement|[Ss]trategic|[Ii]ndustries) ){0,2}[Mm]inister|"
    r"[Ss]ecretary(?:[- ][Gg]eneral)?|[Cc]ommander|[Cc]hief of [Ss]taff|[Aa]mbassador|[Gg]overnor|"
    r"[Cc]hief [A-Za-z]+ [Oo]fficer|[Dd]irector|[Pp]rogram(?:me)? [Dd]irector|[Pp]rogram(?:me)? [Mm]anager|"
    r"[Pp]rime [Mm]inister|[Cc]hancellor|[Bb]oard [Mm]ember|[Pp]artner|[Cc]hief))"
)
_TITLE_TAIL = r"(?: (?:of|for) (?:the )?(?:(?:⟦[UND]\d+⟧|[A-Z][\w&-]*|and|&|in|of|the|for)(?: |(?=⟦))?)+?)?"
TITLES = rf"(?P<title>{_TITLE_CORE}(?:(?: and |, | & |/){_TITLE_CORE})?{_TITLE_TAIL})"
_NAME_END = r"(?=[,.;:)\"]|'s\b| [a-z(]|$| ⟦| —)"
_POSITION_PATTERNS: list[tuple[str, re.Pattern[str], float]] = [
    ("org_title_name", re.compile(rf"(?P<org>{PARTY}|⟦D\d+⟧)(?:'s)?,? {TITLES},? (?P<name>{UNK}){_NAME_END}"), 0.9),
    (
        "org_title_of_name",
        re.compile(
            rf"(?P<org>{PARTY}|⟦D\d+⟧)(?:'s)? (?P<title>{_TITLE_CORE} (?:of|for) (?:the )?)(?P<name>{UNK}){_NAME_END}"
        ),
        0.8,
    ),
    (
        "name_title_of",
        re.compile(
            rf"(?P<name>{UNK}),? (?:the |a |an |who is |who serves as |as )?(?:(?:[a-z][\w-]* ){{0,2}}?)?"
            rf"(?P<title>{_TITLE_CORE}(?:(?: and |, | & ){_TITLE_CORE})?) (?:of|at|for|with) (?:the )?(?:(?P<poss>{ORG}|{NAMED_CTRY})'s )?(?P<org>{PARTY}|{UNK})"
        ),
        0.85,
    ),
    ("name_org_title", re.compile(rf"(?P<name>{UNK}), (?:the )?(?P<org>{PARTY}|⟦D\d+⟧)(?:'s)? {TITLES}\b"), 0.8),
    (
        "title_of_org_name",
        re.compile(
            rf"\b(?:the )?(?P<title>{_TITLE_CORE}) (?:of|at) (?:the )?(?P<org>{PARTY}),? (?P<name>{UNK}){_NAME_END}"
        ),
        0.8,
    ),
    (
        "appointed",
        re.compile(
            rf"(?P<org>{ORG})(?:(?:{GAP}){{0,40}}?)\b(?:appointed|named|hired|promoted|elected|chose|selected|tapped) (?:its )?(?:new )?"
            rf"(?P<name>{UNK}) (?:as|to be|to serve as) (?:its |the )?(?:new )?{TITLES}"
        ),
        0.85,
    ),
    (
        "founded_by",
        re.compile(
            rf"(?P<org>{ORG}),? (?:which was |was |a company )?(?P<title>(?:co-)?founded) (?:in \d{{4}} )?by (?P<name>{UNK}){_NAME_END}"
        ),
        0.8,
    ),
    (
        "bare_title_name",
        re.compile(
            rf"(?<!⟧ )(?<!'s )\b(?P<title>(?:[Pp]resident|[Pp]rime [Mm]inister|[Cc]hancellor|[Kk]ing|[Cc]rown [Pp]rince|(?:[Dd]efen[cs]e |[Ff]oreign |[Ii]ndustry )?[Mm]inister)) (?P<name>{UNK}){_NAME_END}"
        ),
        0.7,
    ),
]
_COMPANY_TITLE_NAME = re.compile(
    rf"(?<!⟧ )(?<!'s )\b(?P<title>(?:[Cc]o-)?[Ff]ounder|[Cc]hief [Ee]xecutive(?: [Oo]fficer)?|CEO|[Cc]hairman|[Mm]anaging [Dd]irector) (?P<name>{UNK}){_NAME_END}"
)
# "Velt Orbital chairman Ines Moor": a name before a company title and a person's name is the company
_UNKNOWN_ORG_TITLE_NAME = re.compile(
    rf"(?<![\w⟧] )(?<!'s )(?P<org>{UNK}) (?P<title>(?:[Cc]hief [Ee]xecutive(?: [Oo]fficer)?|CEO|CFO|CTO|COO|[Cc]hairman|"
    rf"[Cc]hairwoman|[Cc]hairperson|[Mm]anaging [Dd]irector|(?:[Cc]o-)?[Ff]ounder)),? (?P<name>{UNK}){_NAME_END}"
)


def unknown_org_titles(masked: str) -> Iterator[tuple[int, tuple[int, int], int]]:
    """(person placeholder id, title span, organisation placeholder id) for an unknown firm's officer."""
    for m in _UNKNOWN_ORG_TITLE_NAME.finditer(masked):
        yield first_id(m.group("name")), m.span("title"), first_id(m.group("org"))


_ITS_TITLE = re.compile(rf"\b[Ii]ts (?P<title>{_TITLE_CORE}),? (?P<name>{UNK}){_NAME_END}")
_PERSON_CUES = re.compile(
    rf"\b(?:expert|analyst|spokes(?:man|woman|person)|official|researcher|journalist|professor|engineer|pilot|"
    rf"Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Prof\.?|Gen\.?|General|Admiral|Adm\.|Colonel|Col\.|Lt\.|Lieutenant|Captain|Major|"
    rf"Senator|Sen\.|Rep\.) (?P<name>{UNK}){_NAME_END}"
    # not "X said": firms say things too ("Northrop Grumman said"), and a wrong Person costs twice
)
_ROLE_NOUN = (
    r"(?:analyst|expert|researcher|official|executive|spokes(?:man|woman|person)|director|manager|professor|"
    r"fellow|engineer|pilot|consultant|economist|advis[eo]r|officer|lawyer|scientist|historian|veteran)"
)
# "said Jane Doe, who leads ..."; "Jane Doe, a senior analyst at ..." — a person by the clause that describes them
_PERSON_APPOS = re.compile(
    rf"(?P<name>{UNK}), (?:who (?:leads|heads|runs|manages|oversees|directs|chairs|is|was|has)\b|"
    rf"(?:a|an|the|its) (?:[a-z-]+ ){{0,3}}?{_ROLE_NOUN}s?\b)"
)
# "Defence Minister Jan Novak and his French counterpart Paul Dupont": the same post, in the other country
_COUNTERPART = re.compile(
    rf"(?:(?P<title>{_TITLE_CORE}) ⟦[PU]\d+⟧ (?:[a-z]+ ){{0,3}}?)?\b(?:[Hh]is|[Hh]er|[Tt]heir) (?P<org>⟦[DN]\d+⟧) "
    rf"counterparts?,? (?P<name>{UNK}){_NAME_END}"
)


def counterparts(masked: str) -> Iterator[tuple[int, tuple[int, int] | None, int]]:
    """(person placeholder id, title span or None, country placeholder id)."""
    for m in _COUNTERPART.finditer(masked):
        yield first_id(m.group("name")), (m.span("title") if m.group("title") else None), first_id(m.group("org"))


COUNTRY_TITLES = re.compile(r"(?i)minister|president|prime|chancellor|king|prince|ambassador|secretary of state")


def positions(masked: str) -> Iterator[tuple[str, int, tuple[int, int], str | None, float, str]]:
    """(pattern, person placeholder id, title, organisation placeholder, confidence, possessor)."""
    for name, rx, conf in _POSITION_PATTERNS:
        for m in rx.finditer(masked):
            org = m.groupdict().get("org")
            poss = m.groupdict().get("poss") or ""
            yield name, first_id(m.group("name")), m.span("title"), org, conf, poss


def company_title_names(masked: str, topic: int | None) -> Iterator[tuple[int, tuple[int, int], int]]:
    """ "co-founder Ryan Tseng": of the firm the text is about (or the first named in the sentence)."""
    for m in _COMPANY_TITLE_NAME.finditer(masked):
        org = (
            topic
            if topic is not None
            else next((int(x.group(2)) for x in PH.finditer(masked, 0, m.start()) if x.group(1) == "C"), None)
        )
        if org is not None:
            yield first_id(m.group("name")), m.span("title"), org


def its_titles(masked: str) -> Iterator[tuple[int, tuple[int, int], int]]:
    """ "Its chief executive X": the organisation is the one named last before "Its"."""
    for m in _ITS_TITLE.finditer(masked):
        orgs = [int(x.group(2)) for x in PH.finditer(masked, 0, m.start()) if x.group(1) in "CG"]
        yield first_id(m.group("name")), m.span("title"), (orgs[-1] if orgs else -1)


def person_cues(masked: str) -> Iterator[int]:
    for m in _PERSON_CUES.finditer(masked):
        yield first_id(m.group("name"))
    for m in _PERSON_APPOS.finditer(masked):
        yield first_id(m.group("name"))
