"""Whether a database holds only the demo: ``kinwise demo`` adds logins whose password is
published, so it refuses a database holding anything else (a real provider's data)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from kinwise.core.models import Organisation, Service, StaffMembership


def demo_foreign_data(
    *,
    organisation_slug: str,
    service_ids: frozenset[str],
    usernames: frozenset[str],
    people: frozenset[tuple[str, str]],
) -> list[str]:
    """What the database holds beyond the demo, as counts (never names): organisations
    other than the demo's, services outside it, logins other than the demo's (or with a
    role outside the demo), and people other than the demo's (``people`` holds
    (service id, person id) pairs). Empty when the database is empty or holds only the demo."""
    from kinwise.records.models import Person

    found: list[str] = []

    def note(count: int, what: str) -> None:
        if count:
            found.append(f"{count} {what}")

    note(
        Organisation.objects.exclude(slug=organisation_slug).count(),
        "organisation(s) other than the demo's",
    )
    note(
        Service.objects.exclude(
            organisation__slug=organisation_slug, external_id__in=service_ids
        ).count(),
        "service(s) outside the demo",
    )
    note(
        get_user_model().objects.exclude(username__in=usernames).count(),
        "login(s) other than the demo's",
    )
    note(
        StaffMembership.objects.exclude(
            service__organisation__slug=organisation_slug,
            service__external_id__in=service_ids,
            user__username__in=usernames,
        ).count(),
        "staff role(s) outside the demo",
    )
    demo_people = sum(
        Person.objects.filter(
            service__organisation__slug=organisation_slug,
            service__external_id=service,
            external_id=person,
        ).count()
        for service, person in people
    )
    # a demo person erased under the retention policy is still the demo's (their case-file
    # id is a tombstone's)
    demo_people += Person.objects.filter(
        service__organisation__slug=organisation_slug,
        service__external_id__in=service_ids,
        erased_at__isnull=False,
    ).count()
    note(Person.objects.count() - demo_people, "person record(s) other than the demo's")
    return found
