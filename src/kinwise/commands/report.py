"""`kinwise report`: evidence for commissioners and inspectors from stored records.

    kinwise report person PERSON [--service ID] [--organisation SLUG] [--as-of D]
                   [--format html|pdf] [--out FILE] [--corrected]
    kinwise report service ID [--organisation SLUG] --from D --to D
                   [--format html|pdf|csv] [--out FILE] [--corrected]

A past day (``--as-of``, or a period ending before today) reads the records as they were
recorded at the end of that day, UK time (docs/rules.md, "The past as recorded"), so the
same command gives the same bytes whatever is edited later; ``--corrected`` reads today's
records less anything dated later (the corrections made since).

``report person`` writes the person's evidence pack (PERSON: a case-file id, or ``#12``,
the number the web shows), ``report service`` the de-identified service report (counts
and rates, no names); each on stdout or to ``--out FILE`` (a PDF needs ``--out``). The
former ``--pdf FILE`` still works: it is ``--format pdf --out FILE``. Dates are written
YYYY-MM-DD; errors go to stderr with exit status 2.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from kinwise.commands.output import add_out
from kinwise.commands.output import write_out as _write
from kinwise.dates import parse_user_date
from kinwise.errors import ErrorCode, KinwiseError

CORRECTED_HELP = (
    "about a past day: today's records with the corrections made since (default: as "
    "recorded at the end of the day)"
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report", help="evidence packs and the commissioners' service report"
    )
    kinds = parser.add_subparsers(dest="report", required=True, metavar="person|service")
    person = kinds.add_parser("person", help="a person's evidence pack (HTML or PDF)")
    person.add_argument(
        "person", metavar="PERSON", help="the person's case-file id, or #12 (the web's number)"
    )
    person.add_argument("--service", metavar="ID", help="the person's service (when ids repeat)")
    person.add_argument("--organisation", metavar="SLUG", help="the service's organisation")
    person.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="evidence date")
    person.add_argument("--format", choices=("html", "pdf"), default="html")
    add_out(person)
    person.add_argument("--pdf", type=Path, metavar="FILE", help=argparse.SUPPRESS)
    person.add_argument("--corrected", action="store_true", help=CORRECTED_HELP)
    person.set_defaults(handler=run)
    service = kinds.add_parser("service", help="the de-identified service report")
    service.add_argument("service", metavar="ID", help="the service's id")
    service.add_argument("--organisation", metavar="SLUG", help="the service's organisation")
    service.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    service.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    service.add_argument("--format", choices=("html", "pdf", "csv"), default="html")
    add_out(service)
    service.add_argument("--corrected", action="store_true", help=CORRECTED_HELP)
    service.set_defaults(handler=run)


def _date(value: str | None, option: str) -> date | None:
    """The date of an option, as typed (kinwise.dates); None when the option is absent."""
    return None if value is None else parse_user_date(value, label=f"the {option} date")


def _today() -> date:
    return date.today()  # noqa: TID251 - the command line is where the clock is read


def run(args: argparse.Namespace) -> int:
    if args.report == "person":
        return _person(args)
    return _service(args)


def _person(args: argparse.Namespace) -> int:
    if args.pdf is not None:
        if args.out is not None and args.out != args.pdf:
            raise KinwiseError(ErrorCode.USAGE, "give --out FILE (--pdf is its former name)")
        args.format, args.out = "pdf", args.pdf
    if args.format == "pdf" and args.out is None:
        raise KinwiseError(ErrorCode.USAGE, "a PDF report needs --out FILE")
    as_of = _date(args.as_of, "--as-of") or _today()
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.records.selectors import person_for_export
    from kinwise.reports.pdf import html_to_pdf
    from kinwise.reports.views import build_person_pack, person_pack_document

    person = person_for_export(
        person=args.person, service=args.service, organisation=args.organisation
    )
    from kinwise.access.command_line import command_read_people

    command_read_people(people=[person], command="report person")
    pack = build_person_pack(
        person=person, as_of=as_of, as_recorded=not args.corrected, today=_today()
    )
    html = person_pack_document(pack)
    _write(html_to_pdf(html) if args.format == "pdf" else html, args.out)
    return 0


def _service(args: argparse.Namespace) -> int:
    start = _date(args.start, "--from")
    end = _date(args.end, "--to")
    assert start is not None and end is not None
    if args.format == "pdf" and args.out is None:
        raise KinwiseError(ErrorCode.USAGE, "a PDF report needs --out FILE")
    from kinwise.reports.measures import Period, report_period_problem

    period = Period(start, end)
    too_long = report_period_problem(start, end)
    if too_long is not None:
        raise KinwiseError(ErrorCode.USAGE, f"--from: {too_long[0].lower()}{too_long[1:]}")
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.core.models import Service
    from kinwise.reports.pdf import html_to_pdf
    from kinwise.reports.service import report_csv
    from kinwise.reports.views import build_service_report, service_report_document

    services = Service.objects.filter(external_id=args.service)
    if args.organisation is not None:
        services = services.filter(organisation__slug=args.organisation)
    found = list(services[:2])
    if not found:
        raise KinwiseError(ErrorCode.NOT_FOUND, f"no service with id '{args.service}'")
    if len(found) > 1:
        raise KinwiseError(
            ErrorCode.USAGE,
            f"service id '{args.service}' is used by more than one organisation: "
            "name the organisation with --organisation",
        )
    from kinwise.access.command_line import command_read_service

    command_read_service(service=found[0], command="report service")
    report, _ = build_service_report(
        service=found[0], period=period, as_recorded=not args.corrected, today=_today()
    )
    if args.format == "csv":
        _write(report_csv(report), args.out)
    elif args.format == "pdf":
        _write(html_to_pdf(service_report_document(report)), args.out)
    else:
        _write(service_report_document(report), args.out)
    return 0
