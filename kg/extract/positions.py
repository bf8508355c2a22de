"""Posts: the patterns of ``positions.yaml`` tie a person, a title and an organisation (or a country).

The roles ``holder`` and ``org`` are constrained to the ranges of ``dk:holder`` and
``dk:organization`` in the ontology. A person matched by several patterns keeps the posts of
the patterns that name an organisation; a pattern with ``org: fallback`` is used only when
none does (see ``positions.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Span, Token

from kg.extract.attributes import POSSESSIVE, based_after
from kg.extract.cues import Cues
from kg.extract.matching import RuleMatcher
from kg.extract.model import Position
from kg.extract.relations import Context, class_constraint
from kg.extract.resolution import Entity, kind_of
from kg.extract.rulebook import Rulebook


@dataclass
class _Candidate:
    holder: Entity
    org: Entity
    title: str
    sent: Span
    confidence: float
    explicit: bool
    rule: str


class PositionFinder:
    def __init__(self, nlp: Language, book: Rulebook, cues: Cues) -> None:
        onto = book.ontology
        constraints = {
            "holder": class_constraint(onto.ranges["holder"]),
            "org": class_constraint(onto.ranges["organization"]),
        }
        self.cues = cues
        self.people = onto.ranges["holder"]
        self.matcher = RuleMatcher(nlp.vocab, book.positions["rules"], constraints)

    def find(self, ctx: Context) -> list[Position]:
        found: dict[tuple[int, int], list[_Candidate]] = {}  # (holder token, sentence start) -> candidates
        people = [s for s in ctx.doc.sents if any(t._.named and t._.cls in self.people for t in s)]
        for rule, binding in self.matcher(ctx.doc, people):
            holder_tok = binding.get("holder")
            if holder_tok is None or (holder := ctx.entity(holder_tok)) is None:
                continue
            sent = holder_tok.sent
            title = _title(binding, holder_tok, rule.options)
            org = None
            explicit = "org" in binding
            if explicit:
                where = binding["org"]
                if where._.cls == "Country" and where.i > 0 and where.doc[where.i - 1].text in POSSESSIVE:
                    continue  # "Vexa's Australian manager", "Vexa's UK director": the possessor's post, for a country
                org = ctx.entity(_unit(where))
            elif rule.options.get("org") == "fallback":
                org = self._fallback(ctx, binding, sent)
            if org is None or org.index == holder.index or kind_of(org.cls, ctx.onto) == "Person":
                continue
            found.setdefault((holder_tok.i, sent.start), []).append(
                _Candidate(holder, org, title, sent, rule.confidence, explicit, rule.key)
            )
        out = []
        first: dict[int, int] = {}  # holder -> the organisation of their first post in the article
        for cands in sorted(found.values(), key=lambda cs: cs[0].sent.start):
            best = [c for c in cands if c.explicit] or cands
            for c in best:
                if not c.explicit and first.get(c.holder.index, c.org.index) != c.org.index:
                    continue  # a post guessed from the sentence that contradicts the one the article gave first
                first.setdefault(c.holder.index, c.org.index)
                out.append(
                    Position(ctx.ref(c.holder), ctx.ref(c.org), c.title, ctx.evidence(c.sent, c.confidence, c.rule))
                )
        return out

    def _fallback(self, ctx: Context, binding: dict[str, Token], sent: Span) -> Entity | None:
        """A state title's country, or the organisation the sentence names, when the pattern names none."""
        title = binding.get("title")
        taken = {e.index for t in binding.values() if (e := ctx.entity(t)) is not None}
        if title is not None and title._.state_title:
            return ctx.sentence_country(sent, taken) or ctx.document_country()
        for tok in sent:
            e = ctx.entity(tok)
            if e is not None and e.index not in taken and kind_of(e.cls, ctx.onto) in ("Company", "GovernmentBody"):
                return e
        return None


def _unit(tok: Token) -> Token:
    """The organisation a post is at, from the name the pattern bound.

    "head of Norcom's Skyworks division": the unit the possessive introduces; "president of Poland-based
    manufacturer Zorya Mielec", "director of France's procurement agency, the DGA": the name the phrase is
    about, when the bound name only says where it is from (and a name follows within the phrase).
    """
    doc = tok.doc
    k = tok.i + 1
    while k < len(doc) and tok._.entity is not None and doc[k]._.entity == tok._.entity:
        k += 1
    if k + 1 < len(doc) and doc[k].text in POSSESSIVE and doc[k + 1]._.entity is not None:
        nxt = doc[k + 1]
        if nxt._.cls and nxt._.cls not in ("Person", "Country"):  # ("Vexa's UK manager": Vexa's)
            return nxt
    based = based_after(doc[k - 1])
    if based or (k < len(doc) and doc[k].text in POSSESSIVE):
        for t in doc[k + (2 if based else 1) : k + 8]:
            if t._.entity is not None:
                named = t._.cls and t._.cls != "Person"
                # after a possessive, only the name in apposition to the phrase ("France's agency, the DGA")
                apposed = based or any(x.dep_ == "appos" for x in (t, t.head))
                return t if named and apposed else tok
            if t.pos_ == "ADP" or not (t.is_punct or t.is_lower or t.pos_ == "DET"):
                break  # ("CEO of Norcom's defence division in the United States": the phrase ends at "in")
    return tok


def _title(binding: dict[str, Token], holder: Token, options: dict[str, object]) -> str:
    tok = binding.get("title")
    if tok is None and isinstance(options.get("title"), str) and options["title"] != "previous":
        return str(options["title"])  # the rule names it: "founded by" makes a founder
    if tok is None and options.get("title") == "previous":
        before = [t for t in holder.sent if t.i < holder.i and t._.title]
        tok = before[-1] if before else None
    return " ".join(tok.text.split()) if tok is not None else ""
