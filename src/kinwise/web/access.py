"""Which people a member of staff may open; anything else answers 404 and is logged.

Support workers and team leaders see the people of their own services; registered
managers and quality leads every service of their organisation (kinwise.core.access).
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from kinwise.audits.selectors import with_data_stamps
from kinwise.core.access import services_visible_to, with_viewer_access
from kinwise.core.models import Service
from kinwise.records.models import Person

logger = logging.getLogger("kinwise.web.access")


def person_for_viewer(*, user: AbstractBaseUser | AnonymousUser, person_pk: int) -> Person:
    """The current person ``person_pk`` if ``user`` may see them; otherwise Http404.

    One query: the person, their service, whether the viewer may see them
    (:func:`kinwise.core.access.with_viewer_access`) and the state of their records
    (``last_version``; :func:`kinwise.audits.selectors.stamp_of`). A refusal is logged by
    database ids only (no names or other personal data)."""
    person = (
        with_data_stamps(with_viewer_access(Person.objects.select_related("service"), user))
        .filter(pk=person_pk, superseded_at__isnull=True)
        .first()
    )
    if person is None or not getattr(person, "viewer_may_see", False):
        logger.warning("person refused: user pk=%s asked for person pk=%s", user.pk, person_pk)
        raise Http404("No such person")
    return person


def service_for_viewer(*, user: AbstractBaseUser | AnonymousUser, service_pk: int) -> Service:
    """The service ``service_pk`` if ``user`` may see it; otherwise Http404 (logged)."""
    service = services_visible_to(user).filter(pk=service_pk).first()
    if service is None:
        logger.warning("service refused: user pk=%s asked for service pk=%s", user.pk, service_pk)
        raise Http404("No such service")
    return service
