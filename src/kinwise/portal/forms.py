"""The portal's forms and the staff's forms about portal accounts. Each field carries
its type and hint for the shared field template (``web/includes/field.html``)."""

from __future__ import annotations

from typing import Any

from django import forms

from kinwise.casefile.vocab import AREAS
from kinwise.reports.easyread import EASY_AREAS


def _typed(field: forms.Field, kind: str, hint: str = "") -> forms.Field:
    field.kw_type = kind  # type: ignore[attr-defined]
    field.kw_hint = hint  # type: ignore[attr-defined]
    return field


class KwForm(forms.Form):
    def summary(self) -> list[tuple[str, str]]:
        """The error summary's links: each field's first error."""
        return [
            (self[name].auto_id or name, str(errors[0]))
            for name, errors in self.errors.items()
            if name in self.fields
        ]


class SayForm(KwForm):
    def __init__(self, *args: Any, helpers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"] = _typed(
            forms.CharField(
                label="What I want to say",
                max_length=5000,
                required=True,
                error_messages={"required": "Write what you want to say"},
            ),
            "textarea",
            "Say it your way. Someone can help you write it.",
        )
        self.fields["area"] = _typed(
            forms.ChoiceField(
                label="What is it about? (you can leave this)",
                choices=[("", "Something else"), *((a, EASY_AREAS[a]) for a in AREAS)],
                required=False,
            ),
            "select",
        )
        self.fields["helped_by"] = _typed(
            forms.MultipleChoiceField(
                label="Who helped me (you can leave this)", choices=helpers, required=False
            ),
            "checkboxes",
        )


class InviteForm(KwForm):
    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = _typed(
            forms.ChoiceField(
                label="Who to invite",
                choices=[("", "Choose someone"), *members],
                error_messages={"required": "Choose who to invite"},
            ),
            "select",
        )
        self.fields["username"] = _typed(
            forms.CharField(label="Their user name", max_length=150, required=False),
            "text",
            "Not needed when their email address already has a login here: the file is added to it.",
        )
        self.fields["email"] = _typed(
            forms.CharField(
                label="Their email address",
                max_length=254,
                error_messages={"required": "Enter an email address"},
            ),
            "text",
            "We email them a link to set their password. The email has no names in it.",
        )


class ConfirmForm(KwForm):
    def __init__(
        self,
        *args: Any,
        staff: list[tuple[str, str]],
        methods: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["captured_by"] = _typed(
            forms.ChoiceField(
                label="You are",
                choices=[("", "Choose yourself"), *staff],
                error_messages={"required": "Choose yourself from the staff in their circle"},
            ),
            "select",
        )
        self.fields["method"] = _typed(
            forms.ChoiceField(
                label="How they said it",
                choices=[("", "Choose one of their ways of communicating"), *methods],
                error_messages={"required": "Choose how they said it"},
            ),
            "select",
        )


class FamilyViewForm(KwForm):
    """A relative's own view, before a meeting or on a risk assessment."""

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, str]],
        about: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = _typed(
            forms.ChoiceField(
                label="What it is about",
                choices=[("", "Choose a part of their life"), *areas],
                error_messages={"required": "Choose what your view is about"},
            ),
            "select",
        )
        self.fields["about"] = _typed(
            forms.ChoiceField(
                label="For a meeting or a risk assessment (you can leave this)",
                choices=[("", "Neither"), *about],
                required=False,
            ),
            "select",
        )
        self.fields["text"] = _typed(
            forms.CharField(
                label="Your view",
                max_length=5000,
                error_messages={"required": "Write your view"},
            ),
            "textarea",
            "It is kept as your view, with your name and the date. It is never written down "
            "as what the person said.",
        )


class ConcernForm(KwForm):
    """A relative raises a concern, a complaint or a disagreement."""

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = _typed(
            forms.ChoiceField(
                label="What is it?",
                choices=[
                    ("concern", "A worry or concern"),
                    ("disagreement", "I disagree with a decision"),
                    ("complaint", "A complaint"),
                ],
                error_messages={"required": "Choose what it is"},
            ),
            "radios",
        )
        self.fields["area"] = _typed(
            forms.ChoiceField(
                label="What it is about",
                choices=[("", "Choose a part of their life"), *areas],
                error_messages={"required": "Choose what it is about"},
            ),
            "select",
        )
        self.fields["text"] = _typed(
            forms.CharField(
                label="Tell us about it",
                max_length=5000,
                error_messages={"required": "Tell us what your concern is"},
            ),
            "textarea",
            "The registered manager will see it and reply. It is kept with your name and the date.",
        )
