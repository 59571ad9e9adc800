"""The web's addresses name each kind of record by its one name, the registry's."""

from __future__ import annotations

from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.web.urls import urlpatterns


def test_the_webs_addresses_name_kinds_by_their_registered_names() -> None:
    named = {
        str(p.pattern).split("/")[3]
        for p in urlpatterns
        if str(p.pattern).split("/")[2:3] in (["add"], ["edit"])
    }
    # the person's communication profile, the plan's emotional support, a trial's stages
    # and sessions and staff training are not kinds of their own
    assert named - set(RECORD_KINDS.names) == {
        "communication",
        "emotional-support",
        "session",
        "stage",
        "training",
    }
