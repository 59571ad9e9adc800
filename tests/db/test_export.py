from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kinwise.casefile.load import casefile_to_data
from kinwise.core.models import Service
from kinwise.records.models import Person
from kinwise.records.selectors import casefile_export
from kinwise.records.services import casefile_import
from tests.conftest import EXAMPLES


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXAMPLES)
def test_export_of_an_import_describes_the_same_records(
    name: str, example: Callable[[str], Any], riverside: Service
) -> None:
    original = example(name)
    casefile_import(casefile=original, service=riverside, actor=None)

    exported = casefile_export(person=Person.objects.get())

    expected = casefile_to_data(original)
    assert expected.pop("as_of")  # every example has one; exports carry none
    expected["service"] = {"id": "riverside", "name": "Riverside Supported Living"}
    assert casefile_to_data(exported) == expected


@pytest.mark.django_db
def test_export_after_a_reimport_is_the_later_file(
    example: Callable[[str], Any], oakfield: Service
) -> None:
    casefile_import(casefile=example("02-vocal-relative.before.yaml"), service=oakfield, actor=None)
    later = example("02-vocal-relative.yaml")
    casefile_import(casefile=later, service=oakfield, actor=None)

    expected = casefile_to_data(later)
    expected.pop("as_of")
    assert casefile_to_data(casefile_export(person=Person.objects.get())) == expected


@pytest.mark.django_db
def test_export_reads_a_fixed_number_of_queries(
    example: Callable[[str], Any],
    riverside: Service,
    django_assert_num_queries: Any,
) -> None:
    casefile_import(
        casefile=example("01-risk-and-independence.yaml"), service=riverside, actor=None
    )
    person = Person.objects.get()
    # the person (with service) and the documents of their current records
    with django_assert_num_queries(2):
        casefile_export(person=person)
