"""A relative's "Your concerns": only the concerns they raised, each with where it is on
the ladder, whether it was received and answered (dates), the outcome and the next stage
they were told of, in plain words; any other concern is 404 and a logged refusal."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from kinwise.accesslog.models import AccessLogEntry
from tests.portal.conftest import add_concerns, client_for


def _text(response: Any) -> str:
    body = response.content.decode()
    main = body[body.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def test_grace_sees_only_the_concerns_she_raised_and_where_each_has_got_to(
    portal: dict[str, Any],
) -> None:
    ids = add_concerns(portal)
    sam = portal["people"]["sam"]
    client = client_for(portal["users"]["grace"])
    response = client.get(f"/portal/{sam.pk}/concerns/")
    assert response.status_code == 200
    text = _text(response)
    # newest first; Sam's own concern is not hers and is not listed
    assert text.index("Disagreement about health and treatment, raised 20 November 2026") < (
        text.index("Complaint about going out and getting about, raised 1 October 2026")
    )
    assert "10 November 2026" not in text
    assert (
        "Disagreement about health and treatment, raised 20 November 2026 Where it is now"
        " Raised: the service has not started looking at it yet Received by the service"
        " Yes, on 21 November 2026 Written reply Not yet"
    ) in text
    assert (
        "Complaint about going out and getting about, raised 1 October 2026 Where it is now Closed"
        " Received by the service Yes, on 2 October 2026 Written reply Sent on 20 October 2026"
        " Outcome A second member of staff checks the kerbs on the route."
        " What you can do next If you are not happy with the outcome, you can take it"
        " further: a best interests meeting"
    ) in text
    assert f'href="/portal/{sam.pk}/concerns/{ids["closed"]}/"' in response.content.decode()
    one = _text(client.get(f"/portal/{sam.pk}/concerns/{ids['closed']}/"))
    assert "The reply We added a second kerb check." in one
    assert "The steps so far 2 October 2026: The service is trying to put it right with you" in one
    assert "Closed On 25 October 2026" in one
    # her part page links to the list
    assert f'href="/portal/{sam.pk}/concerns/"' in client.get(f"/portal/{sam.pk}/").content.decode()


def test_a_concern_she_did_not_raise_is_404_and_a_logged_refused_disclosure(
    portal: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    ids = add_concerns(portal)
    sam, grace = portal["people"]["sam"], portal["users"]["grace"]
    client = client_for(grace)
    before = AccessLogEntry.objects.count()
    with caplog.at_level(logging.WARNING, logger="kinwise.access"):
        answers = [
            client.get(f"/portal/{sam.pk}/concerns/{ids['sams']}/").status_code,
            client.get(f"/portal/{sam.pk}/concerns/999999/").status_code,
            # a record that is not a concern
            client.get(f"/portal/{sam.pk}/concerns/{ids['closed'] - 1}/").status_code,
        ]
    assert answers == [404, 404, 404]
    lines = [r.getMessage() for r in caplog.records if r.name == "kinwise.access"]
    assert lines == [f"portal refused: user pk={grace.pk} asked for person pk={sam.pk}"] * 3
    refused = list(AccessLogEntry.objects.order_by("id"))[before:]
    assert [(e.user_pk, e.person_pk, e.record_pk, e.page, e.allowed) for e in refused] == [
        (grace.pk, sam.pk, ids["sams"], "portal:concern_progress/concerns", False),
        (grace.pk, sam.pk, 999999, "portal:concern_progress/concerns", False),
        (grace.pk, sam.pk, ids["closed"] - 1, "portal:concern_progress/concerns", False),
    ]
    # Sam himself has no "your concerns" page, nor does a relative of someone else
    sams_client = client_for(portal["users"]["sam"])
    assert sams_client.get(f"/portal/{sam.pk}/concerns/").status_code == 404
    assert sams_client.get(f"/portal/{sam.pk}/concerns/{ids['sams']}/").status_code == 404
    imran = client_for(portal["users"]["imran"])
    assert imran.get(f"/portal/{sam.pk}/concerns/").status_code == 404
    assert imran.get(f"/portal/{sam.pk}/concerns/{ids['open']}/").status_code == 404


def test_a_relative_who_raised_nothing_is_told_so(portal: dict[str, Any]) -> None:
    aisha = portal["people"]["aisha"]
    response = client_for(portal["users"]["imran"]).get(f"/portal/{aisha.pk}/concerns/")
    assert response.status_code == 200
    assert "You have not raised a concern." in _text(response)
