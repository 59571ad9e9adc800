"""`kinwise synth`: a synthetic provider's people, as case files or straight into the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kinwise.dates import parse_user_date
from kinwise.errors import ErrorCode, KinwiseError
from kinwise.synth.generate import DEFAULT_AS_OF, DEFAULT_SERVICE, SynthSpec


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "synth",
        help="generate a synthetic provider's people (deterministic for a seed)",
        description=(
            "Generate realistic synthetic case files: circles, legal authorities, capacity "
            "assessments, consents, plans, voice, meetings, risk, trials, incidents, events "
            "and medication over YEARS years of history, with the weaknesses the audit looks "
            "for at plausible rates. The same seed always gives the same people."
        ),
    )
    parser.add_argument("--people", type=_count, required=True, metavar="N")
    parser.add_argument(
        "--years", type=_count, default=5, metavar="Y", help="years of history (default 5)"
    )
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    parser.add_argument(
        "--as-of",
        dest="as_of",
        metavar="YYYY-MM-DD",
        help=f"the date the history ends at (default {DEFAULT_AS_OF.isoformat()}; never today)",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="DIR", help="write <person-id>.yaml files here")
    where.add_argument(
        "--service",
        metavar="ID",
        help="import into this service of the database (created if missing)",
    )
    parser.add_argument(
        "--organisation",
        metavar="SLUG",
        help="the organisation of --service (default: a synthetic organisation, created if missing)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.years < 1:
        raise KinwiseError(ErrorCode.USAGE, "--years must be at least 1")
    spec = SynthSpec(
        people=args.people,
        years=args.years,
        seed=args.seed,
        as_of=(
            DEFAULT_AS_OF
            if args.as_of is None
            else parse_user_date(args.as_of, label="the --as-of date")
        ),
        service_id=args.service or DEFAULT_SERVICE[0],
    )
    if args.out is not None:
        if args.organisation is not None:
            raise KinwiseError(ErrorCode.USAGE, "--organisation goes with --service")
        from kinwise.synth.files import population_write

        written = population_write(spec=spec, out=args.out)
        sys.stdout.write(f"wrote {len(written)} case files to {args.out}\n")
        return 0

    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.synth.services import population_import, synth_service_ensure

    service = synth_service_ensure(spec=spec, organisation_slug=args.organisation)
    count = population_import(spec=spec, service=service)
    from kinwise.jobs.tasks import service_audits_refresh

    # a bulk change: the workers refresh the service's stored audits
    if not service_audits_refresh(service_pks=[service.pk]):
        sys.stderr.write(
            "kinwise: the job queue could not be reached: the stored audits will be "
            "refreshed when next read\n"
        )
    sys.stdout.write(
        f"imported {count} people into service '{service.external_id}' "
        f"of organisation '{service.organisation.slug}'\n"
    )
    return 0
