"""The application's URLs plus one minimal page, for the person page's comparison.

The minimal page shows the rows the person page's table shows (who decides, supports,
contributes and is informed, area by area) from one query, with a bare template: the
floor that the person page's cost is compared with.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.urls import include, path

from kinwise.records.models import Record

_TEMPLATE = Template(
    """<!doctype html><title>Roles</title><table>
<tr><th>Area</th><th>Decides</th><th>Supported by</th><th>Contributes</th><th>Informed</th></tr>
{% for r in rows %}<tr><td>{{ r.area }}</td><td>{{ r.decides|default:"" }}</td>
<td>{{ r.supported_by|join:", " }}</td><td>{{ r.contributes|join:", " }}</td>
<td>{{ r.informed|join:", " }}</td></tr>{% endfor %}</table>"""
)


@login_required
def minimal(request: HttpRequest, person_pk: int) -> HttpResponse:
    rows = Record.objects.filter(
        person_id=person_pk, kind="role", superseded_at__isnull=True
    ).order_by("position", "id")
    documents = [row.data for row in rows]
    return HttpResponse(_TEMPLATE.render(Context({"rows": documents})))


urlpatterns = [
    path("bench/minimal/<int:person_pk>/", minimal, name="bench_minimal"),
    path("", include("kinwise.config.urls")),
]
