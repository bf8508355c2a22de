"""Where the article body ends and reader comments begin.

Two cues: an explicit marker line ("7 Comments", "Leave a Reply", "Comments (12)"),
or, with no marker, a final run of paragraphs that read like comments: first and
second person outside quotation marks, opinion markers ("I think", "IMO"), and
no third-person reporting verbs.
"""

from __future__ import annotations

import re

_MARKER = re.compile(
    r"^[ \t]*(?:\d+\s+(?:[Cc]omments?|[Rr]esponses?|[Rr]eplies|[Rr]eactions|[Tt]houghts on\b.*)|"
    r"(?:[Rr]eader |[Uu]ser )?[Cc]omments?(?:\s*\(\d+\))?:?|[Ll]eave a [Rr]eply|[Jj]oin the (?:discussion|conversation)|"
    r"[Rr]esponses to .*|[Dd]iscussion(?:\s*\(\d+\))?)[ \t]*$",
    re.MULTILINE,
)
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_FIRST_SECOND = re.compile(
    r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|[Mm]e|[Mm]y|[Mm]ine|[Ww]e|[Ww]e're|[Ww]e’re|[Ww]e've|[Ww]e’ve|"
    r"[Ww]e'd|[Ww]e’d|us|[Oo]ur|[Oo]urs|[Yy]ou|[Yy]our|[Yy]ou're|[Yy]ou’re)\b"
)
_OPINION = re.compile(
    r"\b(?:I think|I doubt|I suspect|I wish|I tend|IMO|IMHO|lol|tbh|Hopefully|To be honest|Good luck|"
    r"Great article|thank you|thanks for|agree with you|you remember)\b|[🙄😂👍🤣!?]{1}",
)
_REPORTING = re.compile(
    r"\b(?:said|says|stated|announced|reported|according to|told|confirmed|added|noted|explained|"
    r"emphasi[sz]ed|highlighted|unveiled|signed)\b"
)
_I_LOWER = re.compile(r"(?<![\w'’])i(?![\w'’])")


def _comment_like(paragraph: str) -> bool:
    if paragraph.lstrip().startswith(("“", '"', "-", "•")):
        return False
    bare = _QUOTED.sub(" ", paragraph)
    persons = len(_FIRST_SECOND.findall(bare)) + len(_I_LOWER.findall(bare))
    opinion = len(_OPINION.findall(bare))
    reporting = len(_REPORTING.findall(bare))
    words = max(1, len(bare.split()))
    score = persons + 2 * opinion - 2 * reporting
    return score >= 2 or (score >= 1 and words < 40)


def find_body_end(text: str) -> int:
    """Offset where reader comments begin, or ``len(text)`` when there are none.

    >>> find_body_end("Body text.\\n3 Comments\\nAnn\\nNice.")
    11
    """
    marker = _MARKER.search(text)
    if marker:
        return marker.start()
    # paragraphs with their offsets
    paras: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paras.append((pos, line))
        pos += len(line) + 1
    if len(paras) < 4:
        return len(text)
    flags = [_comment_like(p) for _, p in paras]
    # the earliest comment-like paragraph after which most paragraphs are comment-like too;
    # never in the first third of the text, so a chatty lead is not taken for comments
    n = len(paras)
    if sum(flags[-3:]) == 0:
        return len(text)  # the page ends in reporting: a chatty block inside it is a promotion, not comments
    for i in range(max(2, n // 3), n - 1):
        if not flags[i]:
            continue
        rest = flags[i:]
        if len(rest) >= 3 and sum(rest) / len(rest) >= 0.4 and sum(rest[:3]) >= 2:
            return paras[i][0]
    return len(text)
