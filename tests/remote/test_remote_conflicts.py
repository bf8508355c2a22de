"""A write the remote store refuses because its transaction lost a conflict with another
(SQLSTATE 40001, Virtuoso's SR197 on a new language tag) is sent again; any other refusal
is reported at once."""

from __future__ import annotations

import httpx
import pytest

from kg.config import Remote
from kg.errors import StoreError
from kg.remote import RemoteStore

DEADLOCK = "SPARQL Graph Protocol request failed\nError 40001 SR172: Transaction deadlocked\n"
# Seen in a fresh-clone CI run of the seeds build, two concurrent PUTs bringing the same new language tag.
NEW_TAG = "SPARQL Graph Protocol request failed\nError 23000 SR197: Non unique primary key on DB.DBA.RDF_LANGUAGE.\n"


def _store(answers: list[tuple[int, str]], seen: list[str]) -> RemoteStore:
    store = RemoteStore(
        Remote(query="http://127.0.0.1:9/sparql", update="http://127.0.0.1:9/update", gsp="http://127.0.0.1:9/gsp")
    )

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        status, text = answers.pop(0)
        return httpx.Response(status, text=text)

    store._client = httpx.Client(transport=httpx.MockTransport(handler))
    return store


def test_a_put_that_lost_a_conflict_is_sent_again() -> None:
    seen: list[str] = []
    store = _store([(500, DEADLOCK), (500, NEW_TAG), (201, "")], seen)
    store._put(("https://w3id.org/defence-kg/id/document/d1", ["<urn:a> <urn:b> <urn:c> ."]))
    assert seen == ["PUT", "PUT", "PUT"]


def test_a_put_that_keeps_losing_is_refused_after_four_tries() -> None:
    seen: list[str] = []
    store = _store([(500, DEADLOCK)] * 4, seen)
    with pytest.raises(StoreError, match=r"refused the write \(500 Internal Server Error\).*40001 SR172"):
        store._put(("https://w3id.org/defence-kg/id/document/d1", []))
    assert seen == ["PUT"] * 4


@pytest.mark.parametrize(
    ("answer", "method"),
    [
        ((500, "Error 42000: syntax"), "PUT"),
        ((500, "Error 23000 SR197: Non unique primary key on DB.DBA.SOMETHING_ELSE."), "PUT"),
        ((500, DEADLOCK), "POST"),
    ],
    ids=["another-error", "another-key", "not-idempotent"],
)
def test_other_refusals_are_not_sent_again(answer: tuple[int, str], method: str) -> None:
    seen: list[str] = []
    store = _store([answer], seen)
    with pytest.raises(StoreError, match="refused the write"):
        if method == "PUT":
            store._put((None, []))
        else:
            store._post_update("CLEAR ALL")
    assert seen == [method]
