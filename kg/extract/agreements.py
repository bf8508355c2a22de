"""Agreements: who agreed what with whom, how far it got, when, for how much.

A sentence can name its parties ("between X and Y", "X and Y have signed",
"X has teamed up with Y", "X's acquisition of Y") or refer back to them ("the
two companies", "the deal", "both nations"): a :class:`PairMemory` keeps the last
group of parties named together so that the reference resolves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.patterns import GAP, PARTY, W, first_id, ids

MOU = re.compile(r"\b(?:[Mm]emorand(?:um|a) of [Uu]nderstanding|MoUs?|MOUs?|[Ll]etters? of [Ii]ntent|LoIs?|LOIs?)\b")
JV = re.compile(r"\b[Jj]oint[- ]ventures?\b")
PARTNER = re.compile(
    r"\b(?:partnership|partnered|partners? with|partnering|cooperat\w+|co-operat\w+|collaborat\w+|co-produc\w+|"
    r"co-develop\w*|alliance|agreements?|agreed|deals?|pact|accord|treaty|teamed up|team up|teaming up|"
    r"joined forces|join forces|joining forces|talks|discussions|negotiations|negotiating|exploring|explore|"
    r"joint work|work together|working together|synerg\w+|framework|contract|tie-up|teaming agreement)\b"
)
"""Partnership words; match against lower-cased text (case-insensitive alternations are slow in ``re``)."""
PROCUREMENT_WORDS = re.compile(
    r"\b(?:order(?:ed|s)?|contract|buy|buying|bought|purchas\w*|procure\w*|acqui\w+|sale|sell|sold|deliver\w*|supply)\b"
)
_BETWEEN = re.compile(
    rf"\bbetween (?:the )?(?P<a>{PARTY})(?P<rest>(?:(?: \([^)]*\))?,? (?:and |as well as )?(?:the )?(?:{W} ){{0,3}}?{PARTY})+)"
)
_SUBJECTS = re.compile(
    rf"(?:^|[,:;—(] ?|\b(?:[Ff]or now|[Mm]eanwhile|[Tt]oday|[Nn]ow|[Tt]hat|[Ww]hen|[Ww]hile|[Aa]s), ?)(?P<pre>(?:[\w-]+ |⟦D\d+⟧ ){{0,4}}?)(?P<a>{PARTY})"
    rf"(?P<rest>(?:(?: \([^)]*\))?(?:,? (?:and |& )|, )(?:[\w-]+ |⟦D\d+⟧ ){{0,6}}?{PARTY})+)"
    rf"(?= (?:have|has|had|are|is|were|was|will|would|could|may|might|signed|agreed|announced|unveiled|launched|formed|"
    r"established|set|plan|planned|intend|to|also|both|jointly|recently|reportedly|officially|on|in|last|this|share|"
    r"explore|exploring|continue|began|begin|agree|sign|teamed|joined|partnered|inked|sealed|eye|eyes|could|said|"
    r"today|finalised|finalized|completed|concluded))"
)
_WITH = re.compile(
    rf"(?P<a>{PARTY})(?:'s)?(?P<mid>(?:{GAP}){{0,80}}?)\b(?:with|alongside) (?:the )?(?:[\w-]+ |⟦D\d+⟧ ){{0,3}}?(?:{PARTY}'s )?(?P<b>{PARTY})"
)
_WITH_TAIL = re.compile(rf"(?:(?:,| and|, and|,and) (?:the )?{PARTY})+(?!'s)")
_ACQUISITION = re.compile(
    rf"(?P<a>{PARTY})(?:'s (?:{W} ){{0,3}}?(?:acquisition|purchase|takeover|buyout) of|"
    rf"(?:(?!⟦)[^.;]){{0,40}}?\b(?:acquired|acquire|acquires|acquiring|bought|buy|buys|buying|purchased|took over|take over|"
    rf"takes over|taking over|(?:the |its )?(?:acquisition|purchase|takeover) of)(?! by)) (?:the |a |an )?(?:(?:[\w-]+|⟦D\d+⟧) ){{0,4}}?(?P<b>⟦C\d+⟧)"
)
# "X ... to increase its stake in Y" / "X made a takeover offer of $1bn for Y"
_STAKE_OR_BID = re.compile(
    rf"(?P<a>{PARTY})(?:'s)?(?P<mid>(?:(?!⟦)[^.;]|⟦[DN]\d+⟧){{0,80}}?)\b(?:(?:raise|raises|raised|raising|increase|increases|increased|"
    rf"increasing|lift|lifts|lifted|boost|boosts|boosted|build|builds|built|take|takes|took|acquire|acquires|acquired|buy|buys|bought) "
    rf"(?:its|their|a|an) (?:\w+ )?stake (?:in|of)|(?:takeover|acquisition|buyout|purchase) (?:offer|bid|proposal|approach)"
    rf"(?:(?!⟦)[^.;]|⟦[DN]\d+⟧){{0,60}}? for) (?:the )?(?:[\w-]+ |⟦D\d+⟧ ){{0,3}}?(?P<b>⟦C\d+⟧)"
)
_ACQUIRED_BY = re.compile(
    rf"(?P<b>⟦C\d+⟧)(?:(?!⟦)[^.;]){{0,30}}?\b(?:was|were|has been|is being|will be|is to be|is set to be|agreed to be) "
    rf"(?:acquired|bought|purchased|taken over) by (?:the )?(?:(?:[\w-]+|⟦D\d+⟧) ){{0,3}}?(?P<a>{PARTY})"
)
_PROCUREMENT = re.compile(
    rf"(?P<a>{PARTY})(?: (?:has|have|had|will|is|to|also|already|previously|earlier|recently|formally|officially|now|just|reportedly))* (?:ordered|bought|purchased|acquired|procured|buy|purchase|acquire|order|procure|(?:agreed|plans?|planned|intends?|wants?|aims?|is set|is expected|is planning|is looking) to (?:buy|purchase|acquire|order|procure)|signed (?:a |an )?(?:[\w$£€.,-]+ ){{0,5}}?(?:contract|deal|order|agreement)|"
    rf"placed (?:a |an )?(?:[\w$£€.,-]+ ){{0,4}}?order|agreed to (?:buy|purchase|acquire)|selected)"
    rf"(?P<mid>(?:{GAP}|⟦A\d+⟧){{0,90}}?)\b(?:from|with) (?:the )?(?:[\w-]+ |⟦D\d+⟧ ){{0,3}}?(?P<b>{PARTY})"
)
_ORDER_FROM = re.compile(
    rf"(?P<a>{PARTY})'s (?:[\w-]+ ){{0,3}}?(?:order|orders|purchase|acquisition|procurement|buy) (?:of|for) "
    rf"(?P<mid>(?:{GAP}|⟦A\d+⟧){{0,60}}?)\bfrom (?:the )?(?:[\w-]+ |⟦D\d+⟧ ){{0,3}}?(?P<b>{PARTY})"
)
# "the ministry agreed to buy 56 Y aircraft for the air force": the seller is left to the aircraft's maker
_BUY_NO_SELLER = re.compile(
    rf"(?<!with )(?<!from )(?<!with the )(?<!from the )(?P<a>{PARTY})(?: (?:has|have|had|will|is|to|also|already|previously|earlier|recently|formally|officially|now|"
    rf"just|reportedly|finally|(?:became|becomes|become|is|was|will be) the (?:first|second|third|latest|next) (?:(?:[\w-]+|⟦G\d+⟧) ){{0,3}}?to))* (?:(?:agreed|plans?|planned|intends?|decided|is set|is expected|is planning) to "
    rf"(?:buy|purchase|acquire|order|procure)|buy|purchase|acquire|procure|ordered|bought|purchased|procured|selected|chose|chosen|picked|opted for) (?P<mid>(?:{GAP}){{0,40}}?)(?P<s>⟦A\d+⟧)"
    rf"(?P<rest>[^.;]*)"
)
_FOR_USER = re.compile(r"^(?:(?!⟦)[^.;—]){0,25}? for (?:the )?⟦[NG]\d+⟧")
# "X has won a contract from the ministry to supply 48 Y aircraft"
_WON_FROM = re.compile(
    rf"(?P<b>⟦C\d+⟧)(?: (?:has|have|had|was|were|also|recently|just))* (?:won|wins|winning|secured|secures|received|"
    rf"receives|landed|been awarded|was awarded|awarded) (?:a |an |the )?(?:[\w$£€.,-]+ ){{0,5}}?(?:contract|order|deal) "
    rf"(?:from|by|with) (?:the )?(?:[\w-]+ |⟦D\d+⟧ ){{0,3}}?(?P<a>{PARTY})(?P<mid>(?:{GAP}|⟦A\d+⟧){{0,80}})"
)
# "X won a contract to supply K9 howitzers to the army"
_WON_TO_SUPPLY = re.compile(
    rf"(?P<b>⟦C\d+⟧)(?: (?:has|have|had|was|were|also|recently|just))* (?:won|wins|secured|secures|received|landed|"
    rf"been awarded|was awarded|awarded|signed) (?:a |an |the )?(?:[\w$£€.,-]+ ){{0,5}}?(?:contract|order|deal) to "
    rf"(?:supply|provide|deliver|build|sell|equip)(?P<mid>(?:{GAP}|⟦A\d+⟧){{0,80}}?)\b(?:to|for) (?:the )?(?P<a>{PARTY})(?!'s)"
)
_SELECTED = re.compile(
    rf"(?P<b>⟦C\d+⟧)(?: (?:has|have|was|were|had))? (?:been )?(?:selected|chosen|picked|contracted|awarded a contract) by (?:the )?(?:[\w-]+ ){{0,2}}?(?P<a>{PARTY}) to "
    rf"(?:supply|provide|build|deliver|manufacture|produce)|(?P<a2>{PARTY}) (?:has |have )?(?:selected|chose|picked|contracted) (?P<b2>⟦C\d+⟧) to (?:supply|provide|build|deliver|manufacture|produce)"
)
_SALE = re.compile(
    rf"(?P<b>{PARTY})(?: (?:has|have|had|will|is|to|also))* (?:sell|sells|sold|deliver|delivers|delivered|supply|supplies|supplied|export|exported)"
    rf"(?P<mid>(?:{GAP}|⟦A\d+⟧){{0,60}}?) to (?:the )?(?P<a>{PARTY})"
)
_ANAPHOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]heir|[Ss]uch a|[Tt]he new|[Tt]he proposed|[Uu]nder (?:a|the))\s(?:[\w-]+\s){0,3}?"
    r"(?i:deal|agreement|pact|partnership|alliance|cooperation|collaboration|venture|MoU|memorandum|talks|discussions|"
    r"negotiations|initiative|accord|contract|tie-up)\b"
)
_ORG_PAIR_REF = re.compile(
    r"\b(?:[Tt]he two (?:companies|firms|groups|partners|sides)|[Bb]oth (?:companies|firms|groups|partners|sides)|[Tt]he (?:companies|firms|pair|partners))\b"
)
_COUNTRY_PAIR_REF = re.compile(
    r"\b(?:[Tt]he two (?:countries|nations|governments|states)|[Bb]oth (?:countries|nations|governments|states))\b"
)
_PREPOSITIONS = {
    "to",
    "for",
    "of",
    "by",
    "with",
    "from",
    "on",
    "in",
    "like",
    "including",
    "as",
    "at",
    "into",
    "than",
    "against",
    "over",
    "about",
    "kudos",
}

PROPOSED = re.compile(
    r"(?i)\b(?:talks|discussions?|negotiat\w+|explor\w+|propos\w+|potential|possible|possibly|consider\w*|could|would|may|might|plan(?:s|ned)? to|intend\w*|interest|prospective|eye|eyes|eyeing|aim\w* to|preparing to|set to|expected to|seeking|seek|preliminary|likely|reportedly in)\b"
)
SIGNED = re.compile(
    r"(?i)\b(?:signed|inked|sealed|agreed|concluded|struck|entered into|announced|awarded|placed|ordered)\b"
)
COMPLETED = re.compile(
    r"(?i)\b(?:completed|finali[sz]ed|established|closed|acquired|took over|founded|launched|set up|created|formed|evolved)\b"
)
CANCELLED = re.compile(
    r"(?i)\b(?:cancel\w*|terminat\w*|scrapp\w*|collaps\w*|abandon\w*|withdr[ae]w\w*|called off|pulled out)\b"
)


def status_of(text: str) -> str | None:
    if CANCELLED.search(text):
        return "Cancelled"
    if COMPLETED.search(text):
        return "Completed"
    if SIGNED.search(text):
        return "Signed"
    if PROPOSED.search(text):
        return "Proposed"
    return None


@dataclass(slots=True)
class PairMemory:
    """The last parties named together: any, organisations only, countries only."""

    last: tuple[int, ...] = ()
    orgs: tuple[int, ...] = ()
    countries: tuple[int, ...] = ()

    def remember(self, group: tuple[int, ...], kinds: dict[int, str]) -> None:
        if len(set(group)) < 2:
            return
        self.last = group
        if all(kinds.get(g) != "Country" for g in group):
            self.orgs = group
        if all(kinds.get(g) == "Country" for g in group):
            self.countries = group


@dataclass(slots=True)
class Found:
    kind: str
    parties: tuple[int, ...]
    start: int
    end: int
    confidence: float
    explicit: bool = True
    extra: dict[str, object] = field(default_factory=dict)


def _uniq(xs: list[int]) -> tuple[int, ...]:
    out: list[int] = []
    for x in xs:
        if x not in out:
            out.append(x)
    return tuple(out)


def groups(masked: str, kinds: dict[int, str]) -> list[tuple[tuple[int, ...], int, int, str]]:
    """Groups of parties named together: (ids, start, end, how)."""
    out = []
    for m in _BETWEEN.finditer(masked):
        out.append((_uniq([first_id(m.group("a"))] + ids(m.group("rest"), "CGN")), m.start(), m.end(), "between"))
    for m in _SUBJECTS.finditer(masked):
        pre_words = {w.lower() for w in m.group("pre").split()}
        if pre_words & _PREPOSITIONS:
            continue
        out.append((_uniq([first_id(m.group("a"))] + ids(m.group("rest"), "CGN")), m.start("a"), m.end(), "subjects"))
    for m in _WITH.finditer(masked):
        mid = m.group("mid")
        window = mid.rstrip() + " with " + masked[m.end() : m.end() + 40]  # "will partner with X"
        if not PARTNER.search(window.lower()) and not MOU.search(window) and not JV.search(window):
            continue
        if re.search(
            r"\b(?:compared|competition|compete|competing|rival|against|tensions?|war|conflict|dispute)\b", mid
        ):
            continue
        # "with Dutch companies X and Y": every member of the list after "with"
        tail = _WITH_TAIL.match(masked, m.end())
        more = ids(tail.group(0), "CGN") if tail else []
        out.append((_uniq([first_id(m.group("a")), first_id(m.group("b")), *more]), m.start(), m.end(), "with"))
    return [g for g in out if len(g[0]) >= 2]


def find(masked: str, kinds: dict[int, str], memory: PairMemory) -> list[Found]:
    """Agreements in one masked sentence (parties are placeholder ids)."""
    found: list[Found] = []
    parties_here = masked.count("⟦C") + masked.count("⟦G") + masked.count("⟦N")
    lower = masked.lower()
    has_mou, has_jv, has_partner = bool(MOU.search(masked)), bool(JV.search(masked)), bool(PARTNER.search(lower))
    if parties_here < 2 and not (has_mou or has_jv or has_partner or (parties_here == 1 and "⟦A" in masked)):
        return found
    orgs_only = lambda ps: all(kinds.get(p) != "Country" for p in ps)  # noqa: E731
    # acquisitions of companies
    for m in (
        [*_ACQUISITION.finditer(masked), *_ACQUIRED_BY.finditer(masked), *_STAKE_OR_BID.finditer(masked)]
        if parties_here >= 2
        else []
    ):
        a, b = first_id(m.group("a")), first_id(m.group("b"))
        if kinds.get(a) == "Country":
            continue
        if a != b and kinds.get(b) in ("Company", "Division", "JointVenture"):
            found.append(Found("Acquisition", (a, b), m.start(), m.end(), 0.85))
    # procurement with a named seller
    for rx, conf in (
        ((_PROCUREMENT, 0.75), (_ORDER_FROM, 0.75), (_SALE, 0.7)) if parties_here >= 2 and "⟦A" in masked else ()
    ):
        for m in rx.finditer(masked):
            a, b = first_id(m.group("a")), first_id(m.group("b"))
            if a != b and (
                "⟦A" in m.group("mid")
                or rx is not _SALE
                and re.search(r"\b(?:aircraft|jets?|drones?|fighters?|helicopters?|UAVs?)\b", m.group("mid"))
            ):
                buyer = a if kinds.get(a) in ("Country", "GovernmentBody", "ArmedForce") else None
                extra: dict[str, object] = {"subjects": ids(m.group("mid"), "A"), "buyers": [buyer] if buyer else []}
                extra["proposed"] = status_of(m.group(0)) == "Proposed"
                found.append(Found("Procurement", (a, b), m.start(), m.end(), conf, extra=extra))
    if "⟦A" in masked and not any(f.kind == "Procurement" for f in found):
        for m in _BUY_NO_SELLER.finditer(masked):
            a = first_id(m.group("a"))
            if kinds.get(a) not in ("Country", "GovernmentBody", "ArmedForce") or re.search(
                r"\bfrom\b|\bwith\b", m.group("rest")
            ):
                continue
            # "for the air force": the force named after the aircraft operates it, not the buying ministry
            user = _FOR_USER.match(m.group("rest"))
            extra = {"subjects": [first_id(m.group("s"))], "buyers": [] if user else [a]}
            extra["proposed"] = status_of(m.group(0)) == "Proposed"
            found.append(Found("Procurement", (a,), m.start(), m.end(), 0.65, extra=extra))
    for m in _WON_FROM.finditer(masked) if parties_here >= 2 and "⟦A" in masked else ():
        a, b = first_id(m.group("a")), first_id(m.group("b"))
        subjects = ids(m.group("mid"), "A")
        if a != b and subjects and kinds.get(a) in ("Country", "GovernmentBody", "ArmedForce"):
            extra = {"subjects": subjects, "buyers": [a], "proposed": status_of(m.group(0)) == "Proposed"}
            found.append(Found("Procurement", (a, b), m.start(), m.end(), 0.75, extra=extra))
    for m in _WON_TO_SUPPLY.finditer(masked) if parties_here >= 2 and "contract" in masked else ():
        a, b = first_id(m.group("a")), first_id(m.group("b"))
        if a != b and kinds.get(a) in ("Country", "GovernmentBody", "ArmedForce"):
            subjects = ids(m.group("mid"), "A")
            extra = {"subjects": subjects, "buyers": [a], "proposed": status_of(m.group(0)) == "Proposed"}
            found.append(Found("Procurement", (a, b), m.start(), m.end(), 0.75, extra=extra))
    for m in _SELECTED.finditer(masked) if parties_here >= 2 else ():
        a, b = first_id(m.group("a") or m.group("a2")), first_id(m.group("b") or m.group("b2"))
        if a != b:
            found.append(
                Found(
                    "Procurement", (a, b), m.start(), m.end(), 0.75, extra={"subjects": ids(masked[m.start() :], "A")}
                )
            )
    grps = groups(masked, kinds) if parties_here >= 2 else []
    acquired = {f.parties for f in found}
    for g, s, e, how in grps:
        memory.remember(g, kinds)
        if g in acquired or tuple(reversed(g)) in acquired:
            continue
        kinds_here = []
        if has_mou:
            kinds_here.append("MemorandumOfUnderstanding")
        if has_jv:
            kinds_here.append("JointVentureAgreement" if orgs_only(g) else "Partnership")
        procurement = "⟦A" in masked and PROCUREMENT_WORDS.search(lower)
        if not kinds_here and procurement:
            kinds_here.append("Procurement")
        if not kinds_here and has_partner:
            kinds_here.append("Partnership")
        for k in kinds_here:
            extra: dict[str, object] = {}
            if k == "Procurement":
                extra["subjects"] = ids(masked[s:], "A")
                buyers = [p for p in g if kinds.get(p) in ("Country", "GovernmentBody", "ArmedForce")]
                extra["buyers"] = buyers if how == "subjects" else buyers[:1]
                extra["proposed"] = status_of(masked[max(0, s - 40) : e + 80]) == "Proposed"
            found.append(Found(k, g, s, e, 0.8 if how != "subjects" else 0.75, extra=extra))
    if not grps and not found and (has_mou or has_jv or has_partner):
        ref = _ORG_PAIR_REF.search(masked) or _COUNTRY_PAIR_REF.search(masked) or _ANAPHOR.search(masked)
        explicit = [i for i in ids(masked, "CGN")]
        if ref and len(set(explicit)) <= 1:
            if ref.re is _ORG_PAIR_REF:
                pair = memory.orgs
            elif ref.re is _COUNTRY_PAIR_REF:
                pair = memory.countries
            else:
                pair = memory.last
            if len(pair) >= 2:
                kinds_here = []
                if has_mou:
                    kinds_here.append("MemorandumOfUnderstanding")
                if has_jv:
                    kinds_here.append("JointVentureAgreement" if orgs_only(pair) else "Partnership")
                if not kinds_here:
                    kinds_here.append("Partnership")
                for k in kinds_here:
                    found.append(Found(k, pair, ref.start(), ref.end(), 0.6, explicit=False))
    else:
        # "the two companies", mentioned in a sentence with no trigger, still tells who is being talked about
        pass
    return found
