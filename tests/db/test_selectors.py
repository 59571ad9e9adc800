from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kinwise.casefile.load import casefile_to_data
from kinwise.core.models import Organisation, Service
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.records.models import Person
from kinwise.records.reading import PersonRows
from kinwise.records.selectors import (
    casefiles_for_audit,
    casefiles_for_service,
    casefiles_map,
    person_for_export,
)
from kinwise.records.services import casefile_import

STORY1 = "01-risk-and-independence.yaml"
STORY3 = "03-historic-arrangement.yaml"

# one query for the people, one for the documents of their current records
SERVICE_QUERIES = 2


def as_person(casefile: Any, person_id: str) -> Any:
    return casefile.model_copy(
        update={"person": casefile.person.model_copy(update={"id": person_id})}
    )


@pytest.mark.django_db
def test_a_whole_service_loads_in_the_same_queries_for_one_or_many_people(
    example: Callable[[str], Any], riverside: Service, django_assert_num_queries: Any
) -> None:
    casefile_import(casefile=example(STORY1), service=riverside, actor=None)
    with django_assert_num_queries(SERVICE_QUERIES):
        one = casefiles_for_service(service=riverside)
    assert len(one) == 1

    casefile_import(casefile=example(STORY3), service=riverside, actor=None)
    for person_id in ("zoe", "adam"):
        casefile_import(
            casefile=as_person(example(STORY1), person_id), service=riverside, actor=None
        )
    with django_assert_num_queries(SERVICE_QUERIES):
        many = casefiles_for_service(service=riverside)

    assert [cf.person.id for cf in many.values()] == ["adam", "daniel", "sam", "zoe"]
    pks = {p.external_id: p.pk for p in Person.objects.all()}
    assert list(many) == [pks["adam"], pks["daniel"], pks["sam"], pks["zoe"]]
    daniel = casefile_to_data(many[pks["daniel"]])
    expected = casefile_to_data(example(STORY3))
    expected.pop("as_of")
    assert daniel == expected


@pytest.mark.django_db
def test_a_service_with_no_people_is_empty(riverside: Service) -> None:
    assert casefiles_for_service(service=riverside) == {}


@pytest.mark.django_db
def test_casefiles_for_audit_by_service_person_or_everyone(
    example: Callable[[str], Any], riverside: Service, oakfield: Service
) -> None:
    casefile_import(casefile=example(STORY3), service=riverside, actor=None)
    casefile_import(casefile=example(STORY1), service=riverside, actor=None)
    casefile_import(casefile=example("02-vocal-relative.yaml"), service=oakfield, actor=None)

    def ids(files: list[Any]) -> list[tuple[str, str]]:
        return [(cf.service.id, cf.person.id) for cf in files]

    assert ids(casefiles_for_audit(service="riverside", person=None)) == [
        ("riverside", "daniel"),
        ("riverside", "sam"),
    ]
    assert ids(casefiles_for_audit(service=None, person="aisha")) == [("oakfield", "aisha")]
    assert ids(casefiles_for_audit(service=None, person=None)) == [
        ("oakfield", "aisha"),
        ("riverside", "daniel"),
        ("riverside", "sam"),
    ]
    with pytest.raises(KinwiseError) as elsewhere:
        casefiles_for_audit(service="oakfield", person="sam")
    assert elsewhere.value.message == "no person with id 'sam' in service 'oakfield'"

    with pytest.raises(KinwiseError) as unknown_service:
        casefiles_for_audit(service="hillside", person=None)
    assert unknown_service.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(KinwiseError) as unknown_person:
        casefiles_for_audit(service=None, person="nobody")
    assert unknown_person.value.code == ErrorCode.NOT_FOUND


@pytest.mark.django_db
def test_a_service_id_used_by_two_organisations_needs_the_organisation(
    example: Callable[[str], Any], riverside: Service
) -> None:
    other = Organisation.objects.create(slug="other", name="Other Care")
    other_riverside = Service.objects.create(organisation=other, external_id="riverside", name="R")
    casefile_import(casefile=example(STORY1), service=riverside, actor=None)
    casefile_import(casefile=example(STORY3), service=other_riverside, actor=None)

    with pytest.raises(KinwiseError) as ambiguous:
        casefiles_for_audit(service="riverside", person=None)
    assert ambiguous.value.code == ErrorCode.USAGE
    found = casefiles_for_audit(service="riverside", person=None, organisation="other")
    assert [cf.person.id for cf in found] == ["daniel"]


@pytest.mark.django_db
def test_person_for_export_asks_for_the_service_when_ids_repeat(
    example: Callable[[str], Any], riverside: Service, oakfield: Service
) -> None:
    casefile_import(casefile=example(STORY1), service=riverside, actor=None)
    casefile_import(casefile=example(STORY1), service=oakfield, actor=None)

    with pytest.raises(KinwiseError) as ambiguous:
        person_for_export(person="sam")
    assert ambiguous.value.code == ErrorCode.USAGE
    assert "--service" in ambiguous.value.message
    assert person_for_export(person="sam", service="oakfield").service_id == oakfield.pk
    with pytest.raises(KinwiseError) as missing:
        person_for_export(person="daniel", service="oakfield")
    assert missing.value.code == ErrorCode.NOT_FOUND


@pytest.mark.django_db(transaction=True)
def test_the_audit_reads_every_table_in_one_snapshot(example: Callable[[str], Any]) -> None:
    """Outside any transaction (as `kinwise audit` runs), the streamed read is one
    transaction; on PostgreSQL a read-only REPEATABLE READ one, so that a write committed
    while the tables are read is seen by all of them or by none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organisation = Organisation.objects.create(slug="acme", name="Acme Care")
    service = Service.objects.create(
        organisation=organisation, external_id="riverside", name="Riverside Supported Living"
    )
    casefile_import(casefile=example(STORY1), service=service, actor=None)
    casefile_import(casefile=example(STORY3), service=service, actor=None)
    with CaptureQueriesContext(connection) as captured:
        names = casefiles_map(
            service="riverside", person=None, each=lambda casefile: casefile.person.name
        )
    assert names == ["Daniel Hughes", "Sam Okafor"]
    statements = [q["sql"] for q in captured.captured_queries]
    isolation = [s for s in statements if "ISOLATION LEVEL" in s]
    if connection.vendor == "postgresql":
        assert isolation == ["SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"]
    else:
        assert isolation == []


def test_rows_are_taken_a_person_at_a_time_in_pk_order() -> None:
    rows = PersonRows(iter([(1, "a"), (3, "b"), (3, "c"), (4, "d"), (6, "e")]), 0)
    assert rows.take(2) == []  # person 1 was not asked for: passed over
    assert rows.take(3) == [(3, "b"), (3, "c")]
    assert rows.take(5) == []  # person 4 was not asked for
    assert rows.take(6) == [(6, "e")]
    assert rows.take(7) == []
