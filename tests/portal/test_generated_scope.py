"""Generated: for random case files of the synthetic provider, every family account's
visible areas are exactly what rule IC01's reading allows (a current, valid consent to
share that area with them) together with the areas of an authority they can use today;
IC01 is asked as the oracle, by probing it with the relative informed in every area."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from kinwise.access.portal import portal_area_for_viewer, visible_areas
from kinwise.casefile.schema import CaseFile
from kinwise.casefile.vocab import AREAS, FAMILY_KINDS
from kinwise.core.services import organisation_ensure, service_ensure
from kinwise.family.services import portal_demo_ensure
from kinwise.records.models import Person
from kinwise.records.services import casefile_import
from kinwise.rules.base import AuditContext
from kinwise.rules.capacity_consent import ic01_informed_with_consent
from kinwise.rules.facts import RoleFacts, build_facts
from kinwise.synth.generate import ProblemRates, SynthSpec, synth_population

# Relatives informed beyond their consent half the time: both answers occur often.
SPEC = SynthSpec(people=40, years=1, seed=1515, rates=ProblemRates(informed_without_consent=0.5))


def ic01_allows(casefile: CaseFile, member: str, as_of: dt.date) -> set[str]:
    """The areas IC01 finds no fault with when ``member`` is informed about every area."""
    facts = build_facts(casefile, as_of=as_of)
    roles = tuple(RoleFacts(a, None, (), (), (member,), None) for a in AREAS)
    probe = dataclasses.replace(facts, plan=dataclasses.replace(facts.plan, roles=roles))
    hits = ic01_informed_with_consent(AuditContext(facts=probe, as_of=as_of, since=as_of))
    refused = {h.subject.split("/")[0].removeprefix("role:") for h in hits}
    return set(AREAS) - refused


def authority_areas(casefile: CaseFile, member: str, as_of: dt.date) -> set[str]:
    facts = build_facts(casefile, as_of=as_of)
    return {a for a in AREAS if facts.usable_authorities(member, a, as_of)}


def family(casefile: CaseFile) -> list[str]:
    return [m.id for m in casefile.circle if m.kind in FAMILY_KINDS]


def test_the_scope_is_ic01s_reading_for_every_relative_and_area_of_a_synthetic_population() -> None:
    both = {"shown": 0, "refused": 0, "by_authority": 0}
    for casefile in synth_population(SPEC):
        facts = build_facts(casefile, as_of=SPEC.as_of)
        for member in family(casefile):
            want = ic01_allows(casefile, member, SPEC.as_of)
            want |= authority_areas(casefile, member, SPEC.as_of)
            assert set(visible_areas(facts, member, SPEC.as_of)) == want
            both["shown"] += len(want)
            both["refused"] += len(AREAS) - len(want)
            both["by_authority"] += len(authority_areas(casefile, member, SPEC.as_of))
    assert min(both.values()) > 0, both


@pytest.mark.django_db
def test_every_family_account_sees_exactly_ic01s_areas_on_every_request(
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisation = organisation_ensure(slug="synth", name="Synth")
    service = service_ensure(organisation=organisation, external_id="synth", name="Synth")
    small = dataclasses.replace(SPEC, people=6)
    checked = 0
    for casefile in synth_population(small):
        result = casefile_import(casefile=casefile, service=service, actor=None, source="import")
        person = Person.objects.select_related("service").get(pk=result.person_pk)
        for member in family(casefile):
            username = f"{casefile.person.id}-{member}"
            portal_demo_ensure(person=person, member_id=member, username=username, password="x")
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(username=username)
            seen = set()
            for area in AREAS:
                try:
                    portal_area_for_viewer(
                        user=user, person_pk=person.pk, area=area, today=small.as_of
                    )
                except Http404:
                    continue
                seen.add(area)
            want = ic01_allows(casefile, member, small.as_of)
            assert seen == want | authority_areas(casefile, member, small.as_of)
            checked += 1
    assert checked >= 6
