"""Just enough SPARQL lexing for policy: query form, SERVICE and LOAD targets, USING.

A real tokenizer (strings, comments and IRIs are single tokens), so ``"SERVICE"`` in a
literal, ``# SERVICE`` in a comment or ``ex:service`` never count, and
``sErViCe`` does. Parsing proper is left to pyoxigraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin

# Every alternative either matches or fails within the run it would consume, and the
# string forms always match (an unterminated string runs to the end of its line or of
# the text), so a scan is linear in the input: no crafted body makes it quadratic.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<string>'''(?:[^'\\]|\\(?:.|\Z)|'(?!''))*(?:'''|\Z)
               |\"\"\"(?:[^"\\]|\\(?:.|\Z)|"(?!""))*(?:\"\"\"|\Z)
               |'(?:[^'\\\n\r]|\\(?:[^\n\r]|\Z))*(?:'|(?=[\n\r])|\Z)
               |"(?:[^"\\\n\r]|\\(?:[^\n\r]|\Z))*(?:"|(?=[\n\r])|\Z))
  | (?P<var>[?$][\w\u00B7-\uFFFF]+)
  | (?P<bnode>_:[\w.\-\u00B7-\uFFFF]+)
  | (?P<name>(?:[^\W\d][\w.\-\u00B7-\uFFFF]*)?:(?:[\w:%.\-\u00B7-\uFFFF]|\\.)*
             |[^\W\d][\w\-\u00B7-\uFFFF]*)
  | (?P<number>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
  | (?P<punct>\^\^|&&|\|\||[<>!]=|.)
    """,
    re.VERBOSE | re.DOTALL,
)

# The engine's parser matches keywords as letters, with no word boundary: it reads
# "SERVICEp:x" as SERVICE p:x, "LOADSILENT<…>" as LOAD SILENT <…> and
# "?o trueSERVICE <…>" as ?o true SERVICE <…>. So a name whose prefix part holds one of
# these keywords is split there, and the pieces are checked like written keywords.
_GLUED = re.compile(r"SERVICE|LOAD|SILENT", re.IGNORECASE)
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")
_PREFIX_OPERATORS = frozenset(["!", "^", "^^", "-", "+"])


_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)


def could_name_service(text: str) -> bool:
    """Whether ``text`` holds the letters of SERVICE anywhere (in any case): where it does
    not, no token of it can be the keyword, so no lexing is needed to rule SERVICE out.

    >>> could_name_service("SELECT * WHERE { ?s ?p ?o }"), could_name_service('ASK { ?s ?p "Service" }')
    (False, True)
    """
    return _SERVICE_LETTERS.search(text) is not None


class Token(NamedTuple):
    """A token (a named tuple: a query holds hundreds, made for every request)."""

    kind: str  # iri, string, var, bnode, name, number, punct
    text: str
    start: int
    glued: bool = False  # split off a longer name (see _GLUED)

    def keyword(self, *words: str) -> bool:
        return self.kind == "name" and ":" not in self.text and self.text.upper() in words


def tokenize(text: str) -> list[Token]:
    """Tokens of a query or update, without whitespace and comments.

    >>> [t.text for t in tokenize('ASK { ?s <p> "SERVICE" } # SERVICE')]
    ['ASK', '{', '?s', '<p>', '"SERVICE"', '}']
    >>> [t.text for t in tokenize('SELECT * { ?o trueSERVICEp:x {} }')][4:8]
    ['true', 'SERVICE', 'p:x', '{']
    """
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "ws" or kind == "comment":  # noqa: PLR1714 (faster than a tuple's `in`)
            continue
        if kind == "name":
            tokens.extend(_split_glued(m.group(), m.start()))
        else:
            tokens.append(Token(kind, m.group(), m.start()))
    return tokens


def _split_glued(word: str, start: int) -> list[Token]:
    """``word`` as the engine may read it: keywords in its prefix part split off."""
    head = word.split(":", 1)[0]
    if _GLUED.search(head) is None:  # (most names)
        return [Token("name", word, start)]
    cuts = sorted({m.start() for m in _GLUED.finditer(head)} | {m.end() for m in _GLUED.finditer(head)})
    cuts = [c for c in cuts if 0 < c < len(word)]
    if not cuts:
        return [Token("name", word, start)]
    pieces = [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
    out: list[Token] = []
    at = start
    for piece in pieces:
        out.append(Token("name", piece, at, glued=True))
        at += len(piece)
    return out


class TooComplex(ValueError):
    """A request nested deeper than the limit (refused before any parser recursion)."""


def check_depth(tokens: Sequence[Token], limit: int) -> None:
    """Refuse brackets nested more than ``limit`` deep, and runs of more than ``limit``
    prefix operators (``!!!…``, ``^^^…``): the engine's parser recurses on both.

    >>> check_depth(tokenize("ASK { { FILTER(!!true) } }"), 3)
    >>> try:
    ...     check_depth(tokenize("ASK " + "{" * 5 + "}" * 5), 4)
    ... except TooComplex as e:
    ...     print(e)
    the request nests brackets 5 levels deep; the limit is 4
    """
    depth = deepest = run = longest = 0
    for t in tokens:
        if t.kind != "punct":
            run = 0
            continue
        if t.text in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif t.text in _CLOSE:
            depth = max(0, depth - 1)
        run = run + len(t.text) if t.text in _PREFIX_OPERATORS else 0
        longest = max(longest, run)
    if deepest > limit:
        raise TooComplex(f"the request nests brackets {deepest} levels deep; the limit is {limit}")
    if longest > limit:
        raise TooComplex(f"the request chains {longest} prefix operators; the limit is {limit}")


class Prologue:
    """PREFIX and BASE declarations seen so far, to resolve IRIs after them."""

    def __init__(self) -> None:
        self.base: str | None = None
        self.prefixes: dict[str, str] = {}

    def read(self, tokens: Sequence[Token], i: int) -> int:
        """Consume a declaration at ``i`` if there is one; returns the next index."""
        t = tokens[i]
        if t.keyword("BASE") and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            self.base = self.resolve(tokens[i + 1])
            return i + 2
        if t.keyword("PREFIX") and i + 2 < len(tokens) and tokens[i + 1].kind == "name" and tokens[i + 2].kind == "iri":
            self.prefixes[tokens[i + 1].text.rstrip(":")] = self.resolve(tokens[i + 2]) or ""
            return i + 3
        return i

    def resolve(self, t: Token) -> str | None:
        """The absolute IRI of an IRI or prefixed-name token; None when it is not one or is relative."""
        if t.kind == "iri":
            iri = _unescape(t.text[1:-1])
            if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
                return iri
            return urljoin(self.base, iri) if self.base else None
        if t.kind == "name" and ":" in t.text:
            prefix, _, local = t.text.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local.rstrip("."))
        return None


def prologue_end(text: str) -> int:
    """The offset just after the update's or query's leading PREFIX/BASE declarations
    (0 when there are none)."""
    tokens = tokenize(text)
    prologue = Prologue()
    i = 0
    while i < len(tokens) and (j := prologue.read(tokens, i)) != i:
        i = j
    return tokens[i - 1].start + len(tokens[i - 1].text) if i else 0


def _unescape(iri: str) -> str:
    """IRIs may spell characters as ``\\uXXXX``/``\\UXXXXXXXX``; the engine decodes them, so do we."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (the first such keyword), else None."""
    return query_form_of(tokenize(text))


def query_form_of(tokens: Sequence[Token]) -> str | None:
    for t in tokens:
        if t.keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return t.text.upper()
    return None


@dataclass(frozen=True)
class Target:
    """The IRI after a SERVICE or LOAD keyword (None: a variable or unresolvable name)."""

    keyword: str
    iri: str | None
    written: str


def targets(text: str, keyword: str) -> Iterator[Target]:
    """Every ``keyword [SILENT] <target>`` in ``text`` (keyword: SERVICE or LOAD).

    A keyword split off a longer name counts where the engine would read it as one:
    SERVICE before a group (``SERVICEp:x {``), LOAD before INTO, ``;`` or the end.
    """
    return targets_in(tokenize(text), keyword)


def targets_in(tokens: Sequence[Token], keyword: str) -> Iterator[Target]:
    prologue = Prologue()
    i = 0
    while i < len(tokens):
        j = prologue.read(tokens, i)
        if j != i:
            i = j
            continue
        if tokens[i].keyword(keyword):
            k = i + 1
            if k < len(tokens) and tokens[k].keyword("SILENT"):
                k += 1
            if k >= len(tokens):
                yield Target(keyword, None, "")
            elif not tokens[i].glued or _clause_follows(tokens, k + 1, keyword):
                yield Target(keyword, prologue.resolve(tokens[k]), tokens[k].text)
        i += 1


def _clause_follows(tokens: Sequence[Token], after: int, keyword: str) -> bool:
    if after >= len(tokens):
        return keyword == "LOAD"
    nxt = tokens[after]
    if keyword == "SERVICE":
        return nxt.text == "{"
    return nxt.text == ";" or nxt.keyword("INTO")


def split_operations(tokens: Sequence[Token]) -> list[list[Token]]:
    """An update request's operations (split on ``;`` outside braces)."""
    ops: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        if t.text == "{":
            depth += 1
        elif t.text == "}":
            depth -= 1
        if t.text == ";" and depth == 0 and t.kind == "punct":
            ops.append([])
        else:
            ops[-1].append(t)
    return [op for op in ops if op]


class DatasetConflict(ValueError):
    pass


class BadIri(ValueError):
    pass


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_term(value: str) -> str:
    """A protocol parameter as an IRI term (``<…>``), refused unless it is one absolute IRI.

    >>> iri_term("http://example.org/g")
    '<http://example.org/g>'
    >>> try:
    ...     iri_term("http://a> WHERE {} ; LOAD <http://b")
    ... except BadIri as e:
    ...     print(e)
    not an absolute IRI: 'http://a> WHERE {} ; LOAD <http://b'
    """
    if _IRI_FORBIDDEN.search(value) or not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", value):
        raise BadIri(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


def add_using(text: str, default: Sequence[str], named: Sequence[str]) -> str:
    """Apply the protocol's ``using-graph-uri``/``using-named-graph-uri`` to an update.

    Each DELETE/INSERT ... WHERE operation gets ``USING``/``USING NAMED`` clauses before
    its WHERE. An operation with its own USING or WITH conflicts with them (the
    protocol says to refuse): :class:`DatasetConflict`.
    """
    if not default and not named:
        return text
    clauses = " ".join([f"USING {iri_term(g)}" for g in default] + [f"USING NAMED {iri_term(g)}" for g in named]) + " "
    inserts: list[int] = []
    for op in split_operations(tokenize(text)):
        prologue = Prologue()
        i = 0
        while i < len(op) and (j := prologue.read(op, i)) != i:
            i = j
        body = op[i:]
        if not body:
            continue
        first = body[0]
        second = body[1] if len(body) > 1 else None
        is_modify = first.keyword("WITH") or (
            first.keyword("INSERT", "DELETE") and not (second and second.keyword("DATA", "WHERE"))
        )
        if not is_modify:
            continue
        if first.keyword("WITH") or any(t.keyword("USING") for t in body):
            raise DatasetConflict(
                "the update names its dataset (USING or WITH) and the request has "
                "using-graph-uri/using-named-graph-uri: use one or the other"
            )
        depth = 0
        for t in body:
            if t.text == "{":
                depth += 1
            elif t.text == "}":
                depth -= 1
            elif depth == 0 and t.keyword("WHERE"):
                inserts.append(t.start)
                break
    for pos in sorted(inserts, reverse=True):
        text = text[:pos] + clauses + text[pos:]
    return text


# Names a server may resolve that SPARQL 1.1 has no use for: Virtuoso reads "bif:" and
# "sql:" IRIs as calls of its SQL built-ins (files, the network, the database itself),
# predeclares prefixes such as bif:, and takes DEFINE pragmas before a query.
_ENGINE_SCHEMES = ("bif:", "sql:")


def check_portable(tokens: Sequence[Token]) -> None:
    """Refuse what a standard SPARQL 1.1 parser refuses but a remote server's own dialect may
    run: a prefixed name whose prefix the request does not declare, an IRI in a server's
    built-in namespace (``bif:``, ``sql:``), a ``DEFINE`` pragma. Raises ValueError.

    >>> check_portable(tokenize('PREFIX dk: <https://w3id.org/defence-kg/ontology#> ASK { ?s a dk:Firm }'))
    >>> check_portable(tokenize('SELECT (bif:file_to_string("/etc/passwd") AS ?x) {}'))
    Traceback (most recent call last):
    ...
    ValueError: undeclared prefix 'bif:' (declare it with PREFIX)
    """
    declared: set[str] = set()
    for i, t in enumerate(tokens):
        if t.keyword("DEFINE"):
            raise ValueError("DEFINE is not SPARQL 1.1: server pragmas are refused")
        if t.kind == "iri" and t.text[1:].lower().startswith(_ENGINE_SCHEMES):
            raise ValueError(f"the IRI {t.text} names a server built-in: refused")
        if t.kind != "name" or ":" not in t.text:
            continue
        prefix = t.text.split(":", 1)[0] + ":"
        if i > 0 and tokens[i - 1].keyword("PREFIX"):
            declared.add(prefix)  # a declared bif: is checked through the IRI it names
            continue
        if prefix not in declared:
            raise ValueError(f"undeclared prefix {prefix!r} (declare it with PREFIX)")
