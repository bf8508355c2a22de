"""Any text at all: never a crash, offsets always inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import Lexicon, extract
from kg.extract.model import FINE_TO_COARSE, Extraction

WORDS = st.sampled_from(
    [
        "Vega Systems",
        "Greece",
        "Turkish",
        "drone",
        "F-16",
        "CEO",
        "Maria Olsen",
        "signed",
        "MoU",
        "joint venture",
        "acquisition of",
        "between",
        "and",
        "'s",
        ",",
        ".",
        "\n",
        "(VS)",
        "$5 billion",
        "in June 2025",
        "7 Comments",
        "the two companies",
        "I think",
        "we",
        "President",
        "head of the",
        "Ministry of Defence",
        "programme",
    ]
)


def check(x: Extraction, text: str) -> None:
    assert 0 <= x.body_end <= len(text)
    facts = [*x.relations, *x.positions, *x.agreements]
    for f in facts:
        ev = f.evidence
        assert 0 <= ev.start <= ev.end <= len(text)
        assert text[ev.start : ev.end] == ev.sentence
        assert 0.0 <= ev.confidence <= 1.0
    for e in x.entities:
        assert e.kind in FINE_TO_COARSE
    for a in x.agreements:
        assert len(set(a.parties)) >= 2


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_unicode(open_lexicon: Lexicon, text: str) -> None:
    check(extract(text, lexicon=open_lexicon), text)


@_SETTINGS
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_shuffled_domain_words(open_lexicon: Lexicon, text: str) -> None:
    check(extract(text, lexicon=open_lexicon), text)


@_SETTINGS
@given(st.binary(max_size=600))
def test_binary_looking_bytes(open_lexicon: Lexicon, data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    check(extract(text, lexicon=open_lexicon), text)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=10_000, max_value=60_000), st.sampled_from(["Vega ", "x", "Greece signed ", "🙂", " "]))
def test_very_long_lines(open_lexicon: Lexicon, n: int, unit: str) -> None:
    text = unit * (n // len(unit))
    check(extract(text, lexicon=open_lexicon), text)


@_SETTINGS
@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Zs", "Po", "Pd", "Nd"]), max_size=300))
def test_capitalised_noise(open_lexicon: Lexicon, text: str) -> None:
    check(extract(text, lexicon=open_lexicon), text)
