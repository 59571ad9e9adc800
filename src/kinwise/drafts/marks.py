"""The mark on a form view whose input is kept: a draft while typing, and when it is sent
after the session ended (read by kinwise.accounts' session middleware by its name)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

KEEPS_INPUT = "kinwise_keeps_input"

V = TypeVar("V", bound=Callable[..., Any])


def keeps_input(view: V) -> V:
    """Mark ``view`` (a form about one person, with a ``person_pk`` in its address) as one
    whose input is kept."""
    setattr(view, KEEPS_INPUT, True)
    return view


def keeps_input_of(view: Any) -> bool:
    return bool(getattr(view, KEEPS_INPUT, False))
