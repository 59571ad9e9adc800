"""`kinwise access-log verify` and `kinwise access-log show --person ID [--service ID]
[--organisation SLUG] [--limit N]`.

``verify`` walks every organisation's chain of the access log (docs/access.md): exit 0
when every entry is intact and in place, each chain's last sequence number and hash on
stdout (to keep elsewhere); exit 1 naming the first broken entry of each broken chain by
its id. ``show`` prints who looked at the person's records (ids and usernames, never
content), newest first. The person is named by their case-file id, as `kinwise export`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "access-log", help="check the access log's chains, or show who looked at a person"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="check every chain of the access log")
    verify.set_defaults(handler=run_verify)
    show = actions.add_parser("show", help="who looked at a person's records")
    show.add_argument(
        "--person", metavar="ID", required=True, help="the person's case-file id, or #12"
    )
    show.add_argument("--service", metavar="ID", help="the person's service (when ids repeat)")
    show.add_argument("--organisation", metavar="SLUG", help="the service's organisation")
    show.add_argument("--limit", type=int, default=1000, metavar="N", help="at most N entries")
    show.set_defaults(handler=run_show)


def run_verify(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.accesslog.log import heads, verify

    breaks = verify()
    for found in breaks:
        which = f"entry {found.entry_pk}" if found.entry_pk is not None else "the chain"
        sys.stdout.write(f"chain {found.chain}: broken: {which} {found.reason}\n")
    if breaks:
        return 1
    chains = heads()
    for chain, (sequence, last_hash) in chains.items():
        sys.stdout.write(f"chain {chain}: intact, {sequence} entries, last hash {last_hash}\n")
    sys.stdout.write(f"access log intact ({len(chains)} chains)\n")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.access.command_line import COMMAND_LINE
    from kinwise.accesslog.selectors import entries_about, with_usernames
    from kinwise.records.selectors import person_for_export

    person = person_for_export(
        person=args.person, service=args.service, organisation=args.organisation
    )
    entries = list(entries_about(person=person)[: max(args.limit, 0)])
    from kinwise.access.command_line import command_read_people

    command_read_people(people=[person], command="access-log show")
    for seen in with_usernames(entries):
        e = seen.entry
        if e.user_pk is not None:
            who = f"user {e.user_pk} ({seen.username})"
        else:
            who = "command line" if e.client == COMMAND_LINE else "anonymous"
        record = f" record {e.record_pk}" if e.record_pk is not None else ""
        sys.stdout.write(
            f"{e.at.strftime('%Y-%m-%dT%H:%M:%SZ')}  {who}  role {e.role or '-'}"
            f"  {e.purpose} person {e.person_pk}{record}  page {e.page or '-'}"
            f"  {'allowed' if e.allowed else 'refused'}  from {e.client or '-'}"
            f"  entry {e.pk}\n"
        )
    sys.stdout.write(f"{len(entries)} entries\n")
    return 0
