"""Forms of the set-up and administration pages. Like the person's forms they only
collect what was typed; the services judge it and their errors are put back at the
fields here, in plain words that name the field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms

from kinwise.casefile.vocab import AREAS, DEFAULT_REQUIRED_AREAS, METHODS
from kinwise.core.models import Service, StaffRole
from kinwise.errors import FieldError
from kinwise.records.models.people import SUPPORT_END_REASONS
from kinwise.records.services.support import NewMember, NewPerson
from kinwise.web import presenters as p
from kinwise.web.forms import (
    NOT_AN_INFORMAL_CARER,
    checkbox,
    choice_field,
    date_field,
    long_text,
    multi,
    plain_message,
    text_field,
)

ROLE_CHOICES = [(value, label) for value, label in StaffRole.choices]
MEMBER_KINDS = [
    ("family", "Family"),
    ("friend", "Friend"),
    ("staff", "Staff"),
    ("advocate", "Advocate"),
    ("professional", "Professional"),
]
CIRCLE_ROWS = 3
# Who can be an informal carer: unpaid (the case file's family and friends).
UNPAID_KINDS = frozenset({"family", "friend"})


class AdminForm(forms.Form):
    """A form whose errors come from a service as FieldErrors named by field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("id", f"id_{self.add_prefix(name)}")

    def value(self, name: str) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return str(data.get(name) or "").strip()

    def values(self, name: str) -> list[str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return [str(v) for v in data.get(name) or []]

    def add_field_errors(self, errors: Sequence[FieldError]) -> None:
        for error in errors:
            self.add_error(error.path if error.path in self.fields else None, error.message)


def summary_of(forms_: Sequence[forms.Form]) -> list[tuple[str, str]]:
    """(anchor, message) of every error of the forms, for the error summary."""
    out: list[tuple[str, str]] = []
    for form in forms_:
        for message in form.non_field_errors():
            out.append(("form-top", str(message)))
        for field in form:
            for message in field.errors:
                out.append((field.auto_id or "form-top", str(message)))
    return out


class ServiceForm(AdminForm):
    name = text_field("Name of the service", "For example, Riverside Supported Living.")


class InviteForm(AdminForm):
    first_name = text_field("First name")
    last_name = text_field("Last name")
    username = text_field(
        "User name", "What they will type to sign in. Letters, digits and @ . + - _ only."
    )
    email = text_field("Email address", "The invitation is sent here. It holds only a link.")
    service = choice_field("Service", [])
    role = choice_field("Role", ROLE_CHOICES, radios=True)

    def __init__(self, *args: Any, services: Sequence[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose")] + [(str(s.pk), s.name) for s in services]

    def service_pk(self) -> int | None:
        value = self.value("service")
        return int(value) if value.isdigit() else None


class RoleForm(InviteForm):
    """A role in one service (added or changed)."""

    def __init__(self, *args: Any, services: Sequence[Service], **kwargs: Any) -> None:
        super().__init__(*args, services=services, **kwargs)
        for name in ("first_name", "last_name", "username", "email"):
            del self.fields[name]


class SupportEndForm(AdminForm):
    ended = date_field(
        "Date their support ended",
        "The last day of support, or the day it will end when it is planned.",
    )
    reason = choice_field("Why their support ended", list(SUPPORT_END_REASONS), radios=True)


class PersonForm(AdminForm):
    name = text_field("Full name")
    date_of_birth = date_field("Date of birth (optional)", "For example, 1990-03-27.")
    methods = multi(
        "How do they communicate?",
        [(m, p.method_label(m).capitalize()) for m in METHODS],
        "Select every method they use.",
    )
    notes = long_text(
        "Notes for anyone supporting them (optional)", "What helps, and what to avoid."
    )
    version_date = date_field("Date of their support plan", "The date this version was agreed.")
    required_areas = multi(
        "Areas of their life the plan must cover",
        [(a, p.area_title(a)) for a in AREAS],
        "For each area the plan says who decides, who contributes and who is informed.",
    )

    def new_person(self, circle: Sequence[MemberForm]) -> NewPerson:
        return NewPerson(
            name=self.value("name"),
            date_of_birth=self.value("date_of_birth"),
            methods=self.values("methods"),
            notes=self.value("notes"),
            version_date=self.value("version_date"),
            required_areas=self.values("required_areas"),
            circle=[row.member() for row in circle],
        )


PERSON_DEFAULTS = {"required_areas": list(DEFAULT_REQUIRED_AREAS)}


class MemberForm(AdminForm):
    name = text_field("Name")
    kind = choice_field("Who they are", MEMBER_KINDS)
    detail = text_field("Relationship or job", "For example, mother, or support worker.")
    informal_carer = checkbox(
        "They are an informal carer",
        "Family or a friend who gives care without being paid for it.",
    )

    def filled(self) -> bool:
        return any(self.value(name) for name in self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = str(data.get("kind") or "")
        if data.get("informal_carer") and kind and kind not in UNPAID_KINDS:
            self.add_error("informal_carer", NOT_AN_INFORMAL_CARER)
        return data

    def member(self) -> NewMember:
        return NewMember(
            name=self.value("name"),
            kind=self.value("kind"),
            detail=self.value("detail"),
            informal_carer=bool(self.cleaned_data.get("informal_carer")),
        )


# Where the case file's paths of a new person are on the form: (field, what it is).
PERSON_PATHS: dict[str, tuple[str, str]] = {
    "person.name": ("name", "their full name"),
    "person.date_of_birth": ("date_of_birth", "the date of birth"),
    "person.communication.methods": ("methods", "how they communicate"),
    "person.communication.notes": ("notes", "the notes"),
    "person.communication": ("methods", "how they communicate"),
    "plan.version_date": ("version_date", "the date of their support plan"),
    "plan.required_areas": ("required_areas", "the areas the plan must cover"),
}
MEMBER_PATHS: dict[str, tuple[str, str]] = {
    "name": ("name", "the member's name"),
    "kind": ("kind", "who they are"),
    "relationship": ("detail", "the relationship"),
    "job": ("detail", "the job"),
    "informal_carer": ("informal_carer", "whether they are an informal carer"),
}
_INDEX = re.compile(r"\[\d+\]$")
_CIRCLE = re.compile(r"circle\[(\d+)\]\.?(.*)")


def _put(form: AdminForm, field: str, message: str, what: str) -> None:
    kind = str(getattr(form.fields[field], "kw_type", "text"))
    form.add_error(field, plain_message(message, what, kind))


def add_person_errors(
    errors: Sequence[FieldError], form: PersonForm, rows: Sequence[tuple[int, MemberForm]]
) -> None:
    """Put the errors of a new person's case file at the fields of ``form`` and of the
    circle's rows (``rows``: each filled row with its index in the case file's circle)."""
    by_index = dict(rows)
    for error in errors:
        path = _INDEX.sub("", error.path)
        circle = _CIRCLE.fullmatch(error.path)
        if circle is not None:
            row = by_index.get(int(circle.group(1)))
            rest = _INDEX.sub("", circle.group(2))
            if row is not None and rest in MEMBER_PATHS:
                field, what = MEMBER_PATHS[rest]
                _put(row, field, error.message, what)
                continue
        if path in PERSON_PATHS:
            field, what = PERSON_PATHS[path]
            if error.message.endswith("cannot be after today"):
                form.add_error(field, error.message)
            else:
                _put(form, field, error.message, what)
            continue
        form.add_error(None, f"{error.message}")


class TokenForm(AdminForm):
    """A new API token: whose roles it carries, what it is called, who holds it, whether
    it may change records, and the services it covers."""

    user = choice_field("Whose roles it carries", [])
    label = text_field("Name", "So you can tell it apart, for example: eMAR link.", max_length=100)
    kind = choice_field(
        "Who holds it",
        [("personal", "A member of staff"), ("service", "Another system")],
        radios=True,
    )
    access = choice_field(
        "What it may do", [("read", "Read only"), ("change", "Read and change")], radios=True
    )
    services = multi("Services it covers", [], "Choose none to cover every service.")

    def __init__(
        self,
        *args: Any,
        staff: Sequence[tuple[int, str]],
        services: Sequence[Service],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ChoiceField)
        user.choices = [("", "Choose")] + [(str(pk), name) for pk, name in staff]
        chosen = self.fields["services"]
        assert isinstance(chosen, forms.MultipleChoiceField)
        chosen.choices = [(str(s.pk), s.name) for s in services]

    def user_pk(self) -> int | None:
        value = self.value("user")
        return int(value) if value.isdigit() else None

    def service_pks(self) -> list[int]:
        return [int(v) for v in self.values("services") if v.isdigit()]
