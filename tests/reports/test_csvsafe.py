"""CSV exports are safe from formula injection (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io

import pytest

from kinwise.reports.csvsafe import SafeWriter, csv_cell


@pytest.mark.parametrize(
    "value, written",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("voice_balance_family", "voice_balance_family"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (12, 12),
    ],
)
def test_cells_that_a_spreadsheet_would_run_get_a_leading_apostrophe(
    value: object, written: object
) -> None:
    assert csv_cell(value) == written


def test_the_safe_writer_neutralises_every_cell_of_a_row() -> None:
    out = io.StringIO()
    SafeWriter(out, lineterminator="\n").writerow(["=1+1", "ok", 5, "@x"])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "ok", "5", "'@x"]]
