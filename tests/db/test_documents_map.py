"""The audit of stored records from their documents (documents_map): what the case files
built from the same records give, for the current records and as recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from kinwise.clock import end_of_day
from kinwise.core.models import Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.selectors import casefiles_map, documents_map
from kinwise.records.services import casefile_import
from kinwise.rules.audit import audit_casefile, audit_documents, default_since
from kinwise.synth.generate import SynthSpec, synth_population

STORIES = (
    "01-risk-and-independence.yaml",
    "02-vocal-relative.yaml",
    "03-historic-arrangement.yaml",
)
AS_OF = dt.date(2026, 6, 1)


def both(**kwargs: Any) -> tuple[list[Any], list[Any]]:
    since = default_since(AS_OF)
    built = casefiles_map(
        each=lambda cf: audit_casefile(cf, as_of=AS_OF, since=since).to_json(), **kwargs
    )
    read = documents_map(
        each=lambda d: audit_documents(d, as_of=AS_OF, since=since).to_json(), **kwargs
    )
    return built, read


@pytest.mark.django_db
def test_the_seed_stories_and_format_two_people_audit_the_same_from_their_documents(
    example: Callable[[str], Any], riverside: Service
) -> None:
    for name in STORIES:
        casefile_import(casefile=example(name), service=riverside, actor=None)
    spec = SynthSpec(people=6, years=2, seed=17, as_of=AS_OF, version_two=1.0)
    for casefile in synth_population(spec):
        casefile_import(casefile=casefile, service=riverside, actor=None)
    built, read = both(service="riverside", person=None)
    assert len(read) == 9
    assert read == built
    assert sorted({audit["rules_version"] for audit in read}) == [1, 2]


@pytest.mark.django_db
def test_as_recorded_the_documents_are_those_of_the_rebuilt_case_files(
    example: Callable[[str], Any], riverside: Service
) -> None:
    for name in STORIES:
        casefile_import(casefile=example(name), service=riverside, actor=None)
    at = end_of_day(dt.date(2100, 1, 1))
    built, read = both(service="riverside", person=None, recorded_at=at)
    assert len(read) == 3
    assert read == built


@pytest.mark.django_db
def test_an_unknown_service_or_person_is_the_same_error(
    example: Callable[[str], Any], riverside: Service
) -> None:
    casefile_import(casefile=example(STORIES[0]), service=riverside, actor=None)
    for kwargs, message in (
        ({"service": "nowhere", "person": None}, "no service with id 'nowhere'"),
        ({"service": None, "person": "nobody"}, "no person with id 'nobody'"),
    ):
        with pytest.raises(KinwiseError) as error:
            documents_map(each=lambda d: d, **kwargs)
        assert (error.value.code, str(error.value)) == (ErrorCode.NOT_FOUND, message)
    before = end_of_day(dt.date(2000, 1, 1))
    with pytest.raises(KinwiseError) as error:
        documents_map(service=None, person="sam", each=lambda d: d, recorded_at=before)
    assert str(error.value) == "nothing had been recorded about person 'sam' by then"
