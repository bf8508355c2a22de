from __future__ import annotations

from kg.extract.comments import find_body_end

BODY = (
    "Norland has ordered 12 Falcon X drones from Vega Systems, the company said on Monday.\n"
    "Vega Systems chief executive Maria Olsen said deliveries would start in 2026.\n"
    "The deal is worth $300 million and includes training.\n"
)


def test_marker_line_ends_the_body(read) -> None:  # type: ignore[no-untyped-def]
    text = (
        BODY
        + "12 Comments\nJohn Carter\nGreat news, I think this is a smart buy.\nLisa Park\nWe should buy them too!\n"
    )
    x = read(text)
    assert x.body_end == len(BODY)
    people = {e.name for e in x.entities if e.kind == "Person"}
    assert people == {"Maria Olsen"}


def test_chatty_tail_without_marker_is_comments(read) -> None:  # type: ignore[no-untyped-def]
    tail = (
        "I think we should have bought these years ago, honestly.\n"
        "You are right, but our government never listens to us.\n"
        "IMO the Falcon is overrated, I wouldn't buy it.\n"
        "Thanks for the article, I agree with you.\n"
    )
    text = BODY + tail
    assert find_body_end(text) == len(BODY)
    assert read(text).body_end == len(BODY)


def test_quoted_first_person_is_not_a_comment() -> None:
    text = (
        "Vega Systems signed a deal with Norland.\n"
        "“We are proud of this partnership,” said Maria Olsen.\n"
        "“Our teams will work together,” she added.\n"
        "The contract runs to 2030.\n"
    )
    assert find_body_end(text) == len(text)


def test_no_comments() -> None:
    assert find_body_end(BODY) == len(BODY)
    assert find_body_end("") == 0


def test_comment_markers() -> None:
    for marker in ("7 Comments", "1 Comment", "Comments (3)", "Leave a Reply", "Reader comments"):
        text = BODY + marker + "\nAnna\nNice.\n"
        assert find_body_end(text) == len(BODY), marker
