"""`kinwise audit`: the co-production audit (rules.md) of case files or of stored records.

    kinwise audit --case FILE... [--as-of D] [--since D] [--format json|text]
    kinwise audit --service ID | --person ID [--organisation SLUG] [--as-of D] [--since D]
                  [--as-recorded] [--save] [--format json|text]
    kinwise audit --service ID --workers N [...]

``--workers N`` splits the service's people into chunks (at least N) that the queue's
workers (`kinwise worker`) audit, and waits for them: the same audits, in the same
order, as one process gives, each worker streaming its chunk's case files.

``--as-recorded`` audits the stored records as they were recorded at the end of the
audit date, UK time, rebuilt from the history of versions, so the audit of a past day
never changes when a record is edited later; without it, the stored records as they are
now are audited (anything dated after the audit date left out). A service's run saved
``--as-recorded`` also keeps the state measures of that day, which the trends and the
commissioners' monthly measures read.

The audit date is ``--as-of``, else the file's ``as_of``, else today's local date; the
period starts at ``--since``, else 365 days before the audit date. Every input is
checked before anything is printed: on a validation or usage error the errors go to
stderr, nothing goes to stdout, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kinwise.casefile.load import load_casefile
from kinwise.casefile.schema import CaseFile
from kinwise.dates import parse_user_date
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.rules.audit import PersonAudit, audit_casefile, default_since
from kinwise.rules.base import SEVERITIES
from kinwise.rules.catalogue import RULES_BY_ID
from kinwise.rules.engine import check_period

MAX_WORKERS = 64


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="audit co-production records against the rule catalogue",
        description=(
            "Audit case files (--case) or stored records (--service / --person) against "
            "the co-production rules."
        ),
    )
    parser.add_argument("--case", nargs="+", type=Path, metavar="FILE", help="case files")
    parser.add_argument("--service", metavar="ID", help="audit everyone in a stored service")
    parser.add_argument(
        "--person",
        metavar="ID",
        help="audit one stored person (case-file id, or #12: the web's number)",
    )
    parser.add_argument("--organisation", metavar="SLUG", help="the organisation (stored data)")
    parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="audit date")
    parser.add_argument(
        "--since", metavar="YYYY-MM-DD", help="start of the audit period (default: 365 days before)"
    )
    parser.add_argument(
        "--save", action="store_true", help="record the audit run (stored data only)"
    )
    parser.add_argument(
        "--as-recorded",
        dest="as_recorded",
        action="store_true",
        help=(
            "audit the stored records as they were recorded at the end of the audit date, "
            "UK time (later edits and corrections left out)"
        ),
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="spread a service's audit over the queue's workers, in at least N chunks",
    )
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.set_defaults(handler=run)


def _parse_date(value: str | None, option: str) -> date | None:
    """The date of an option, as typed (kinwise.dates); None when the option is absent."""
    return None if value is None else parse_user_date(value, label=f"the {option} date")


def _today() -> date:
    return date.today()  # noqa: TID251 - the command line is where the clock is read


def run(args: argparse.Namespace) -> int:
    as_of = _parse_date(args.as_of, "--as-of")
    since = _parse_date(args.since, "--since")
    if args.case is not None:
        if args.service is not None or args.person is not None:
            raise KinwiseError(
                ErrorCode.USAGE, "audit either --case files or stored records, not both"
            )
        if args.save:
            raise KinwiseError(ErrorCode.USAGE, "--save audits stored records, not --case files")
        if args.organisation is not None:
            raise KinwiseError(ErrorCode.USAGE, "--organisation applies to stored records only")
        if args.workers is not None:
            raise KinwiseError(ErrorCode.USAGE, "--workers spreads the audit of a --service")
        if args.as_recorded:
            raise KinwiseError(ErrorCode.USAGE, "--as-recorded applies to stored records only")
        audits = _audit_files(args.case, as_of=as_of, since=since)
        if audits is None:
            return 2
    else:
        audits = _audit_stored(args, as_of=as_of, since=since)
    sys.stdout.write(render(audits, fmt=args.format))
    return 0


def _audit_files(
    paths: Sequence[Path], *, as_of: date | None, since: date | None
) -> list[PersonAudit] | None:
    """Load and check every file first, so that nothing is printed unless all are good;
    None when a file is not valid (its errors are on stderr)."""
    loaded: list[tuple[Path, CaseFile]] = []
    failed = False
    for path in paths:
        try:
            loaded.append((path, load_casefile(path)))
        except KinwiseError as exc:
            failed = True
            if not exc.errors:
                sys.stderr.write(f"kinwise: {exc.message}\n")
            for err in exc.errors:
                sys.stderr.write(f"kinwise: {path}: {err}\n")
    if failed:
        return None
    today = _today() if as_of is None else as_of
    plans: list[tuple[CaseFile, date, date]] = []
    for path, casefile in loaded:
        file_as_of = as_of or casefile.as_of or today
        file_since = since or default_since(file_as_of)
        try:
            check_period(as_of=file_as_of, since=file_since)
        except KinwiseError as exc:
            raise KinwiseError(exc.code, f"{path}: {exc.message}") from None
        plans.append((casefile, file_as_of, file_since))
    return [audit_casefile(cf, as_of=a, since=s) for cf, a, s in plans]


def _audit_stored(
    args: argparse.Namespace, *, as_of: date | None, since: date | None
) -> list[PersonAudit]:
    """Stored records: read through the records' selector, optionally save the run."""
    if args.service is None and args.person is None:
        raise KinwiseError(ErrorCode.USAGE, "name --case FILE..., --service ID or --person ID")
    if args.workers is not None:
        if args.person is not None or args.service is None:
            raise KinwiseError(ErrorCode.USAGE, "--workers spreads the audit of a --service")
        if not 1 <= args.workers <= MAX_WORKERS:
            raise KinwiseError(ErrorCode.USAGE, f"--workers must be between 1 and {MAX_WORKERS}")
        if args.as_recorded:
            raise KinwiseError(
                ErrorCode.USAGE, "--as-recorded audits in one process, not --workers"
            )
    audit_date = as_of or _today()
    period_start = since or default_since(audit_date)
    check_period(as_of=audit_date, since=period_start)

    from kinwise.config.bootstrap import setup_django

    setup_django()
    measures: dict[str, list[int]] | None = None
    if args.workers is not None:
        from kinwise.jobs.spread import audit_service, audit_spread

        audits = audit_spread(
            service=audit_service(service=args.service, organisation=args.organisation),
            as_of=audit_date,
            since=period_start,
            workers=args.workers,
        )
    else:
        from kinwise.jobs.nightly import audits_measured

        # a service's run saved as recorded keeps its state measures too
        audits, measures = audits_measured(
            service=args.service,
            person=args.person,
            organisation=args.organisation,
            as_of=audit_date,
            since=period_start,
            as_recorded=args.as_recorded,
            measured=args.save and args.as_recorded and args.person is None,
        )
    _log_audit(args)
    if args.save:
        try:
            from kinwise.governance.services import audit_run_save
        except ModuleNotFoundError as exc:
            if exc.name != "kinwise.governance.services":
                raise
            raise KinwiseError(
                ErrorCode.USAGE, "saving audit runs is not available in this installation"
            ) from None
        from kinwise.governance.selectors import audit_run_scope

        service, person = audit_run_scope(
            service=args.service, person=args.person, organisation=args.organisation
        )
        audit_run_save(
            audits=audits,
            as_of=audit_date,
            since=period_start,
            actor=None,
            service=service,
            person=person,
            as_recorded=args.as_recorded,
            measures=measures if service is not None and person is None else None,
        )
        if service is not None and person is None and as_of is None and since is None:
            # a nightly run of a service: store each person's audit of the day as the
            # service dashboard reads it, so the first request of the morning is fast
            from kinwise.audits.overview import people_overview

            people_overview(service=service, as_of=audit_date)
    return audits


def _log_audit(args: argparse.Namespace) -> None:
    """The audit of stored records in the access log: the person, or the whole service."""
    from kinwise.access.command_line import command_read_people, command_read_service
    from kinwise.core.models import Service
    from kinwise.records.selectors import person_for_export

    if args.person is not None:
        person = person_for_export(
            person=args.person, service=args.service, organisation=args.organisation
        )
        command_read_people(people=[person], command="audit")
        return
    services = Service.objects.filter(external_id=args.service)
    if args.organisation is not None:
        services = services.filter(organisation__slug=args.organisation)
    for service in services[:2]:
        command_read_service(service=service, command="audit")


def render(audits: Sequence[PersonAudit], *, fmt: str) -> str:
    """The audits as rules.md's JSON array, or as text for a terminal."""
    if fmt == "json":
        return json.dumps([a.to_json() for a in audits], indent=2, ensure_ascii=False) + "\n"
    return "".join(render_text(a) for a in audits)


def render_text(audit: PersonAudit) -> str:
    """One person's audit, grouped by severity, readable in a terminal."""
    lines = [
        f"{audit.person_name} ({audit.person}): audit as of {audit.as_of.isoformat()}, "
        f"period {audit.since.isoformat()} to {audit.as_of.isoformat()}",
    ]
    summary = audit.summary()
    lines.append(
        "  " + ", ".join(f"{summary[s]} {s}" for s in SEVERITIES)
        if audit.findings
        else "  No findings."
    )
    for severity in SEVERITIES:
        found = [f for f in audit.findings if f.severity == severity]
        if not found:
            continue
        lines.append("")
        lines.append(f"  {severity.upper()} ({len(found)})")
        for finding in found:
            title = RULES_BY_ID[finding.rule].title
            lines.append(f"  - {finding.rule} {title} [{finding.subject}]")
            lines.append(f"      {finding.message}")
            if finding.evidence:
                lines.append(f"      Evidence: {', '.join(finding.evidence)}")
    lines.append("")
    return "\n".join(lines) + "\n"
