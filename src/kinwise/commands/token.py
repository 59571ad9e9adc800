"""`kinwise token create --user USERNAME [--read-only] [--service ID ...] [--kind K]` and
`kinwise token revoke TOKEN_ID`: API tokens from the command line (docs/api.md).

``create`` prints the new token's id and its secret, once: only its SHA-256 is kept.
``--service`` takes a service's case-file id in the login's organisation (repeat it for
several; none: every service). The command line runs as the installation's operator.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("token", help="create or revoke API tokens")
    actions = parser.add_subparsers(dest="token_action", required=True)
    create = actions.add_parser("create", help="a new API token for a login (printed once)")
    create.add_argument("--user", metavar="USERNAME", required=True, help="the login it acts as")
    create.add_argument("--read-only", dest="read_only", action="store_true", help="read only")
    create.add_argument(
        "--service",
        metavar="ID",
        action="append",
        default=[],
        help="a service it covers, by case-file id (repeat; none: every service)",
    )
    create.add_argument(
        "--kind", choices=("personal", "service"), default="personal", help="who holds it"
    )
    create.add_argument("--label", default="", help="a name for it, for the managers' page")
    create.set_defaults(handler=run_create)
    revoke = actions.add_parser("revoke", help="revoke an API token by its id")
    revoke.add_argument("token_id", metavar="TOKEN_ID", type=int)
    revoke.set_defaults(handler=run_revoke)


def run_create(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.core.models import Service
    from kinwise.errors import ErrorCode, KinwiseError
    from kinwise.governance.token_services import token_create, token_organisation, token_user

    user = token_user(username=args.user)
    organisation = token_organisation(user=user)
    wanted = set(args.service)
    found = dict(
        Service.objects.filter(organisation=organisation, external_id__in=wanted).values_list(
            "external_id", "pk"
        )
    )
    missing = sorted(wanted - set(found))
    if missing:
        raise KinwiseError(
            ErrorCode.NOT_FOUND, f"no service '{missing[0]}' in the login's organisation"
        )
    made = token_create(
        user=user,
        read_only=args.read_only,
        service_pks=list(found.values()),
        actor=None,
        kind=args.kind,
        label=args.label,
    )
    sys.stdout.write(f"token id: {made.token.pk}\ntoken: {made.secret}\n")
    sys.stderr.write("kinwise: the token is shown only now: keep it safe\n")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from kinwise.config.bootstrap import setup_django

    setup_django()
    from kinwise.governance.token_services import token_revoke

    token = token_revoke(token_pk=args.token_id, actor=None)
    sys.stdout.write(f"token {token.pk} revoked\n")
    return 0
