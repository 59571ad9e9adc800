"""Forms of the staff pages. They only collect what was typed: every rule is checked by
the case file's own validation (kinwise.casefile.load.validate_data) through the edit
services, so a form gives the same messages as an import. A form turns its input into a
case-file record (``to_record``), and errors found at the record's paths are put back on
its fields (``add_record_errors``), keeping everything the user typed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import forms

from kinwise.casefile import schema as cf
from kinwise.casefile.kinds import RECORD_KINDS
from kinwise.casefile.vocab import (
    AREAS,
    FAMILY_KINDS,
    METHODS,
    TASKS,
)
from kinwise.dates import parse_user_date
from kinwise.errors import KinwiseError
from kinwise.readings.record_words import RecordWords, field_words
from kinwise.web import presenters as p

Choices = list[tuple[str, str]]

_INT = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+\.\d+")
_NOT_BEFORE = re.compile(r"must not be before (?P<earlier>\w+) \((?P<day>\d{4}-\d{2}-\d{2})\)")


def _field(f: forms.Field, kind: str, hint: str = "", width: str = "") -> forms.Field:
    # What the NHS.UK field template draws (web/includes/field.html), and its hint.
    setattr(f, "kw_type", kind)  # noqa: B010
    setattr(f, "kw_hint", hint)  # noqa: B010
    setattr(f, "kw_width", width)  # noqa: B010
    return f


def text_field(label: str, hint: str = "", width: str = "", max_length: int = 2000) -> forms.Field:
    return _field(
        forms.CharField(label=label, required=False, max_length=max_length), "text", hint, width
    )


def long_text(label: str, hint: str = "", max_length: int = 20000) -> forms.Field:
    return _field(
        forms.CharField(label=label, required=False, max_length=max_length), "textarea", hint
    )


def date_field(label: str, hint: str = "", max_length: int = 40) -> forms.Field:
    return _field(forms.CharField(label=label, required=False, max_length=max_length), "date", hint)


def number_field(label: str, hint: str = "", max_length: int = 40) -> forms.Field:
    return _field(
        forms.CharField(label=label, required=False, max_length=max_length), "number", hint, "3"
    )


def decimal_field(label: str, hint: str = "", max_length: int = 40) -> forms.Field:
    """A number that may have a fraction (half a dose)."""
    return _field(
        forms.CharField(label=label, required=False, max_length=max_length), "decimal", hint, "4"
    )


def choice_field(label: str, choices: Choices, hint: str = "", radios: bool = False) -> forms.Field:
    options = choices if radios else [("", "Choose")] + choices
    return _field(
        FreeChoiceField(label=label, required=False, choices=options),
        "radios" if radios else "select",
        hint,
    )


def multi(label: str, choices: Choices, hint: str = "") -> forms.Field:
    return _field(
        FreeMultipleChoiceField(label=label, required=False, choices=choices),
        "checkboxes",
        hint,
    )


def yes_no(label: str, hint: str = "") -> forms.Field:
    return choice_field(label, [("yes", "Yes"), ("no", "No")], hint, radios=True)


def checkbox(label: str, hint: str = "") -> forms.Field:
    return _field(forms.BooleanField(label=label, required=False), "checkbox", hint)


def area_choices() -> Choices:
    return [(a, p.area_title(a)) for a in AREAS]


def people_choices(
    casefile: cf.CaseFile, kinds: Iterable[str] | None = None, person: bool = False
) -> Choices:
    """The person (when ``person``) and the circle members of ``kinds`` (all when None)."""
    wanted = set(kinds) if kinds is not None else None
    out: Choices = []
    if person:
        out.append((casefile.person.id, f"{casefile.person.name} (the person)"))
    for m in casefile.circle:
        if wanted is None or m.kind in wanted:
            detail = m.relationship or m.job or m.kind
            out.append((m.id, f"{m.name} ({detail})"))
    return out


STAFF_KINDS = ("staff", "professional")


class FreeChoiceField(forms.ChoiceField):
    """Offers choices but leaves judging the value to the case file's validation, so a
    stale or hand-made value gets the import's message ("unknown area 'x'")."""

    def valid_value(self, value: Any) -> bool:
        return True


class FreeMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def plain_message(message: str, what: str, field_kind: str) -> str:
    """The import's message about ``what`` in the words of a form."""
    if message in {"required field is missing", "must not be empty"}:
        if field_kind in {"checkboxes", "select", "radios"}:
            return f"Choose {what}"
        return f"Enter {what}"
    if message == "must have at least one entry":
        return f"Choose at least one option for {what}"
    if "is not a date written YYYY-MM-DD" in message or "is not a real date" in message:
        return f"Enter {what} as a real date, for example 2026-03-27"
    if message.startswith("unknown "):
        return f"Choose {what} from the list"
    return f"{what[0].upper()}{what[1:]}: {message}"


class _Options:
    def __init__(self, form: forms.Form) -> None:
        self.form = form

    def __setitem__(self, name: str, choices: Choices) -> None:
        field = self.form.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class RecordForm(forms.Form):
    """A form for one case-file record: field names are the record's own keys."""

    # Fields whose value is converted on the way to the record.
    converters: dict[str, str] = {}
    # Fields left out of the record (they are read by the view).
    excluded: frozenset[str] = frozenset()
    # Dates of something that has happened (a view given, a review held): not after the
    # day the form is filled in. A planned date (a task's start or end, a hand-over) is
    # not listed here. The case-file format itself allows later dates (docs/web.md).
    happened: tuple[str, ...] = ()
    # Dates that must fall after the record's own date: (field, the record's date field).
    after_own_date: tuple[tuple[str, str], ...] = ()

    def __init__(
        self, *args: Any, casefile: cf.CaseFile, today: dt.date | None = None, **kwargs: Any
    ) -> None:
        self.casefile = casefile
        self.today = today
        super().__init__(*args, **kwargs)
        self.setup()
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("id", f"id_{self.add_prefix(name)}")

    def setup(self) -> None:
        """Set choices that depend on the case file."""

    def typed_date(self, name: str) -> dt.date | None:
        """The date typed in ``name``, or None when it is empty or not a date (the case
        file's validation then gives its own message at the field)."""
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        try:
            return parse_user_date(value, label=str(self.fields[name].label))
        except KinwiseError:
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.today is not None:
            for name in self.happened:
                when = self.typed_date(name)
                if when is not None and when > self.today:
                    self.add_error(name, f"{self.label_of(name)} must be today or in the past")
        for name, own in self.after_own_date:
            when, start = self.typed_date(name), self.typed_date(own)
            if when is not None and start is not None and when <= start:
                self.add_error(
                    name,
                    f"{self.label_of(name)} must be after the {self.label_of(own).lower()} "
                    f"({p.long_date(start)})",
                )
        return data

    def label_of(self, name: str) -> str:
        """A field's label without its "(optional)"."""
        label = str(self.fields[name].label or name)
        return label.removesuffix(" (optional)")

    @property
    def options(self) -> _Options:
        """``form.options[name] = choices`` sets a choice field's options."""
        return _Options(self)

    def record_value(self, name: str, value: Any) -> tuple[bool, Any]:
        """(present, value) of a field as the case file wants it: empty means absent, so
        a required field left empty is reported as missing by the validation."""
        kind = getattr(self.fields[name], "kw_type", "text")
        if kind == "checkbox":
            return True, bool(value)
        if kind == "checkboxes":
            return (bool(value), list(value or []))
        if value is None:
            return False, None
        value = str(value).strip()
        if value == "":
            return False, None
        if kind == "radios" and set(dict(getattr(self.fields[name], "choices", []))) == {
            "yes",
            "no",
        }:
            return True, value == "yes"
        if kind == "number":
            return True, int(value) if _INT.fullmatch(value) else value
        if kind == "decimal":
            if _INT.fullmatch(value):
                return True, int(value)
            return True, float(value) if _DECIMAL.fullmatch(value) else value
        if self.converters.get(name) == "lines":
            return True, [line.strip() for line in value.splitlines() if line.strip()]
        return True, value

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {}
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        for name in self.fields:
            if name in self.excluded:
                continue
            present, value = self.record_value(name, data.get(name))
            if present:
                record[name] = value
        return record

    def add_record_errors(self, errors: dict[str, list[str]]) -> None:
        """Put errors found at the record's paths (``present[1]``) on the fields, each in
        the form's words: naming its field, never a path, an id or a code."""
        for rest, messages in errors.items():
            name = re.split(r"[.\[]", rest, maxsplit=1)[0] if rest else ""
            target = name if name in self.fields else None
            for message in messages:
                words = self.form_message(message, target)
                if target is None and name:  # a field the form does not show: named in words
                    words = f"{field_words(name)}: {words[:1].lower()}{words[1:]}"
                self.add_error(target, words)

    def form_message(self, message: str, name: str | None = None) -> str:
        """A validation message of the case file in the words of this form: at a field it
        starts with the field's label ("Recorded by: choose one of the options")."""
        words = RecordWords(self.casefile).message(message)
        if name is None:
            return words[:1].upper() + words[1:]
        kind = str(getattr(self.fields[name], "kw_type", "text"))
        choice = kind in {"checkboxes", "select", "radios"}
        if message in {"required field is missing", "must not be empty"}:
            words = "choose one of the options" if choice else "enter this"
        elif message == "must have at least one entry":
            words = "choose at least one"
        elif "is not a date written YYYY-MM-DD" in message or "is not a real date" in message:
            words = "enter a real date, for example 2026-03-27"
        elif message.startswith("unknown ") and choice:
            words = "choose one of the options"
        elif (order := _NOT_BEFORE.fullmatch(message)) is not None:
            words = self.not_before_words(order["earlier"], dt.date.fromisoformat(order["day"]))
        return f"{self.label_of(name)}: {words}"

    def not_before_words(self, earlier: str, day: dt.date) -> str:
        """ "must not be before the date it was raised (6 March 2026)": the earlier field by
        its label on this form, the day in words (never a field name or an ISO date)."""
        if earlier in self.fields:
            label = self.label_of(earlier)
            return f"must not be before the {label[:1].lower()}{label[1:]} ({p.long_date(day)})"
        return f"must not be before {p.long_date(day)}"

    @staticmethod
    def initial_from(record: cf.Record) -> dict[str, Any]:
        """A record as the form's initial data."""
        data = record.model_dump(mode="json")
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, bool):
                out[key] = "yes" if value else "no"
            elif (
                isinstance(value, list) and value and isinstance(value[0], str) or value is not None
            ):
                out[key] = value
        return out


class CommunicationForm(RecordForm):
    methods = multi(
        "How does the person communicate?",
        [(m, p.method_label(m).capitalize()) for m in METHODS],
        "Select every method they use.",
    )
    notes = long_text("Notes for anyone supporting them", "What helps, and what to avoid.")


class VoiceForm(RecordForm):
    happened = ("date",)
    date = date_field("Date the view was given")
    area = choice_field("Decision area (optional)", [])
    method = choice_field("Method used", [(m, p.method_label(m).capitalize()) for m in METHODS])
    setting = choice_field(
        "Setting",
        [(k, v.capitalize()) for k, v in p.SETTING_LABELS.items()],
        "Gathered separately means no family member was present.",
        radios=True,
    )
    captured_by = choice_field("Recorded by", [])
    present = multi("Who was present", [])
    direct = yes_no(
        "Is this the person's own expression?",
        "Choose no when someone else is reporting what they think the person wants.",
    )
    summary = long_text("What the person said or showed", "In their words, as they said it.")

    def setup(self) -> None:
        self.options["area"] = [("", "Not about one area")] + area_choices()
        self.options["captured_by"] = [("", "Choose")] + people_choices(
            self.casefile, ("staff", "advocate", "professional")
        )
        self.options["present"] = people_choices(self.casefile, person=True)
        name = self.casefile.person.name
        self.fields["direct"].label = f"Is this {name}'s own expression?"
        self.fields["summary"].label = f"What {name} said or showed"


class MeetingForm(RecordForm):
    happened = ("date",)
    date = date_field("Date of the meeting")
    kind = choice_field("Kind of meeting", [(k, v) for k, v in p.MEETING_KIND_LABELS.items()])
    attendees = multi("Who attended", [])
    facilitator = choice_field(
        "Facilitator",
        [],
        "Someone who attended and is not family, so that everyone is heard.",
    )
    reviews_tasks = multi(
        "Governance tasks reviewed (partnership reviews only)", [], "Leave empty otherwise."
    )

    def setup(self) -> None:
        self.options["attendees"] = people_choices(self.casefile, person=True)
        self.options["facilitator"] = [("", "No facilitator")] + people_choices(self.casefile)
        self.options["reviews_tasks"] = [
            (
                t.id,
                f"{p.task_label(t.task).capitalize()} held by {p.Names(self.casefile)(t.holder)}",
            )
            for t in self.casefile.plan.tasks
        ]


class ContributionForm(RecordForm):
    by = choice_field("Who spoke", [])
    on_behalf_of = choice_field("Speaking for", [])
    area = choice_field("About", [])
    text = long_text("What was said")

    def setup(self) -> None:
        self.options["by"] = [("", "Choose")] + people_choices(self.casefile, person=True)
        self.options["on_behalf_of"] = [
            ("", "Themselves"),
            (self.casefile.person.id, f"{self.casefile.person.name} (speaking for them)"),
        ]
        self.options["area"] = [("", "General")] + area_choices()


class DecisionForm(RecordForm):
    area = choice_field("Decision area", [])
    outcome = long_text("What was decided")
    persons_view = choice_field("The person's view", [], "A voice record of what they said.")
    disagreement = checkbox("Someone disagreed with this decision")
    rationale = long_text("Why this was decided", "Needed when someone disagreed.")
    evidence = multi("Evidence", [], "The records the decision rests on.")

    def setup(self) -> None:
        cfile = self.casefile
        self.options["area"] = [("", "Choose")] + area_choices()
        self.fields["persons_view"].label = f"{cfile.person.name}'s view"
        self.options["persons_view"] = [("", "Not recorded")] + [
            (v.id, f"{p.long_date(v.date)}, {p.method_label(v.method)}: {v.summary[:60]}")
            for v in sorted(cfile.voice, key=lambda v: v.date, reverse=True)
        ]
        self.options["evidence"] = evidence_choices(cfile)


# How an evidence choice names a record, for the kinds whose name is not "<title> of <date>".
_EVIDENCE_WORDS: dict[str, Callable[[Any], str]] = {
    "voice": lambda v: f"View of {p.long_date(v.date)}: {v.summary[:60]}",
    "risk_assessment": lambda r: f"Risk assessment of {p.long_date(r.date)}: {r.activity}",
}


def evidence_choices(cfile: cf.CaseFile) -> Choices:
    """The records a decision may cite: those of every kind the registry marks as evidence."""
    out: Choices = []
    for spec in RECORD_KINDS:
        if not spec.evidence:
            continue
        words = _EVIDENCE_WORDS.get(spec.name)
        for record in spec.records(cfile):
            ident: str = record.id  # type: ignore[attr-defined]
            if words is not None:
                out.append((ident, words(record)))
            elif spec.name == "graded_trial":
                out.append((ident, trial_words(cfile, record.id)))  # type: ignore[attr-defined]
            else:
                when = p.long_date(getattr(record, "date", None))
                out.append((ident, f"{spec.title} of {when}"))
    # two records of one kind and day are told apart by their place in the list
    counts: dict[str, int] = {}
    for _, label in out:
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str, int] = {}
    numbered: Choices = []
    for ident, label in out:
        if counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} ({seen[label]} of {counts[label]})"
        numbered.append((ident, label))
    return numbered


def trial_words(cfile: cf.CaseFile, trial_id: str) -> str:
    """A graded trial as staff name it: by the activity of its risk assessment."""
    trial = next((t for t in cfile.graded_trials if t.id == trial_id), None)
    risk = next(
        (r for r in cfile.risk_assessments if trial and r.id == trial.risk_assessment), None
    )
    if risk is None:
        return "Graded trial"
    return f"Graded trial: {risk.activity} (risk assessment of {p.long_date(risk.date)})"


class ConsentForm(RecordForm):
    happened = ("date", "withdrawn")
    kind = choice_field("What is consented to", list(p.CONSENT_LABELS.items()), radios=True)
    given_by = choice_field(
        "Given by", [], "The person, or a family member holding a legal authority."
    )
    to = multi("Given to", [], "For sharing information or delegating a decision.")
    areas = multi("Decision areas", [], "For sharing information or delegating a decision.")
    date = date_field("Date given")
    withdrawn = date_field("Date withdrawn (optional)")

    def setup(self) -> None:
        self.options["given_by"] = [("", "Choose")] + people_choices(
            self.casefile, FAMILY_KINDS, person=True
        )
        self.options["to"] = people_choices(self.casefile, FAMILY_KINDS)
        self.options["areas"] = area_choices()


class DateForm(RecordForm):
    on = date_field("Date")


# The longest reason for taking a record out as entered in error.
REASON_LENGTH = 2000


class CorrectionForm(RecordForm):
    """Why a record is taken out as entered in error (kept in its history)."""

    reason = long_text(
        "Why was it entered in error?",
        "For example: recorded on the wrong person, or a duplicate of another record.",
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError("Say why this record was entered in error")
        if len(reason) > REASON_LENGTH:
            raise forms.ValidationError(f"The reason must be {REASON_LENGTH:,} characters or fewer")
        return reason


class AssessmentForm(RecordForm):
    """The outcome is not asked: it follows from the answers (casefile.md, Assessment)."""

    happened = ("date",)
    after_own_date = (("review_by", "date"),)

    area = choice_field("Decision area", [])
    decision = long_text("The decision being assessed", "Capacity is decision-specific.")
    date = date_field("Date of the assessment")
    assessor = choice_field("Assessed by", [])
    impairment = yes_no("Is there an impairment of, or disturbance in, the mind or brain?")
    understand = yes_no("Can the person understand the information relevant to the decision?")
    retain = yes_no("Can they retain that information long enough to decide?")
    weigh = yes_no("Can they use or weigh it as part of deciding?")
    communicate = yes_no("Can they communicate their decision, by any means?")
    support_given = long_text(
        "Support given to help them decide",
        "The practicable steps taken, such as easy read or a quieter time.",
    )
    review_by = date_field("Review by (optional)")

    def setup(self) -> None:
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["assessor"] = [("", "Choose")] + people_choices(self.casefile, STAFF_KINDS)

    def to_record(self) -> dict[str, Any]:
        record = super().to_record()
        answers = [record.get(k) for k in ("understand", "retain", "weigh", "communicate")]
        if all(isinstance(a, bool) for a in answers) and isinstance(record.get("impairment"), bool):
            lacks = record["impairment"] and not all(answers)
            record["outcome"] = "lacks_capacity" if lacks else "has_capacity"
        return record


class BestInterestsForm(RecordForm):
    happened = ("date",)
    area = choice_field("Decision area", [])
    decision = long_text("The decision made")
    date = date_field("Date of the decision")
    decision_maker = choice_field("Decision-maker", [])
    capacity_assessment = choice_field("The capacity assessment it follows", [])
    consulted = multi("Who was consulted", [])
    persons_wishes = long_text("The person's wishes and feelings")
    less_restrictive_options = long_text("Less restrictive options considered")

    def setup(self) -> None:
        cfile = self.casefile
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["decision_maker"] = [("", "Choose")] + people_choices(cfile, STAFF_KINDS)
        self.options["capacity_assessment"] = [("", "Choose")] + [
            (a.id, f"{a.decision} ({p.long_date(a.date)})") for a in cfile.capacity_assessments
        ]
        self.options["consulted"] = people_choices(cfile)
        self.fields["persons_wishes"].label = f"{cfile.person.name}'s wishes and feelings"


class AuthorityForm(RecordForm):
    happened = ("registered", "revoked")
    holder = choice_field("Held by", [])
    kind = choice_field("Kind", list(p.AUTHORITY_LABELS.items()), radios=True)
    registered = date_field(
        "Date registered or ordered",
        "When the LPA was registered with the Office of the Public Guardian, or the date of the court's order.",
    )
    reference = text_field("Reference (optional)", max_length=200)
    areas = multi(
        "Decision areas covered", [], "Leave empty for an LPA covering every area of its kind."
    )
    revoked = date_field("Date revoked (optional)")

    def setup(self) -> None:
        self.options["holder"] = [("", "Choose")] + people_choices(self.casefile, FAMILY_KINDS)
        self.options["areas"] = area_choices()

    def record_value(self, name: str, value: Any) -> tuple[bool, Any]:
        present, result = super().record_value(name, value)
        return present, result


SCORES: Choices = [(str(n), str(n)) for n in range(1, 6)]


class RiskForm(RecordForm):
    happened = ("date",)
    after_own_date = (("review_by", "date"),)
    area = choice_field("Decision area", [])
    activity = text_field("Activity", "What the person wants to do.")
    date = date_field("Date of the assessment")
    participants = multi("Who took part", [])
    persons_view = long_text("The person's view")
    family_view = long_text("The family's view (optional)")
    person_agrees = yes_no("Does the person agree with the agreed position?")
    agreed_position = choice_field("Agreed position", list(p.POSITION_LABELS.items()), radios=True)
    review_by = date_field("Review by")

    def setup(self) -> None:
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["participants"] = people_choices(self.casefile, person=True)
        name = self.casefile.person.name
        self.fields["persons_view"].label = f"{name}'s view"
        self.fields["person_agrees"].label = f"Does {name} agree with the agreed position?"


def score_field(label: str) -> forms.Field:
    """A 1-to-5 score of the risk matrix, chosen from a list."""
    return _field(
        FreeChoiceField(label=label, required=False, choices=[("", "Choose")] + SCORES),
        "number-select",
    )


class HazardForm(RecordForm):
    converters = {"controls": "lines"}
    hazard = text_field("Hazard")
    likelihood = score_field("Likelihood before controls (1 to 5)")
    severity = score_field("Severity before controls (1 to 5)")
    controls = long_text("Controls", "One control a line.")
    residual_likelihood = score_field("Likelihood with controls (1 to 5)")
    residual_severity = score_field("Severity with controls (1 to 5)")

    def record_value(self, name: str, value: Any) -> tuple[bool, Any]:
        if getattr(self.fields[name], "kw_type", "") == "number-select":
            if value in (None, ""):
                return False, None
            return True, int(value) if _INT.fullmatch(str(value)) else value
        return super().record_value(name, value)

    @staticmethod
    def initial_from(record: cf.Record) -> dict[str, Any]:
        data = RecordForm.initial_from(record)
        data["controls"] = "\n".join(getattr(record, "controls", []))
        for k in ("likelihood", "severity", "residual_likelihood", "residual_severity"):
            data[k] = str(data.get(k, ""))
        return data


class SessionForm(RecordForm):
    happened = ("date",)
    date = date_field("Date of the session")
    stage = choice_field("Stage", [])
    outcome = choice_field(
        "Outcome", [("completed", "Completed"), ("stopped", "Stopped")], radios=True
    )
    notes = long_text("Notes (optional)")

    def __init__(self, *args: Any, trial: cf.Trial, **kwargs: Any) -> None:
        self.trial = trial
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        self.options["stage"] = [("", "Choose")] + [
            (s.id, s.description) for s in self.trial.stages
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        when = self.typed_date("date")
        assessment = next(
            (r for r in self.casefile.risk_assessments if r.id == self.trial.risk_assessment),
            None,
        )
        if when is not None and assessment is not None and when < assessment.date:
            self.add_error(
                "date",
                "The date of the session must not be before the trial's risk assessment "
                f"({p.long_date(assessment.date)})",
            )
        return data


class HandoverForm(RecordForm):
    happened = ("agreed", "trained_on")
    to_member = choice_field("Hand to", [], "A member of staff or a professional.")
    on = date_field(
        "Date the handover takes effect",
        "The old arrangement ends and the new one starts on this date.",
    )
    agreed = date_field(
        "Date the new arrangement was agreed", "For example the date of the partnership review."
    )
    trained_on = date_field(
        "Date they were assessed competent in this task",
        "Leave empty when their training is already recorded.",
    )

    def setup(self) -> None:
        self.options["to_member"] = [("", "Choose")] + people_choices(self.casefile, STAFF_KINDS)


class RoleForm(RecordForm):
    happened = ("reviewed",)
    decides = choice_field("Who decides", [])
    supported_by = multi("Supported by", [])
    contributes = multi("Contributes", [])
    informed = multi(
        "Told about decisions", [], "Family members need the person's consent to share information."
    )
    reviewed = date_field("Date reviewed (optional)")
    changed_on = date_field(
        "Date of this change (optional)", "Today when left empty. Kept as the role's history."
    )
    change_reason = long_text(
        "Reason for the change (optional)",
        "Say why when someone's part is reduced, for example at their own request.",
    )
    excluded = frozenset({"changed_on", "change_reason"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        when = self.typed_date("changed_on")
        if self.today is not None and when is not None and when > self.today:
            self.add_error("changed_on", "Date of this change must be today or in the past")
        raw = (self.cleaned_data.get("changed_on") or "").strip()
        if raw and when is None:
            self.add_error(
                "changed_on", "Date of this change: enter a real date, for example 2026-03-27"
            )
        return data

    def setup(self) -> None:
        self.options["decides"] = [("", "Nobody named")] + people_choices(
            self.casefile, person=True
        )
        members = people_choices(self.casefile)
        for name in ("supported_by", "contributes", "informed"):
            self.options[name] = members


class MemberForm(RecordForm):
    name = text_field("Name", max_length=200)
    kind = choice_field(
        "Who they are",
        [
            ("family", "Family"),
            ("friend", "Friend"),
            ("staff", "Staff"),
            ("advocate", "Advocate"),
            ("professional", "Professional"),
        ],
        radios=True,
    )
    relationship = text_field(
        "Relationship (family and friends)", "For example, father.", max_length=200
    )
    job = text_field("Job (staff and professionals)", "For example, team leader.", max_length=200)
    informal_carer = checkbox(
        "They are an informal carer",
        "Family or a friend who gives care without being paid for it.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("informal_carer") and data.get("kind") in PAID_KINDS:
            self.add_error("informal_carer", NOT_AN_INFORMAL_CARER)
        return data


PAID_KINDS = frozenset({"staff", "advocate", "professional"})
NOT_AN_INFORMAL_CARER = (
    "Only family and friends can be informal carers: staff, advocates and professionals "
    "are paid to support"
)


class TrainingForm(RecordForm):
    happened = ("on",)
    member = choice_field("Staff member", [])
    task = choice_field("Task", [(t, p.task_label(t).capitalize()) for t in TASKS])
    on = date_field("Date assessed competent")

    def setup(self) -> None:
        self.options["member"] = [("", "Choose")] + people_choices(self.casefile, STAFF_KINDS)


def row_forms(
    form_class: type[RecordForm],
    prefix: str,
    casefile: cf.CaseFile,
    data: Any = None,
    initial: Sequence[dict[str, Any]] = (),
    extra: int = 2,
) -> list[RecordForm]:
    """Repeated rows (contributions, decisions, hazards) without JavaScript: the posted
    rows are counted from ``<prefix>-count``; ``extra`` blank rows are offered on top."""
    if data is not None:
        try:
            count = int(data.get(f"{prefix}-count", "0"))
        except ValueError:
            count = 0
        count = max(0, min(count, 200))
        if "add_rows" in data and data.get("add_rows") == prefix:
            count += 3
        return [form_class(data, casefile=casefile, prefix=f"{prefix}-{i}") for i in range(count)]
    rows = [
        form_class(casefile=casefile, prefix=f"{prefix}-{i}", initial=init)
        for i, init in enumerate(initial)
    ]
    rows += [
        form_class(casefile=casefile, prefix=f"{prefix}-{i}")
        for i in range(len(rows), len(rows) + extra)
    ]
    return rows


def filled(row: RecordForm) -> bool:
    """A row with anything typed or chosen in it (a blank row is left out)."""
    if not row.is_bound:
        return False
    for name, f in row.fields.items():
        value = (
            row.data.getlist(row.add_prefix(name))
            if hasattr(row.data, "getlist")
            else [row.data.get(row.add_prefix(name))]
        )
        if getattr(f, "kw_type", "") == "checkbox":
            continue
        if any(str(v).strip() for v in value if v is not None):
            return True
    return False


class IncidentForm(RecordForm):
    happened = ("date",)
    date = date_field("Date of the incident")
    area = choice_field("Decision area", [])
    severity = choice_field(
        "Severity",
        [
            ("none", "None"),
            ("low", "Low"),
            ("moderate", "Moderate"),
            ("high", "High"),
            ("severe", "Severe"),
        ],
        radios=True,
    )
    trial = choice_field("During a graded trial (optional)", [])
    safeguarding = checkbox("This is a safeguarding matter")
    description = long_text("What happened")

    def setup(self) -> None:
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["trial"] = [("", "Not during a trial")] + [
            (t.id, trial_words(self.casefile, t.id)) for t in self.casefile.graded_trials
        ]


class EventForm(RecordForm):
    happened = ("date",)
    date = date_field("Date")
    kind = choice_field(
        "What changed",
        [
            ("needs_change", "A change in needs"),
            ("diagnosis", "A diagnosis"),
            ("hospital_discharge", "Discharge from hospital"),
            ("medication_change", "A change of medication"),
            ("capacity_change", "A change in capacity"),
            ("complaint", "A complaint"),
            ("safeguarding_concern", "A safeguarding concern"),
            ("carer_unwell", "A family carer is unwell or unable to care"),
        ],
        radios=True,
    )
    carer = choice_field("The carer who is unwell", [], "Only for a family carer who is unwell.")
    areas = multi("Decision areas it affects", [])
    description = long_text("What happened")

    def setup(self) -> None:
        self.options["areas"] = area_choices()
        self.options["carer"] = [("", "Not about a carer")] + people_choices(
            self.casefile, FAMILY_KINDS
        )

    def form_message(self, message: str, name: str | None = None) -> str:
        # the import names the event kind by its value; the form says what to do
        plain = {
            "required field is missing: a carer_unwell event names the carer": (
                "choose the carer who is unwell"
            ),
            "only a carer_unwell event names a carer": (
                "leave this as not about a carer, or choose the kind of event for a family "
                "carer who is unwell"
            ),
        }.get(message)
        if plain is not None and name is not None:
            return f"{self.label_of(name)}: {plain}"
        return super().form_message(message, name)


class TrialForm(RecordForm):
    risk_assessment = choice_field("The risk assessment it follows", [])

    def setup(self) -> None:
        self.options["risk_assessment"] = [("", "Choose")] + [
            (r.id, f"{r.activity} ({p.long_date(r.date)})") for r in self.casefile.risk_assessments
        ]


class StageForm(RecordForm):
    description = text_field("What happens at this stage")
    support = choice_field("Support", [(k, v.capitalize()) for k, v in p.SUPPORT_LABELS.items()])
    advance_after = number_field(
        "Clean sessions before the next stage", "A whole number, 1 or more."
    )


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class AuditPeriodForm(forms.Form):
    """The day an audit is taken at and the start of its period, from the query string.

    Rules about what happened report only what falls in the period (docs/spec/rules.md,
    "The audit period"); rules about the current state judge the audit date whatever the
    period."""

    as_of = date_field("Audit date", "Leave empty for today.")
    since = date_field("Period from", "Leave empty for the year before the audit date.")

    def __init__(self, data: Any, *, today: dt.date) -> None:
        super().__init__(data)
        self.today = today

    def _date(self, name: str, label: str) -> dt.date | None:
        from kinwise.dates import parse_optional_date
        from kinwise.errors import KinwiseError

        try:
            return parse_optional_date(self.cleaned_data.get(name), label=f"the {label}")
        except KinwiseError as error:
            self.add_error(name, error.message)
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        as_of = self._date("as_of", "audit date")
        since = self._date("since", "start of the period")
        if as_of is not None and as_of > self.today:
            self.add_error("as_of", "The audit date must be today or in the past")
        audit_date = as_of or self.today
        if since is not None and since > audit_date:
            self.add_error("since", "The period must not start after the audit date")
        data["as_of_date"], data["since_date"] = as_of, since
        return data

    def period(self) -> tuple[dt.date, dt.date | None]:
        """The audit date and the period's start (None: the default year) of a valid form."""
        return self.cleaned_data["as_of_date"] or self.today, self.cleaned_data["since_date"]


class TaskForm(RecordForm):
    """A governance task given to someone in the circle (a brother giving medication)."""

    happened = ("agreed",)
    task = choice_field("Task", [(t, p.task_label(t).capitalize()) for t in TASKS])
    area = choice_field("Decision area", [])
    holder = choice_field("Held by", [])
    since = date_field(
        "Date they start holding it", "It may be ahead when the arrangement is planned."
    )
    agreed = date_field(
        "Date it was agreed (optional)", "For example the date of the partnership review."
    )

    def setup(self) -> None:
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["holder"] = [("", "Choose")] + people_choices(self.casefile)


class EmotionalSupportForm(RecordForm):
    emotional_support = multi(
        "Who gives emotional support",
        [],
        "Family and friends who support the person emotionally, whatever else they do.",
    )

    def setup(self) -> None:
        self.options["emotional_support"] = people_choices(self.casefile, FAMILY_KINDS)


class PlanVersionForm(RecordForm):
    happened = ("version_date",)
    version_date = date_field(
        "Date this version of the care plan was agreed", "For example the date of the review."
    )


class AreaForm(RoleForm):
    """A decision area added to the plan, with who decides, contributes and is told."""

    area = choice_field("Decision area", [])
    field_order = ["area", "decides", "supported_by", "contributes", "informed", "reviewed"]

    def setup(self) -> None:
        super().setup()
        held = {r.area for r in self.casefile.plan.roles}
        self.options["area"] = [("", "Choose")] + [
            (a, title) for a, title in area_choices() if a not in held
        ]


class MedicineForm(RecordForm):
    name = text_field("Medicine", "Its name and strength, as on the label.", max_length=200)
    doses_per_day = decimal_field("Doses a day", "Use 0 for a medicine taken only when needed.")
    route = choice_field(
        "How it is taken",
        [
            ("oral", "By mouth"),
            ("topical", "On the skin"),
            ("inhaled", "Inhaled"),
            ("injection", "Injection"),
            ("enteral", "Through a feeding tube"),
            ("other", "Another way"),
        ],
        radios=True,
    )
    time_critical = checkbox("Time-critical", "It must be given at a set time.")
    controlled = checkbox("A controlled drug")
    prn = checkbox("Taken only when needed")
    started = date_field("Date started (optional)")
    stopped = date_field("Date stopped (optional)", "Leave empty while it is still taken.")


class MedicationAuditForm(RecordForm):
    happened = ("date",)
    date = date_field("Date of the audit")
    auditor = choice_field("Audited by", [])
    doses_checked = number_field("Doses checked", "A whole number, 1 or more.")
    # The record's ``errors`` (a form's own ``errors`` is its validation errors).
    errors_found = number_field("Errors found", "A whole number, 0 or more.")

    def setup(self) -> None:
        self.options["auditor"] = [("", "Choose")] + people_choices(self.casefile, STAFF_KINDS)

    def to_record(self) -> dict[str, Any]:
        record = super().to_record()
        if "errors_found" in record:
            record["errors"] = record.pop("errors_found")
        return record

    def add_record_errors(self, errors: dict[str, list[str]]) -> None:
        renamed = {("errors_found" if k == "errors" else k): v for k, v in errors.items()}
        super().add_record_errors(renamed)

    @staticmethod
    def initial_from(record: cf.Record) -> dict[str, Any]:
        data = RecordForm.initial_from(record)
        if "errors" in data:
            data["errors_found"] = str(data.pop("errors"))
        return data


# --- the kinds of format version 2 (docs/spec/casefile-v2.md) ---------------------------------


class GroupedForm(RecordForm):
    """A form whose record holds parts of its own (a concern's response, a goal's
    reviews): ``groups`` maps each part to {form field: the part's key}. A part listed in
    ``appended`` is a list: the form adds one entry to the entries the record already has
    (kept on a change, :meth:`merged`); errors at any entry go on the form's fields."""

    groups: dict[str, dict[str, str]] = {}
    appended: frozenset[str] = frozenset()

    def to_record(self) -> dict[str, Any]:
        record = super().to_record()
        for part, fields in self.groups.items():
            entry = {key: record.pop(name) for name, key in fields.items() if name in record}
            typed = {k: v for k, v in entry.items() if not (k == "evidence" and v == [])}
            if typed:
                record[part] = [entry] if part in self.appended else entry
        return record

    def merged(self, record: dict[str, Any], existing: cf.Record | None) -> dict[str, Any]:
        """``record`` with the entries of the appended parts the record already has."""
        if existing is None:
            return record
        data = existing.model_dump(mode="json", exclude_none=True)
        for part in self.appended:
            before = data.get(part) or []
            record[part] = [*before, *record.get(part, [])]
            if not record[part]:
                record.pop(part)
        return record

    def add_record_errors(self, errors: dict[str, list[str]]) -> None:
        placed: dict[str, list[str]] = {}
        for rest, messages in errors.items():
            target = rest
            for part, fields in self.groups.items():
                match = re.match(rf"{part}(?:\[\d+\])?(?:\.([a-z_]+))?", rest)
                if match and (rest == part or rest[len(part)] in ".["):
                    inner = match.group(1)
                    names = [n for n, key in fields.items() if key == inner] or list(fields)
                    target = names[0]
            placed.setdefault(target, []).extend(messages)
        super().add_record_errors(placed)

    @classmethod
    def grouped_initial(cls, record: cf.Record) -> dict[str, Any]:
        data = RecordForm.initial_from(record)
        for part, fields in cls.groups.items():
            value = data.pop(part, None)
            if part in cls.appended or not isinstance(value, dict):
                continue
            for name, key in fields.items():
                if key in value:
                    data[name] = value[key]
        return data


def _meeting_risk_task_choices(cfile: cf.CaseFile) -> Choices:
    out: Choices = [("", "Nothing in particular")]
    out += [(m.id, f"The meeting of {p.long_date(m.date)}") for m in cfile.meetings]
    out += [
        (r.id, f"The risk assessment of {r.activity} ({p.long_date(r.date)})")
        for r in cfile.risk_assessments
    ]
    out += [
        (t.id, f"The task: {p.task_label(t.task)} ({p.area_label(t.area)})")
        for t in cfile.plan.tasks
    ]
    return out


CONCERN_STAGES: Choices = [
    ("local_resolution", "Local resolution"),
    ("best_interests_meeting", "A best-interests meeting"),
    ("advocacy", "Advocacy (an advocate, or an IMCA requested)"),
    ("mediation", "Mediation"),
    ("ombudsman_signposted", "The ombudsman or the regulator signposted"),
    ("court_of_protection", "The Court of Protection"),
]


class ConcernForm(GroupedForm):
    """A complaint, concern or disagreement and the route it takes."""

    happened = (
        "date",
        "acknowledged",
        "response_date",
        "delay_date",
        "imca_referral",
        "stage_date",
        "closed",
    )
    groups = {
        "response": {"response_date": "date", "response_by": "by", "response_text": "text"},
        "delay": {"delay_date": "date", "delay_reason": "reason"},
        "stages": {"stage_stage": "stage", "stage_date": "date", "stage_notes": "notes"},
    }
    appended = frozenset({"stages"})
    kind = choice_field(
        "What it is",
        [
            ("complaint", "A complaint"),
            ("concern", "A concern"),
            ("disagreement", "A disagreement"),
        ],
        radios=True,
    )
    raised_by = choice_field("Raised by", [])
    date = date_field("Date it was raised")
    area = choice_field("Decision area it is about", [])
    about = choice_field("What it is about (optional)", [])
    decision = checkbox(
        "It is about the decision on this area made at that meeting",
        "Only when it is about a meeting.",
    )
    acknowledged = date_field("Date it was acknowledged (optional)")
    response_date = date_field("Date of the written response (optional)")
    response_by = choice_field("Response written by (optional)", [])
    response_text = long_text("The reasoned response (optional)")
    delay_date = date_field("Date a reason for delay was recorded (optional)")
    delay_reason = long_text("Reason the response is late (optional)")
    imca_referral = date_field(
        "Date an IMCA was requested (optional)",
        "An Independent Mental Capacity Advocate, where the person lacks capacity and has no "
        "one else appropriate to consult.",
    )
    stage_stage = choice_field("A stage it has reached (optional)", CONCERN_STAGES)
    stage_date = date_field("Date it reached that stage (optional)")
    stage_notes = text_field("Notes on that stage (optional)")
    closed = date_field("Date it was closed (optional)")
    outcome = long_text("Outcome (optional)")
    next_stage_told = checkbox("The person who raised it was told of the next stage open to them")

    def setup(self) -> None:
        self.options["raised_by"] = [("", "Choose")] + people_choices(self.casefile, person=True)
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["about"] = _meeting_risk_task_choices(self.casefile)
        self.options["response_by"] = [("", "Choose")] + people_choices(self.casefile, STAFF_KINDS)

    @staticmethod
    def initial_from(record: cf.Record) -> dict[str, Any]:
        return ConcernForm.grouped_initial(record)


CARER_ASSESSMENTS: Choices = [
    ("not_offered", "Not offered yet"),
    ("offered", "Offered"),
    ("referred", "Referred to the local authority"),
    ("declined", "Declined"),
]


class CarerPlanForm(GroupedForm):
    """A family carer's plan: willing and able, their assessment, a contingency per task."""

    happened = ("date", "asked", "assessment_date", "used_date", "reviewed")
    groups = {
        "contingencies": {
            "contingency_task": "task",
            "contingency_steps_in": "steps_in",
            "contingency_contact": "contact",
        },
        "used": {"used_date": "date", "used_task": "task", "used_notes": "notes"},
    }
    appended = frozenset({"contingencies", "used"})
    carer = choice_field("Carer", [])
    date = date_field("Date the plan was made")
    asked = date_field("Date they were last asked if they are willing and able (optional)")
    willing = yes_no("Are they willing to go on? (optional)")
    able = yes_no("Are they able to go on? (optional)")
    assessment = choice_field("Carer's assessment", CARER_ASSESSMENTS, radios=True)
    assessment_date = date_field("Date of the carer's assessment step (optional)")
    contingency_task = choice_field("Add a contingency for a task they hold (optional)", [])
    contingency_steps_in = choice_field("Who steps in (optional)", [])
    contingency_contact = text_field("How they are reached (optional)")
    used_date = date_field("Date a contingency was used (optional)")
    used_task = choice_field("The task it was used for (optional)", [])
    used_notes = text_field("Notes on its use (optional)")
    reviewed = date_field("Date the plan was reviewed (optional)")

    def setup(self) -> None:
        self.options["carer"] = [("", "Choose")] + people_choices(self.casefile, FAMILY_KINDS)
        tasks = [("", "Choose")] + [
            (t.id, f"{p.task_label(t.task).capitalize()} ({p.area_label(t.area)})")
            for t in self.casefile.plan.tasks
        ]
        self.options["contingency_task"] = tasks
        self.options["used_task"] = tasks
        self.options["contingency_steps_in"] = [("", "Choose")] + people_choices(self.casefile)

    @staticmethod
    def initial_from(record: cf.Record) -> dict[str, Any]:
        return CarerPlanForm.grouped_initial(record)


class GoalForm(GroupedForm):
    """A goal in the person's own words, and its reviews."""

    happened = ("date", "review_date", "ended")
    groups = {
        "reviews": {
            "review_date": "date",
            "review_score": "score",
            "review_evidence": "evidence",
            "review_notes": "notes",
        }
    }
    appended = frozenset({"reviews"})
    words = long_text("The goal in the person's own words")
    date = date_field("Date it was set")
    area = choice_field("Decision area", [])
    set_by = choice_field("Set by", [])
    person_agrees = yes_no(
        "Does the person agree with it? (optional)", "Only for a goal someone else set."
    )
    baseline = number_field("Where they are at the start", "A whole number from 0 to 10.")
    review_every = number_field(
        "Review it every (days, optional)", "A whole number, 1 or more. 90 when left empty."
    )
    review_date = date_field("Date of a review (optional)")
    review_score = number_field("Score at that review (optional)", "A whole number from 0 to 10.")
    review_evidence = multi("Evidence for that score (optional)", [])
    review_notes = text_field("Notes on that review (optional)")
    ended = date_field("Date it was achieved or set aside (optional)")

    def setup(self) -> None:
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["set_by"] = [("", "Choose")] + people_choices(self.casefile, person=True)
        self.options["review_evidence"] = evidence_choices(self.casefile)

    @staticmethod
    def initial_from(record: cf.Record) -> dict[str, Any]:
        return GoalForm.grouped_initial(record)


class RestrictionForm(RecordForm):
    """A restriction on the person, on its legal basis, with its review date."""

    happened = ("date", "ended")
    after_own_date = (("review_by", "date"),)
    what = long_text("What is restricted")
    date = date_field("Date it began")
    area = choice_field("Decision area", [])
    proposed_by = choice_field("Proposed by", [])
    basis = choice_field(
        "Legal basis (optional)",
        [
            ("consent", "The person's own consent"),
            ("best_interests", "A best-interests decision"),
            ("authority", "An attorney's or deputy's decision"),
            ("court_order", "A court order"),
        ],
        radios=True,
    )
    basis_record = choice_field("The record the basis rests on (optional)", [])
    alternatives = long_text("Less restrictive alternatives considered (optional)")
    review_by = date_field("Review by")
    ended = date_field("Date it ended (optional)")
    replaced_by = choice_field("Replaced by a graded trial (optional)", [])

    def setup(self) -> None:
        cfile = self.casefile
        self.options["area"] = [("", "Choose")] + area_choices()
        self.options["proposed_by"] = [("", "Choose")] + people_choices(cfile, person=True)
        self.options["basis_record"] = (
            [("", "None")]
            + [(c.id, f"A consent of {p.long_date(c.date)}") for c in cfile.consents]
            + [
                (
                    b.id,
                    f"The best-interests decision of {p.long_date(b.date)} ({p.area_label(b.area)})",
                )
                for b in cfile.best_interests
            ]
            + [
                (a.id, f"A legal authority: {p.AUTHORITY_LABELS.get(a.kind, a.kind)}")
                for a in cfile.legal_authorities
            ]
        )
        self.options["replaced_by"] = [("", "Not replaced")] + [
            (t.id, trial_words(cfile, t.id)) for t in cfile.graded_trials
        ]
