"""Stored audits: equal to a fresh audit, recomputed exactly when the records (or the
dates, the rules or their code) change, and read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinwise.audits import services
from kinwise.audits.models import AuditSnapshot
from kinwise.audits.selectors import data_stamps
from kinwise.audits.services import (
    DAYS_KEPT,
    Digest,
    audit_from_json,
    audit_json,
    audit_snapshots_refresh,
)
from kinwise.casefile import schema as cf
from kinwise.core.models import Service
from kinwise.errors import KinwiseError
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export, casefiles_for_service
from kinwise.records.services import casefile_import
from kinwise.rules.audit import audit_casefile, default_since
from kinwise.synth.generate import DEFAULT_AS_OF

AS_OF = DEFAULT_AS_OF
SINCE = default_since(AS_OF)


def people_of(service: Service) -> Any:
    return Person.objects.filter(service=service, superseded_at__isnull=True)


def refresh(service: Service, **kwargs: Any) -> dict[int, services.StoredAudit]:
    options: dict[str, Any] = {"as_of": AS_OF, "since": SINCE, **kwargs}
    return audit_snapshots_refresh(stamps=data_stamps(people=people_of(service)), **options)


def queries(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def fresh_audits(service: Service, as_of: dt.date = AS_OF) -> dict[int, Any]:
    return {
        pk: audit_casefile(casefile, as_of=as_of, since=default_since(as_of))
        for pk, casefile in casefiles_for_service(service=service).items()
    }


def test_stored_audits_are_the_fresh_audits(populate: Callable[..., Service]) -> None:
    service = populate("a", people=4)

    first = refresh(service)
    again = refresh(service)

    expected = fresh_audits(service)
    assert {pk: s.audit for pk, s in first.items()} == expected
    assert {pk: s.audit for pk, s in again.items()} == expected
    assert sum(len(a.findings) for a in expected.values()) > 0
    assert AuditSnapshot.objects.count() == 4


def test_stale_people_are_read_and_audited_in_batches(
    populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = populate("a", people=5)
    loaded: list[list[int]] = []
    real = services.casefiles_for_people

    def spy(*, person_pks: list[int]) -> Any:
        loaded.append(sorted(person_pks))
        return real(person_pks=person_pks)

    monkeypatch.setattr(services, "REFRESH_BATCH", 2)
    monkeypatch.setattr(services, "casefiles_for_people", spy)
    stored = refresh(service)

    pks = sorted(people_of(service).values_list("pk", flat=True))
    assert [len(batch) for batch in loaded] == [2, 2, 1]
    assert sorted(pk for batch in loaded for pk in batch) == pks
    assert {pk: s.audit for pk, s in stored.items()} == fresh_audits(service)
    assert AuditSnapshot.objects.count() == 5


def test_fresh_snapshots_are_read_in_two_queries_for_any_number_of_people(
    populate: Callable[..., Service],
) -> None:
    few, many = populate("few", people=2), populate("many", people=9)
    refresh(few)
    refresh(many)
    # the stamps (one aggregate) and the snapshots: nothing is loaded or audited
    assert queries(lambda: refresh(few)) == 2
    assert queries(lambda: refresh(many)) == 2


def test_a_write_makes_only_that_persons_snapshot_stale(
    populate: Callable[..., Service],
) -> None:
    service = populate("a", people=3)
    refresh(service)
    person = people_of(service).order_by("external_id")[1]
    before = {s.person_id: s.pk for s in AuditSnapshot.objects.all()}

    casefile = casefile_export(person=person)
    withdrawn = [c.model_copy(update={"withdrawn": AS_OF}) for c in casefile.consents]
    assert withdrawn, "the synthetic person has consents"
    casefile_import(
        casefile=casefile.model_copy(update={"consents": withdrawn}), service=service, actor=None
    )

    after = refresh(service)
    assert {pk: s.audit for pk, s in after.items()} == fresh_audits(service)
    rows = {s.person_id: s.pk for s in AuditSnapshot.objects.all()}
    assert [pk for pk in rows if rows[pk] != before[pk]] == [person.pk]


LISTS = (
    "circle",
    "legal_authorities",
    "capacity_assessments",
    "best_interests",
    "consents",
    "voice",
    "meetings",
    "risk_assessments",
    "graded_trials",
    "incidents",
    "events",
)


def test_reordering_records_without_a_new_version_makes_the_snapshot_stale(
    populate: Callable[..., Service],
) -> None:
    """Order is not content (no version), but it orders an audit's evidence."""
    service = populate("a", people=8, years=5)
    refresh(service)
    changed = 0
    for person in people_of(service):
        casefile = casefile_export(person=person)
        reordered: dict[str, Any] = {
            key: list(reversed(getattr(casefile, key)))
            for key in ("consents", "meetings", "voice", "events", "incidents")
        }
        plan = casefile.plan
        reordered["plan"] = plan.model_copy(
            update={"tasks": list(reversed(plan.tasks)), "roles": list(reversed(plan.roles))}
        )
        result = casefile_import(
            casefile=casefile.model_copy(update=reordered), service=service, actor=None
        )
        assert result.created == result.updated == result.superseded == 0
        fresh = audit_casefile(casefile_export(person=person), as_of=AS_OF, since=SINCE)
        changed += fresh != audit_casefile(casefile, as_of=AS_OF, since=SINCE)

    assert changed > 0, "some evidence follows the file's order"
    assert {pk: s.audit for pk, s in refresh(service).items()} == fresh_audits(service)


def test_another_date_is_another_snapshot_and_old_dates_are_pruned(
    populate: Callable[..., Service],
) -> None:
    service = populate("a", people=2)
    stamps = data_stamps(people=people_of(service))
    old = AS_OF - dt.timedelta(days=DAYS_KEPT + 1)
    recent = AS_OF - dt.timedelta(days=DAYS_KEPT)
    for day in (old, recent):
        audit_snapshots_refresh(stamps=stamps, as_of=day, since=default_since(day))
    assert AuditSnapshot.objects.count() == 4

    stored = audit_snapshots_refresh(stamps=stamps, as_of=AS_OF, since=SINCE)

    assert {pk: s.audit for pk, s in stored.items()} == fresh_audits(service)
    assert sorted(set(AuditSnapshot.objects.values_list("as_of", flat=True))) == [recent, AS_OF]


def reviews(casefile: cf.CaseFile, as_of: dt.date) -> list[str]:
    return sorted(r.id for r in casefile.risk_assessments if r.review_by <= as_of)


def test_a_digest_is_stored_beside_the_audit(populate: Callable[..., Service]) -> None:
    service = populate("a", people=3)
    digest = Digest("test.reviews/1", reviews)

    first = refresh(service, digest=digest)
    assert queries(lambda: refresh(service, digest=digest)) == 2
    again = refresh(service, digest=digest)

    files = casefiles_for_service(service=service)
    expected = {pk: reviews(casefile, AS_OF) for pk, casefile in files.items()}
    assert {pk: s.extra for pk, s in first.items()} == expected
    assert {pk: s.extra for pk, s in again.items()} == expected
    assert any(expected.values())
    # the plain audit is another computation, stored apart
    plain = refresh(service)
    assert all(s.extra is None for s in plain.values())
    assert AuditSnapshot.objects.count() == 6


def test_a_change_to_the_rules_code_makes_every_snapshot_stale(
    populate: Callable[..., Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = populate("a", people=2)
    refresh(service)
    assert queries(lambda: refresh(service)) == 2
    (before,) = set(AuditSnapshot.objects.values_list("computation", flat=True))
    assert before == f"audit:{services.code_stamp()}"

    monkeypatch.setattr(services, "code_stamp", lambda modules=(): "0123456789abcdef")
    assert queries(lambda: refresh(service)) > 2 + 2  # the case files loaded again
    computations = list(AuditSnapshot.objects.values_list("computation", flat=True))
    assert sorted(computations) == sorted([before] * 2 + ["audit:0123456789abcdef"] * 2)


def test_stale_people_given_with_their_case_files_are_not_loaded_again(
    populate: Callable[..., Service],
) -> None:
    service = populate("a", people=1)
    person = people_of(service).get()
    stamps = data_stamps(people=people_of(service))
    casefile = casefile_export(person=person)

    count = queries(
        lambda: audit_snapshots_refresh(
            stamps=stamps, as_of=AS_OF, since=SINCE, casefiles={person.pk: casefile}
        )
    )
    # the snapshots read, then one transaction: prune, insert (and its savepoint queries)
    assert count < 21
    assert AuditSnapshot.objects.get().audit == audit_json(
        audit_casefile(casefile, as_of=AS_OF, since=SINCE)
    )


def test_the_data_stamps_are_one_query_and_change_with_every_write(
    populate: Callable[..., Service],
) -> None:
    service = populate("a", people=5)
    assert queries(lambda: data_stamps(people=people_of(service))) == 1
    before = data_stamps(people=people_of(service))
    person = people_of(service).order_by("external_id")[0]
    casefile = casefile_export(person=person)
    casefile_import(
        casefile=casefile.model_copy(update={"voice": casefile.voice[1:]}),
        service=service,
        actor=None,
    )
    after = data_stamps(people=people_of(service))
    assert [pk for pk in before if before[pk] != after[pk]] == [person.pk]
    # an import that changes nothing keeps the stamp
    casefile_import(casefile=casefile_export(person=person), service=service, actor=None)
    assert data_stamps(people=people_of(service)) == after


def test_a_stored_audit_reads_back_as_it_was(populate: Callable[..., Service]) -> None:
    service = populate("a", people=2)
    for audit in fresh_audits(service).values():
        assert audit_from_json(audit_json(audit)) == audit


def test_a_period_that_starts_after_the_date_is_refused(db: None) -> None:
    with pytest.raises(KinwiseError):
        audit_snapshots_refresh(stamps={}, as_of=AS_OF, since=AS_OF + dt.timedelta(days=1))
    assert audit_snapshots_refresh(stamps={}, as_of=AS_OF, since=SINCE) == {}


def test_the_code_a_digest_calls_is_part_of_its_key() -> None:
    alone = services._computation(Digest("test.reviews/1", reviews))
    with_presenters = services._computation(
        Digest("test.reviews/1", reviews, modules=("kinwise.readings.reviews",))
    )
    assert alone.startswith("test.reviews/1:")
    assert with_presenters.startswith("test.reviews/1:")
    assert alone != with_presenters
    assert services._computation(None) == f"audit:{services.code_stamp()}"
