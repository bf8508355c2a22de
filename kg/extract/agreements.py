"""Agreements: triggers from ``agreements/<Kind>.yaml``, parties from ``agreements/parties.yaml``.

1. Triggers: every name, noun and verb of an agreement file marks its head token with
   ``_.trigger`` (noun, buy, sell, win, award, partner) and ``_.agreement`` (the class it names).
2. The patterns of ``parties.yaml`` bind parties, buyers, sellers and subjects to triggers; every
   binding of one trigger is one *report* of an agreement.
3. A report's kind: what the text calls it (``names``); else its purpose ("a letter of intent to
   buy", "an agreement to create a joint venture", see each file's ``purposes``); else the
   noun's or verb's own kind. Buying a company is an acquisition (``Acquisition.yaml``
   ``object_classes``), buying anything else a procurement.
4. A report's status, date and value come from its own sentence.
5. Reports of one document with the same parties are one agreement; a procurement whose seller
   the sentence does not name is bought from the aircraft's maker; a procurement with several
   sellers is one agreement per seller; single-party reports of the same contract meet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.extract.attributes import POSSESSIVE
from kg.extract.cues import Cues
from kg.extract.matching import RuleMatcher, conjuncts
from kg.extract.model import Agreement, Money, Position, Ref, Relation
from kg.extract.relations import Context, class_constraint
from kg.extract.resolution import Entity, kind_of
from kg.extract.rulebook import Rulebook
from kg.extract.values import iter_money, resolve_date

PARTY_ROLES = ("party", "buyer", "seller")
# How sure a report is of its kind: named by the text > given by its purpose > its word's own kind.
_NAMED, _PURPOSE, _WORD = 3, 2, 1


@dataclass
class Report:
    """One sentence's account of an agreement."""

    kind: str
    strength: int
    sent: Span
    trigger: Token
    confidence: float
    rules: list[str] = field(default_factory=list)
    roles: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))

    def add(self, role: str, ent: Entity) -> None:
        if ent not in self.roles[role]:
            self.roles[role].append(ent)

    def parties(self) -> list[Entity]:
        out: list[Entity] = []
        for role in (*PARTY_ROLES, "acquiredOrganization"):
            for e in self.roles.get(role, []):
                if e not in out:
                    out.append(e)
        return out


_SALE_NOUNS = frozenset(
    {"sale", "sales", "purchase", "purchases", "acquisition", "order", "orders", "delivery", "supply"}
)

SURE_MAKER = 0.7
"""The confidence from which a manufacturer fact names the seller of a procurement that names none."""


class AgreementFinder:
    def __init__(self, nlp: Language, book: Rulebook, cues: Cues) -> None:
        onto = book.ontology
        self.cues = cues
        self.onto = onto
        self.kinds = book.agreements
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrase_info: dict[int, tuple[str, int]] = {}
        self.verbs: dict[str, tuple[str, str]] = {}  # lemma -> (trigger type, kind)
        self.purposes: dict[str, str] = {}  # lemma or phrase -> kind
        for kind, spec in sorted(self.kinds.items(), key=lambda kv: kv[0] != "Partnership"):
            for strength, field_name in ((_NAMED, "names"), (_WORD, "nouns")):
                for phrase in spec.get(field_name, []) or []:
                    key = f"{kind}\t{strength}"
                    mid = nlp.vocab.strings.add(key)
                    self.phrase_info[mid] = (kind, strength)
                    self.phrases.add(key, [nlp.make_doc(str(phrase))])
            for trigger, field_name in (
                ("buy", "buy_verbs"),
                ("sell", "sell_verbs"),
                ("win", "win_verbs"),
                ("award", "award_verbs"),
                ("partner", "verbs"),
            ):
                for lemma in spec.get(field_name, []) or []:
                    self.verbs[str(lemma).lower()] = ("partner" if kind == "Partnership" else trigger, kind)
        # purposes: the most specific kinds first (a joint venture outranks the generic partnership)
        for kind in ("JointVentureAgreement", "Acquisition", "Procurement", "MemorandumOfUnderstanding", "Partnership"):
            for word in self.kinds.get(kind, {}).get("purposes") or []:
                self.purposes.setdefault(str(word).lower(), kind)
        acq = self.kinds.get("Acquisition", {})
        self.choose_verbs = frozenset(
            str(w).lower() for w in self.kinds.get("Procurement", {}).get("choose_verbs") or []
        )
        self.stake_nouns = frozenset(str(w).lower() for w in book.agreements_meta.get("stake_nouns") or [])
        # what changes hands in an acquisition when the sentence does not name it: a stake, or a firm's unit
        self.held_nouns = self.stake_nouns | {str(w).lower() for w in book.lexicon.get("unit_nouns") or []}
        self.company_classes = frozenset(
            c for name in acq.get("object_classes", []) or [] for c in onto.sub_classes.get(str(name), {str(name)})
        )
        generic = self.kinds.get("Partnership", {}).get("generic_nouns", []) or []
        self.generic_nouns = frozenset(str(w).lower() for w in generic)
        supply = self.kinds.get("Procurement", {}).get("supply_nouns", []) or []
        self.supply_nouns = frozenset(str(w).lower() for w in supply)
        self.containers = frozenset(str(w).lower() for w in book.agreements_meta.get("containers") or [])
        self.statuses: list[tuple[str, frozenset[str]]] = [
            (status, frozenset(str(w).lower() for w in words))
            for status, words in (book.agreements_meta.get("statuses") or {}).items()
        ]
        party_classes = onto.ranges["party"] | onto.sub_classes.get("Person", frozenset({"Person"}))
        constraints = {role: class_constraint(party_classes) for role in PARTY_ROLES} | {
            "subject": class_constraint(onto.ranges["subject"] | self.company_classes),
            "venture": class_constraint(onto.ranges["jointVenture"]),
        }
        self.matcher = RuleMatcher(nlp.vocab, book.parties, constraints)

    # --- 1. triggers -------------------------------------------------------------------------------

    def _mark_triggers(self, doc: Doc) -> dict[int, int]:
        """Mark trigger heads; return each trigger's strength (how surely its word names its kind)."""
        strengths: dict[int, int] = {}
        spans = []
        for mid, start, end in self.phrases(doc):
            spans.append((end - start, start, end, self.phrase_info[mid]))
        taken = [False] * len(doc)
        for _, start, end, (kind, strength) in sorted(spans, key=lambda x: (-x[0], x[1])):
            if any(taken[start:end]) or any(t._.named for t in doc[start:end]):
                continue
            if end - start == 1 and doc[start].pos_ in ("VERB", "AUX"):
                continue  # "Indonesia orders jets": the verb, not the noun "orders" (see the verbs below)
            for i in range(start, end):
                taken[i] = True
            head = doc[start:end].root
            for t in doc[start:end]:  # "a memorandum of understanding with X": any word of it takes the parties
                t._.trigger = "noun"
                t._.agreement = kind
                self._head[t.i] = head.i
            strengths[head.i] = strength
        for tok in doc:
            if tok.pos_ == "VERB" and tok._.trigger is None:
                hit = self.verbs.get(tok.lemma_.lower())
                if hit is None:
                    continue
                if hit[0] == "sell" and tok.tag_ in ("VBZ", "VBP") and not any(c.dep_ == "aux" for c in tok.children):
                    continue  # "Aselsan supplies sensors to Baykar": a standing supply, not a deal
                if hit[0] == "sell" and not any(
                    c.dep_ in ("dobj", "dative", "nsubjpass") or (c.dep_ == "prep" and c.lower_ in ("to", "for"))
                    for c in tok.children
                ):
                    continue  # "it can deliver": a sale names what is sold or to whom
                tok._.trigger = hit[0]
                tok._.agreement = hit[1]
                self._head[tok.i] = tok.i
                strengths[tok.i] = _WORD
        for tok in doc:  # "the first set of contracts", "a batch of orders": the container stands for the deal
            if tok.lower_ in self.containers and tok._.trigger is None:
                for g in (g for p in tok.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"):
                    if g._.trigger == "noun":
                        tok._.trigger, tok._.agreement = "noun", g._.agreement
                        self._head[tok.i] = tok.i
                        strengths[tok.i] = strengths.get(self._head.get(g.i, g.i), _WORD)
        return strengths

    # --- 2. reports --------------------------------------------------------------------------------

    def find(
        self,
        ctx: Context,
        *,
        positions: Sequence[Position] = (),
        relations: Sequence[Relation] = (),
    ) -> tuple[list[Agreement], list[Relation]]:
        """The document's agreements, and the supplier facts its procurements of equipment state."""
        doc = ctx.doc
        self._head: dict[int, int] = {}
        strengths = self._mark_triggers(doc)
        posts: dict[str, list[Ref]] = defaultdict(list)
        for p in positions:
            posts[p.holder.name].append(p.organization)
        reports: dict[int, Report] = {}
        spans = [s for s in doc.sents if any(t._.trigger for t in s) and any(t._.named for t in s)]
        for rule, binding in self.matcher(doc, spans):
            trig = binding.get("trigger")
            if trig is None or trig._.agreement is None:
                continue
            trig = doc[self._head.get(trig.i, trig.i)]
            report = reports.get(trig.i)
            if report is None:
                report = reports[trig.i] = Report(trig._.agreement, strengths[trig.i], trig.sent, trig, rule.confidence)
            report.confidence = max(report.confidence, rule.confidence)
            report.rules.append(rule.key)
            for role, tok in binding.items():
                role = role.rstrip("0123456789")
                if role in (*PARTY_ROLES, "subject", "venture"):
                    for e in self._fill(ctx, tok, posts):
                        report.add(role, e)
        for i, kind in ((i, doc[i]._.agreement) for i in strengths):
            if i not in reports and doc[i]._.trigger == "noun":
                reports[i] = Report(kind, strengths[i], doc[i].sent, doc[i], 0.6)
        self._inherit(reports)
        out_reports = [r for r in (self._settle(ctx, r) for r in reports.values()) if r is not None]
        self._with_parties = {r.trigger.i for r in out_reports}
        deals = _without_headline_restatements(ctx, self._merge(ctx, out_reports, relations))
        return deals, self._suppliers(ctx, out_reports, relations)

    def _inherit(self, reports: dict[int, Report]) -> None:
        """An agreement named without parties is the one the sentence, or the one just before, names with them:
        "Baykar's collaboration with Leonardo, which evolved from an MoU into a joint venture", "The MoU ..."."""
        ordered = sorted(reports.values(), key=lambda r: r.trigger.i)
        for r in ordered:
            host = self._content_of(r, reports)
            if host is not None:
                # "signed a letter of intent ... whereby the South American country will purchase 24 F-16s": the
                # purchase is what the letter is about; its buyer and what it buys belong to the letter
                if len(host.parties()) >= 2:
                    roles = ["buyer", "subject"]
                else:
                    roles = ["seller", "subject"]
                    for e in host.parties():
                        host.add("buyer", e)
                for role in roles:
                    for e in r.roles.get(role, []):
                        host.add(role, e)
                del reports[r.trigger.i]
        ordered = sorted(reports.values(), key=lambda r: r.trigger.i)
        inherited: set[int] = set()
        for r in ordered:
            if r.parties():
                continue
            host = None
            node = r.trigger
            while node.head.i != node.i:  # a trigger whose phrase hangs on another trigger
                node = node.head
                if node.i in reports and reports[node.i].parties():
                    host = reports[node.i]
                    break
            if host is None and any(c.lower_ in ("the", "this", "that", "these", "such") for c in r.trigger.children):
                earlier = [
                    o for o in ordered if o.trigger.i < r.trigger.i and o.parties() and r.sent.start - o.sent.end < 120
                ]
                host = earlier[-1] if earlier else None
            if host is not None:
                for role in PARTY_ROLES:
                    for e in host.roles.get(role, []):
                        r.add(role, e)
                r.confidence = min(host.confidence, 0.7)
                r.rules = [*host.rules, "agreements:parties-of-the-agreement-named-before"]
                inherited.add(r.trigger.i)
        for r in ordered:
            if r.trigger.i in inherited:
                continue
            # "Agency X awarded contracts ... The contracts will see Firm Y build ...": a definite report that
            # names one side takes the other from the report of its kind just before
            if not any(c.lower_ in ("the", "this", "that", "these", "such") for c in r.trigger.children):
                continue
            if r.roles.get("buyer") or not r.roles.get("seller"):
                continue  # (a buyer read alone is often a possessive, "the deal ... Turkey's industry": left alone)
            want, have = "buyer", "seller"
            earlier = [
                o
                for o in ordered
                if o.trigger.i < r.trigger.i
                and o.kind == r.kind
                and o.roles.get(want)
                and r.sent.start - o.sent.end < 120
            ]
            if earlier:
                for e in earlier[-1].roles[want]:
                    if e not in r.roles.get(have, []):
                        r.add(want, e)

    @staticmethod
    def _content_of(r: Report, reports: dict[int, Report]) -> Report | None:
        """The agreement a verb of buying or selling spells out, when it hangs on one with two parties."""
        if r.trigger._.trigger not in ("buy", "sell") and not (
            r.trigger._.trigger == "noun" and r.trigger.lower_ in _SALE_NOUNS and r.strength < _NAMED
        ):
            return None  # (a sale or purchase named by a noun under another agreement's phrase is its content too:
            # "signed the contract to formalize the sale of nine C-390s to the Netherlands")
        node = r.trigger
        for _ in range(3):
            if node.head.i == node.i:
                return None
            node = node.head
            host = reports.get(node.i)
            if host is None:
                host = next(
                    (
                        reports[c.i]
                        for c in node.children
                        if c.i in reports
                        and c.i != r.trigger.i
                        and c._.trigger == "noun"
                        and c.dep_ in ("dobj", "nsubjpass")
                    ),
                    None,
                )
            if host is not None and (
                len(host.parties()) >= 2 or (host.parties() and r.roles.get("seller") and not r.roles.get("buyer"))
            ):
                return host  # "X signed a contract to buy jets from Y": the contract's one party buys from Y
        return None

    def _fill(self, ctx: Context, tok: Token, posts: dict[str, list[Ref]]) -> list[Entity]:
        doc = tok.doc
        if tok.i + 2 < len(doc) and doc[tok.i + 1].text in POSSESSIVE and doc[tok.i + 2]._.entity is not None:
            tok = doc[tok.i + 2]  # "ordered Pilatus' PC-9M", parsed with the possessor as the object: the name it owns
        tokens = conjuncts(tok, own_possessors=False)
        if tok._.cls and kind_of(tok._.cls, self.onto) == "Person":
            # "Defense Minister Luis Petri of Argentina and Troels Lund Poulsen of Denmark signed": every
            # person of the signatories' phrase
            tokens += [
                t for t in tok.subtree if t._.cls and kind_of(t._.cls, self.onto) == "Person" and t not in tokens
            ]
        out = []
        for e in (e for t in tokens for e in ctx.entities_of(t)):
            if kind_of(e.cls, self.onto) == "Person":
                # a signatory stands for the organisation (or country) of their post
                for ref in posts.get(ctx.ref(e).name, [])[:1]:
                    org = next((x for x in ctx.entities if ctx.ref(x) == ref), None)
                    if org is not None:
                        out.append(org)
                continue
            out.append(e)
        return out

    def _settle(self, ctx: Context, r: Report) -> Report | None:
        """Decide a report's kind from its words, its purpose and what is bought."""
        if r.strength < _NAMED:
            purpose = self._purpose(r.trigger)
            if purpose is not None and not (r.kind == "MemorandumOfUnderstanding" and purpose == "Partnership"):
                r.kind, r.strength = purpose, _PURPOSE
        if r.kind == "Partnership" and r.strength == _WORD and r.trigger.lemma_.lower() in self.generic_nouns:
            # "landed a major deal with the Royal Air Force": a deal between a firm and a state, with no purpose
            # that says otherwise, is the state buying from the firm
            sides = {kind_of(e.cls, self.onto) for e in r.parties()}
            if len(r.parties()) == 2 and "Company" in sides and sides & {"Country", "GovernmentBody"}:
                r.kind = "Procurement"
        bought = r.roles.get("subject", [])
        companies = [e for e in bought if e.cls in self.company_classes]
        # "sold a minority stake to Equitix", "the sale of a stake", "sold its unit to Ferro": part of a firm
        # changes hands
        held = [c for c in r.trigger.children if c.dep_ in ("dobj", "nsubjpass")]
        held += [g for c in r.trigger.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        stake = r.trigger.lower_ in self.stake_nouns or any(t.lower_ in self.held_nouns for t in held)
        if r.kind in ("Procurement", "Acquisition") and companies and r.trigger.lemma_.lower() in self.choose_verbs:
            # "the Air Force picked Boeing": a firm chosen supplies what is bought; it is not bought
            r.kind = "Procurement"
            for e in companies:
                r.add("seller", e)
        elif r.kind in ("Procurement", "Acquisition") and companies:
            r.kind = "Acquisition"
            for e in companies:
                r.add("acquiredOrganization", e)
        elif stake and r.kind == "Procurement":
            r.kind = "Acquisition"
        elif (
            r.kind == "Acquisition"
            and not companies
            and not stake
            and (bought or r.trigger._.trigger in ("buy", "sell") or self._of_aircraft(r.trigger))
        ):
            r.kind = "Procurement"
        if (
            r.kind == "Acquisition"
            and r.trigger.lower_ in self.stake_nouns
            and not r.roles.get("acquiredOrganization")
            and not r.roles.get("buyer")
            and len(r.parties()) >= 2
        ):
            r.kind = "JointVentureAgreement"  # "X, Y and Z will each hold a 33.3% stake": they share a venture
        r.roles["subject"] = [e for e in bought if e.cls not in self.company_classes]
        if r.kind == "Procurement" and r.roles.get("buyer") and not r.roles.get("seller"):
            # "Vantor signed a contract for the delivery of 28 jets to the Chilean Air Force": the other side sells
            others = [e for e in r.roles.get("party", []) if e not in r.roles["buyer"]]
            if len(others) == 1 and kind_of(others[0].cls, self.onto) == "Company":
                r.add("seller", others[0])
        if r.kind == "Acquisition" and r.roles.get("acquiredOrganization") and not r.roles.get("buyer"):
            # "Baykar's acquisition of Piaggio": the other party is the buyer
            others = [e for e in r.roles.get("party", []) if e not in r.roles["acquiredOrganization"]]
            for e in others[:1]:
                r.add("buyer", e)
        return r if r.parties() else None

    def _of_aircraft(self, trigger: Token) -> bool:
        """ "the acquisition of two aircraft", "the purchase of 12 helicopters": what is bought is aircraft."""
        for obj in (g for p in trigger.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"):
            cls = obj._.cls or self.cues.cue_nouns.items.get((obj.lower_,))
            if cls is not None and self.onto.is_a(cls, "Aircraft"):
                return True
        return False

    def _purpose(self, trigger: Token, depth: int = 0) -> str | None:
        """The kind an agreement's purpose gives it: "to buy", "to create a joint venture", "for the acquisition of"."""
        cands: list[Token] = []
        for c in trigger.children:
            if c.dep_ in ("acl", "relcl", "advcl", "xcomp") and c.pos_ == "VERB":
                cands.append(c)
            if c.dep_ == "prep" and c.lower_ in ("for", "on", "to", "towards"):
                cands.extend(g for g in c.children if g.dep_ == "pobj")
        head = trigger.head
        if trigger.dep_ in ("dobj", "pobj") and head.pos_ in ("VERB", "ADP"):
            verb = head if head.pos_ == "VERB" else head.head
            cands.extend(
                c for c in verb.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and c.i > trigger.i
            )
        if trigger.dep_ == "dobj" and head.pos_ == "VERB":
            # "signed a letter of intent for a potential deal to supply ...": the parser hangs the "for" on the verb
            cands.extend(
                g
                for c in head.children
                if c.dep_ == "prep" and c.lower_ in ("for", "towards", "toward") and c.i > trigger.i
                for g in c.children
                if g.dep_ == "pobj" and g._.trigger == "noun"
            )
        for c in list(cands):
            if c._.trigger == "noun" and c.i != trigger.i and depth < 2:
                # "a letter of intent for a potential deal to supply ...": the deal's purpose is the letter's
                inner = self._purpose(c, depth + 1)
                if inner is not None:
                    return inner
        for c in cands:
            # the object of the purpose first: "to create a new joint venture" is about a joint venture
            for obj in c.children:
                if obj.dep_ in ("dobj", "pobj"):
                    phrase = " ".join(t.lower_ for t in obj.subtree if t.dep_ in ("amod", "compound") and t.i < obj.i)
                    for words in (f"{phrase} {obj.lower_}".strip(), obj.lower_, obj.lemma_.lower()):
                        kind = self.purposes.get(words)
                        if kind == "JointVentureAgreement":
                            return kind
            kind = self.purposes.get(c.lemma_.lower()) or self.purposes.get(c.lower_)
            if kind is not None:
                if kind == "Acquisition":
                    objs = [o for o in c.children if o.dep_ == "dobj" and o._.cls is not None]
                    if not any(o._.cls in self.company_classes for o in objs):
                        kind = "Procurement"
                return kind
        return None

    # --- 5. one document's agreements --------------------------------------------------------------

    def _merge(self, ctx: Context, reports: list[Report], relations: Sequence[Relation]) -> list[Agreement]:
        makers: dict[str, list[Ref]] = defaultdict(list)
        for rel in relations:
            # only a maker the sentence names outright sells what it makes, not one a loose path suggests
            if rel.key == "manufacturer" and rel.evidence.confidence >= SURE_MAKER:
                makers[rel.subject.name].append(rel.object)
        # an aircraft no sentence gives a maker: the maker the reference base knows, when the article names it
        by_key = {e.key: e for e in ctx.entities if e.key}
        for e in ctx.entities:
            known = ctx.names.known.get(e.key or "")
            if known is not None and known.makers and ctx.ref(e).name not in makers:
                makers[ctx.ref(e).name] = [ctx.ref(by_key[k]) for k in sorted(known.makers) if k in by_key]
        by_parties: dict[frozenset[int], list[Report]] = defaultdict(list)
        singles: list[Report] = []
        for r in reports:
            if r.kind == "Procurement":
                self._seller_from_maker(ctx, r, makers)
            for split in self._split(r):
                parties = frozenset(e.index for e in split.parties())
                if len(parties) >= 2:
                    by_parties[parties].append(split)
                else:
                    singles.append(split)
        self._pair_singles(singles, by_parties)
        self._fold_one_sided(by_parties)
        self._fold_subsets(by_parties)
        self._fold_sales(by_parties)
        out = []
        for group in by_parties.values():
            for kind_group in self._kinds(group):
                out.append(self._agreement(ctx, kind_group))
        return out

    @staticmethod
    def _fold_sales(groups: dict[frozenset[int], list[Report]]) -> None:
        """ "Rolls-Royce's sale of a stake in AirTanker to Equitix" is one acquisition, of AirTanker from
        Rolls-Royce: the sale read alone (Rolls-Royce sells to Equitix) is a report of it, not a deal."""

        def sides(r: Report) -> tuple[int, frozenset[int], frozenset[int]]:
            return (
                r.sent.start,
                frozenset(e.index for e in r.roles.get("buyer", [])),
                frozenset(e.index for e in r.roles.get("seller", [])),
            )

        acquired = {
            sides(r)
            for rs in groups.values()
            for r in rs
            if r.kind == "Acquisition" and r.roles.get("acquiredOrganization") and r.roles.get("seller")
        }
        for key in list(groups):
            rs = groups[key]
            if all(
                r.kind == "Acquisition" and not r.roles.get("acquiredOrganization") and sides(r) in acquired for r in rs
            ):
                del groups[key]

    @staticmethod
    def _kinds(group: list[Report]) -> list[list[Report]]:
        """One party set's reports, by the agreements they are: the kind the text is surest of, and besides it
        any agreement the text names outright or that sets up a named company ("evolved from an MoU into a joint
        venture, LBA Systems")."""
        by_kind: dict[str, list[Report]] = defaultdict(list)
        for r in group:
            by_kind[r.kind].append(r)
        primary = max(
            by_kind,
            key=lambda k: (
                max(r.strength for r in by_kind[k]),
                k != "Partnership",
                -min(r.trigger.i for r in by_kind[k]),
            ),
        )
        separate = [
            rs
            for kind, rs in by_kind.items()
            if kind not in (primary, "Partnership") and any(r.roles.get("venture") or r.strength == _NAMED for r in rs)
        ]
        apart = {id(r) for rs in separate for r in rs}
        # the primary agreement takes the parties and subjects of every report but those told apart
        return [[r for r in group if id(r) not in apart], *separate]

    def _seller_from_maker(self, ctx: Context, r: Report, makers: dict[str, list[Ref]]) -> None:
        if r.roles.get("seller") or not r.roles.get("buyer"):
            return
        if any(e not in r.roles["buyer"] for e in r.roles.get("party", [])):
            return  # the other side is named ("Sweden signs with Ukraine"): it is not bought from the maker
        for subject in r.roles.get("subject", []):
            for ref in makers.get(ctx.ref(subject).name, []):
                maker = next((e for e in ctx.entities if ctx.ref(e) == ref), None)
                if maker is not None and maker not in r.roles["buyer"]:
                    r.add("seller", maker)

    def _split(self, r: Report) -> list[Report]:
        """A procurement from several sellers is one agreement per seller."""
        sellers = r.roles.get("seller", [])
        if r.kind != "Procurement" or len(sellers) < 2:
            return [r]
        out = []
        for s in sellers:
            part = Report(r.kind, r.strength, r.sent, r.trigger, r.confidence, list(r.rules))
            for role, ents in r.roles.items():
                for e in ents:
                    if role != "seller" and not (role == "party" and e in sellers):
                        part.add(role, e)
            part.add("seller", s)
            out.append(part)
        return out

    def _pair_singles(self, singles: list[Report], groups: dict[frozenset[int], list[Report]]) -> None:
        """Two one-party reports of one kind of contract, one naming the buyer and one the seller, meet."""
        by_kind: dict[str, list[Report]] = defaultdict(list)
        for r in singles:
            by_kind[r.kind].append(r)
        for kind, rs in by_kind.items():
            if kind != "Procurement":
                continue
            sellers = {e.index: e for r in rs for e in r.roles.get("seller", [])}
            if not sellers:
                # "Peru signed a contract ... The contract was signed on behalf of Norcom": a state buys from a firm
                sellers = {
                    e.index: e
                    for r in rs
                    for e in r.roles.get("party", [])
                    if kind_of(e.cls, self.onto) == "Company" and not r.roles.get("buyer")
                }
                if not any(kind_of(e.cls, self.onto) in ("Country", "GovernmentBody") for r in rs for e in r.parties()):
                    sellers = {}
            buyers = {
                e.index: e
                for r in rs
                for e in r.roles.get("buyer", []) + r.roles.get("party", [])
                if e.index not in sellers
            }
            if len(sellers) == 1 and len(buyers) == 1 and set(sellers) != set(buyers):
                merged = Report(
                    kind,
                    max(r.strength for r in rs),
                    rs[0].sent,
                    rs[0].trigger,
                    min(r.confidence for r in rs),
                    [rule for r in rs for rule in r.rules],
                )
                merged.add("buyer", next(iter(buyers.values())))
                merged.add("seller", next(iter(sellers.values())))
                for r in rs:
                    for e in r.roles.get("subject", []):
                        merged.add("subject", e)
                groups[frozenset((*buyers, *sellers))].append(merged)

    @staticmethod
    def _fold_one_sided(groups: dict[frozenset[int], list[Report]]) -> None:
        """A procurement reported with only its buyers ("a final deal with both nations placing a joint order")
        is the procurement of the same article whose parties include them and name the seller too."""
        for parties in sorted(groups, key=len):
            group = groups.get(parties)
            if not group or any(r.roles.get("seller") for r in group) or all(r.kind != "Procurement" for r in group):
                continue
            if any(e.index not in {b.index for b in r.roles.get("buyer", [])} for r in group for e in r.parties()):
                continue  # only a report whose every party is a buyer is one-sided
            hosts = [
                other
                for other, rs in groups.items()
                if other > parties and any(r.kind == "Procurement" and r.roles.get("seller") for r in rs)
            ]
            if len(hosts) == 1:
                groups[hosts[0]].extend(group)
                del groups[parties]

    @staticmethod
    def _fold_subsets(groups: dict[frozenset[int], list[Report]]) -> None:
        """A joint venture reported with some of its parties ("X and Y said they will be partners in a joint venture"
        before "X, Y and Z will each hold a third") is the one venture of the article whose parties include them
        all. (Not a memorandum: "France and Greece signed an MoU" beside one that adds the Greek ministry that
        signed it is the two states' memorandum, and folding would keep the wrong one.)"""
        venture = "JointVentureAgreement"
        for parties in sorted(groups, key=len):
            group = groups.get(parties)
            if not group or any(r.kind != venture for r in group):
                continue
            hosts = [other for other, rs in groups.items() if other > parties and any(r.kind == venture for r in rs)]
            if len(hosts) == 1:
                groups[hosts[0]].extend(group)
                del groups[parties]

    def _agreement(self, ctx: Context, group: list[Report]) -> Agreement:
        best = max(group, key=lambda r: (r.strength, r.kind != "Partnership", -r.trigger.i))
        if len({r.kind for r in group}) > 1:
            kinds = {r.kind for r in group if r.strength == best.strength}
            best = next(r for r in group if r.kind == best.kind and r.kind in kinds)
        # the report that dates the agreement: the kind's own report with a date, else the first; status and
        # date from the words around its trigger, else from the other reports of the same agreement
        own = [r for r in group if r.kind == best.kind]
        dated = [r for r in own if self._date(r, ctx.published)]
        anchor = dated[0] if dated else own[0]
        ordered = [anchor, *(r for r in own if r is not anchor), *(r for r in group if r.kind != best.kind)]
        status = next((st for r in ordered if (st := self._status(r))), None)
        date = next((d for r in ordered if (d := self._date(r, ctx.published))), None)
        roles: dict[str, list[Entity]] = defaultdict(list)
        for r in group:
            if r.kind != best.kind and r.strength >= best.strength:
                continue
            for role, ents in r.roles.items():
                for e in ents:
                    if e not in roles[role]:
                        roles[role].append(e)
        parties = best.parties()
        for r in group:
            for e in r.parties():
                if e not in parties:
                    parties.append(e)
        if best.kind == "Acquisition" and roles.get("buyer") and roles.get("acquiredOrganization"):
            # "Rolls-Royce agreed the sale of Bergen Engines to Langley Holdings": an acquisition's parties are
            # the buyer and the company bought; the seller is its previous owner
            taken = roles["buyer"] + roles["acquiredOrganization"]
            roles["previousOwner"] = [e for e in roles.pop("seller", []) if e not in taken]
            parties = [e for e in parties if e not in roles["previousOwner"]]
        outside = ("jointVenture", "previousOwner")  # roles whose entity is no party
        role_refs = tuple(
            (role, ctx.ref(e))
            for role in ("buyer", "seller", "acquiredOrganization", "jointVenture", "previousOwner")
            for e in roles.get("venture" if role == "jointVenture" else role, [])
            if (e in parties) != (role in outside) and (role != "jointVenture" or best.kind == "JointVentureAgreement")
        )
        return Agreement(
            kind=best.kind,
            parties=tuple(ctx.ref(e) for e in parties),
            evidence=ctx.evidence(anchor.sent, anchor.confidence, " ".join(dict.fromkeys(anchor.rules))),
            status=status,
            date=date,
            value=_value(anchor.sent),
            subjects=tuple(dict.fromkeys(ctx.ref(e) for e in roles.get("subject", []))),
            roles=role_refs,
        )

    def _status(self, r: Report) -> str | None:
        """The stage the words around the report's trigger give ("an initial MoU signed earlier this year" is
        Signed, though its sentence goes on to a joint venture "established in June")."""
        for tokens in (_local(r.trigger), list(r.sent)):
            tokens = [t for t in tokens if t.ent_type_ not in ("DATE", "TIME")]  # "May 2024" is no "may"
            # lemmas of verbs and nouns only: "a closer relationship" is no "close"
            words = {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens if t.pos_ in ("VERB", "NOUN")}
            text = " ".join(t.lower_ for t in tokens)
            for status, cues in self.statuses:
                if any((" " in c and c in text) or c in words for c in cues):
                    return status
        return None

    def _date(self, r: Report, published: str | None) -> str | None:
        local = {t.i for t in _local(r.trigger)}
        dates = [e for e in r.sent.ents if e.label_ == "DATE"]
        near = [e for e in dates if any(t.i in local for t in e)]
        for ent in near:
            d = resolve_date(ent.text, published)
            if d:
                return d
        # no date by the trigger: the sentence's one date that needs no context ("in December 2024"), unless
        # the sentence speaks of another agreement too (the date may be that one's)
        if any(i != r.trigger.i and r.sent.start <= i < r.sent.end for i in self._with_parties):
            return None
        absolute = {d for e in dates if (d := resolve_date(e.text, None))}
        return absolute.pop() if len(absolute) == 1 else None

    def _suppliers(self, ctx: Context, reports: list[Report], relations: Sequence[Relation] = ()) -> list[Relation]:
        """A procurement of parts or systems: the seller supplies the buyer."""
        out = []
        makes: dict[Ref, set[Ref]] = defaultdict(set)  # maker -> its aircraft, and operator -> the aircraft it flies
        flies: dict[Ref, set[Ref]] = defaultdict(set)
        for rel in relations:
            if rel.key in ("manufacturer", "operator"):
                (makes if rel.key == "manufacturer" else flies)[rel.object].add(rel.subject)
        for r in reports:
            if r.kind != "Procurement" or not r.roles.get("seller") or not r.roles.get("buyer"):
                continue
            if r.roles.get("subject"):
                continue  # a procurement of aircraft: its buyer operates them (implied/), it supplies no parts
            if any(makes[ctx.ref(s)] & flies[ctx.ref(b)] for s in r.roles["seller"] for b in r.roles["buyer"]):
                continue  # the buyer flies the seller's aircraft: "the contract also covers training" is that deal
            words = {t.lower_ for t in r.trigger.subtree if t.i != r.trigger.i}
            head = r.trigger.head
            for c in head.children:  # "awarded a contract to X to supply engines", "the deal sees X build parts"
                if (
                    c.dep_ in ("advcl", "xcomp", "ccomp")
                    and c.i > r.trigger.i
                    or (
                        r.trigger.dep_ == "nsubj" and c.dep_ == "dobj"  # "the order covers engine parts"
                    )
                ):
                    words |= {t.lower_ for t in c.subtree}
            if not words & self.supply_nouns:
                continue
            ev = ctx.evidence(r.sent, min(r.confidence, 0.7), "Procurement.yaml:supply_nouns")
            for s in r.roles["seller"]:
                for b in r.roles["buyer"]:
                    if s.index != b.index:
                        out.append(Relation("supplier", ctx.ref(s), ctx.ref(b), ev))
        return out


def _without_headline_restatements(ctx: Context, deals: list[Agreement]) -> list[Agreement]:
    """Drop a headline's agreement that the body reports with fuller names: "Orvik and Andes sign deal" over a
    body's deal between Orvik and Andes Aero Engines is that deal, not another one."""
    text = ctx.doc.text
    headline_end = len(text) - len(text.lstrip()) + text.strip().find("\n")

    def covers(p: Ref, q: Ref) -> bool:
        return p == q or q.name.startswith(p.name + " ")

    body = [b for b in deals if b.evidence.start > headline_end]
    return [
        d
        for d in deals
        if d.evidence.start > headline_end
        or not any(
            len(b.parties) == len(d.parties)
            and set(b.parties) != set(d.parties)
            and all(any(covers(p, q) for q in b.parties) for p in d.parties)
            for b in body
        )
    ]


def _local(trigger: Token) -> list[Token]:
    """The words that speak of one agreement: its trigger's phrase, the verb it depends on and what hangs on
    that verb, but not another agreement's phrase."""
    doc = trigger.doc
    own = set(trigger.subtree)
    verb = trigger
    for _ in range(3):  # "signed an MoU", "in talks on", "the acquisition of X was completed"
        if verb.head.i == verb.i:
            break
        verb = verb.head
        if verb.pos_ in ("VERB", "AUX"):
            break
    tokens = set(own)
    if verb.i != trigger.i and verb.pos_ in ("VERB", "AUX"):
        tokens.add(verb)
        up = verb
        while up.dep_ in ("xcomp", "ccomp") and up.head.i != up.i:  # "is preparing to sign", "plans to buy"
            up = up.head
            tokens.add(up)
            tokens |= {c for c in up.children if c.dep_ in ("aux", "neg", "advmod")}
        for c in verb.children:
            sub = set(c.subtree)
            if trigger in sub or not any(t._.trigger == "noun" and t.i != trigger.i and t not in own for t in sub):
                tokens |= sub
    phrase = {t for t in own if t._.trigger == "noun" and (t.i == trigger.i or t.head.i == trigger.i)}
    others = [t for t in tokens if t._.trigger == "noun" and t not in phrase and t.head._.trigger != "noun"]
    for o in others:
        tokens -= set(o.subtree) - {trigger}
    return [doc[i] for i in sorted(t.i for t in tokens)]


def _value(sent: Span) -> Money | None:
    found = iter_money(sent.text)
    return found[0][2] if found else None
