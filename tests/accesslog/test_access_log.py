"""The access log: every read and every refusal leaves an entry, the database refuses to
change or remove one, and `kinwise access-log verify` finds any entry altered, removed or
added behind the application's back (docs/access.md, docs/adr/0090)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client

from kinwise.access.roles import ORGANISATION_WIDE_ROLES
from kinwise.accesslog.guard import guard_installed
from kinwise.accesslog.log import GENESIS, access_context, append, entry_hash, verify
from kinwise.accesslog.models import NO_ORGANISATION, AccessLogEntry, AccessLogHead
from kinwise.cli import main
from kinwise.core.services import organisation_ensure
from kinwise.records.models import Person
from tests.logguard import guard_lifted
from tests.web.conftest import client_for, record_path
from tests.web.test_access import PERSON_URLS

READ_PAGES = ("", "voice/", "capacity/", "history/")


def entries() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.order_by("id"))


def verify_output(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["access-log", "verify"])
    return code, capsys.readouterr().out


def read_pages(client: Client, person: Person) -> None:
    for page in READ_PAGES:
        assert client.get(f"/people/{person.pk}/{page}").status_code == 200


def test_each_page_read_leaves_one_entry_of_ids_only(
    world: dict[str, Any], people: dict[str, Person], capsys: pytest.CaptureFixture[str]
) -> None:
    sam, leader = people["sam"], world["users"]["leader"]
    read_pages(client_for(leader), sam)
    found = entries()
    assert [e.page for e in found] == ["web:person", "web:voice", "web:capacity", "web:history"]
    riverside = world["services"]["riverside"]
    for n, e in enumerate(found, start=1):
        assert (e.chain, e.sequence) == (riverside.organisation_id, n)
        assert (e.user_pk, e.role, e.subject) == (leader.pk, "team_leader", "person")
        assert (e.person_pk, e.service_pk, e.record_pk) == (sam.pk, riverside.pk, None)
        assert (e.purpose, e.allowed, e.client) == ("read", True, "127.0.0.1")
        assert e.at.utcoffset() is not None and e.at.utcoffset().total_seconds() == 0
    assert [e.previous_hash for e in found] == [GENESIS] + [e.hash for e in found[:-1]]
    # nothing typed or named: no name, no case-file id in any field
    for e in found:
        text = " ".join(str(getattr(e, f.name)) for f in AccessLogEntry._meta.fields)
        assert sam.name not in text and sam.external_id not in text.split()
    head = AccessLogHead.objects.get(chain=riverside.organisation_id)
    assert (head.sequence, head.last_hash) == (4, found[-1].hash)
    code, out = verify_output(capsys)
    assert code == 0
    assert out.splitlines() == [
        f"chain {riverside.organisation_id}: intact, 4 entries, last hash {found[-1].hash}",
        "access log intact (1 chains)",
    ]


def test_a_record_page_names_the_record_by_its_database_id(
    world: dict[str, Any], people: dict[str, Person]
) -> None:
    from kinwise.records.models import Record

    sam = people["sam"]
    voice = Record.objects.get(person=sam, kind="voice", key="v1", superseded_at=None)
    client = client_for(world["users"]["manager"])
    assert client.get(f"/people/{sam.pk}/records/{voice.pk}/history/").status_code == 200
    (entry,) = entries()
    assert (entry.page, entry.record_pk, entry.role) == (
        "web:record_history_by_id",
        voice.pk,
        "registered_manager",
    )


def test_a_form_page_leaves_one_entry_and_a_change_is_logged_as_one(
    world: dict[str, Any], people: dict[str, Person]
) -> None:
    from kinwise.access import person_for_viewer

    sam, leader = people["sam"], world["users"]["leader"]
    assert client_for(leader).get(f"/people/{sam.pk}/add/voice/").status_code == 200
    person_for_viewer(user=leader, person_pk=sam.pk, purpose="change")
    assert [(e.page, e.allowed) for e in entries()] == [("web:voice_add", True), ("", True)]
    assert entries()[-1].purpose == "change"


def test_refusals_leave_an_entry_in_the_chain_of_what_was_asked_for(
    world: dict[str, Any], people: dict[str, Person]
) -> None:
    acme = world["services"]["riverside"].organisation_id
    other = world["services"]["elsewhere"].organisation_id
    outsider, worker = world["users"]["outsider"], world["users"]["worker"]
    sam = people["sam"]
    assert client_for(outsider).get(f"/people/{sam.pk}/").status_code == 404
    assert client_for(worker).get(f"/people/{sam.pk}/risk/").status_code == 404
    assert client_for(worker).get("/people/999999/").status_code == 404
    riverside = world["services"]["riverside"]
    assert client_for(outsider).get(f"/services/{riverside.pk}/").status_code == 404
    found = [
        (e.chain, e.sequence, e.user_pk, e.role, e.subject, e.person_pk, e.page, e.allowed)
        for e in entries()
    ]
    assert found == [
        (acme, 1, outsider.pk, "", "person", sam.pk, "web:person", False),
        (acme, 2, worker.pk, "", "person", sam.pk, "web:risk", False),
        (NO_ORGANISATION, 1, worker.pk, "", "person", 999999, "web:person", False),
        (acme, 3, outsider.pk, "", "service", None, "web:service", False),
    ]
    assert other != acme and not AccessLogEntry.objects.filter(chain=other).exists()
    assert verify() == []


def test_anonymous_requests_are_sent_to_sign_in_before_any_decision(
    people: dict[str, Person],
) -> None:
    assert Client().get(f"/people/{people['sam'].pk}/").status_code == 302
    assert entries() == []


def test_two_organisations_have_separate_chains(
    world: dict[str, Any], people: dict[str, Person], capsys: pytest.CaptureFixture[str]
) -> None:
    acme = world["services"]["riverside"].organisation_id
    other = world["services"]["elsewhere"].organisation_id
    leader, outsider = client_for(world["users"]["leader"]), client_for(world["users"]["outsider"])
    leader.get(f"/people/{people['sam'].pk}/")
    outsider.get(f"/people/{people['stranger'].pk}/")
    leader.get(f"/people/{people['daniel'].pk}/")
    outsider.get(f"/people/{people['stranger'].pk}/voice/")
    by_chain = {
        chain: [(e.sequence, e.previous_hash) for e in entries() if e.chain == chain]
        for chain in (acme, other)
    }
    first_acme, first_other = (
        AccessLogEntry.objects.get(chain=c, sequence=1).hash for c in (acme, other)
    )
    assert by_chain == {
        acme: [(1, GENESIS), (2, first_acme)],
        other: [(1, GENESIS), (2, first_other)],
    }
    assert [e.role for e in entries()] == ["team_leader", "registered_manager"] * 2
    code, out = verify_output(capsys)
    assert code == 0 and out.endswith("access log intact (2 chains)\n")


def test_an_organisation_wide_role_is_the_viewers_role_elsewhere_in_it(
    world: dict[str, Any], people: dict[str, Person]
) -> None:
    # the quality lead is a member of Oakfield; Sam is at Riverside, in the same organisation
    assert client_for(world["users"]["quality"]).get(f"/people/{people['sam'].pk}/").status_code
    (entry,) = entries()
    assert (entry.role, entry.allowed) == ("quality_lead", True)


# --- the database refuses to change the log -------------------------------------------------


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(refused.value)


def test_the_database_refuses_update_and_delete(
    world: dict[str, Any], people: dict[str, Person]
) -> None:
    read_pages(client_for(world["users"]["leader"]), people["sam"])
    before = [(e.pk, e.hash, e.user_pk) for e in entries()]
    assert guard_installed(connection)
    assert "append-only" in _refused("UPDATE access_log_entry SET user_pk = 1")
    assert "append-only" in _refused("DELETE FROM access_log_entry")
    one = before[0][0]
    assert "append-only" in _refused(
        f"UPDATE access_log_entry SET allowed = NOT allowed WHERE id = {one}"
    )
    assert "append-only" in _refused(f"DELETE FROM access_log_entry WHERE id = {one}")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=before[0][0]).update(client="elsewhere")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.all().delete()
    if connection.vendor == "postgresql":
        assert "append-only" in _refused("TRUNCATE access_log_entry")
        assert "append-only" in _refused("TRUNCATE access_log_entry CASCADE")
    assert [(e.pk, e.hash, e.user_pk) for e in entries()] == before


# --- verify finds what was done behind the application's back -----------------------------


@pytest.fixture
def logged(world: dict[str, Any], people: dict[str, Person]) -> list[AccessLogEntry]:
    read_pages(client_for(world["users"]["leader"]), people["sam"])
    read_pages(client_for(world["users"]["outsider"]), people["stranger"])
    assert verify() == []
    return entries()


def _behind_the_back(sql: str, params: list[Any]) -> None:
    with guard_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_altered_entry_is_named(
    logged: list[AccessLogEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    second = logged[1]
    _behind_the_back("UPDATE access_log_entry SET user_pk = %s WHERE id = %s", [999, second.pk])
    assert guard_installed(connection)
    code, out = verify_output(capsys)
    assert code == 1
    assert (
        out == f"chain {second.chain}: broken: entry {second.pk} was changed after it was written\n"
    )


def test_an_altered_time_or_outcome_is_named(
    logged: list[AccessLogEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    third = logged[2]
    _behind_the_back("UPDATE access_log_entry SET allowed = %s WHERE id = %s", [False, third.pk])
    code, out = verify_output(capsys)
    assert (code, out) == (
        1,
        f"chain {third.chain}: broken: entry {third.pk} was changed after it was written\n",
    )


def test_a_rehashed_entry_no_longer_links_to_the_next(
    logged: list[AccessLogEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    """Changing an entry and its own hash to match still breaks the entry after it."""
    first, second = logged[0], logged[1]
    fields = {name: getattr(first, name) for name in ("chain", "sequence", "at", "role")}
    fields |= {
        "user_pk": 999,
        "subject": first.subject,
        "person_pk": first.person_pk,
        "service_pk": first.service_pk,
        "record_pk": first.record_pk,
        "page": first.page,
        "purpose": first.purpose,
        "allowed": first.allowed,
        "client": first.client,
    }
    forged = entry_hash(fields, first.previous_hash)
    _behind_the_back(
        "UPDATE access_log_entry SET user_pk = 999, hash = %s WHERE id = %s", [forged, first.pk]
    )
    code, out = verify_output(capsys)
    assert (code, out) == (
        1,
        f"chain {second.chain}: broken: entry {second.pk} does not link to the entry before it\n",
    )


def test_a_removed_entry_is_named_by_the_one_after_it(
    logged: list[AccessLogEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    second, third = logged[1], logged[2]
    _behind_the_back("DELETE FROM access_log_entry WHERE id = %s", [second.pk])
    code, out = verify_output(capsys)
    assert (code, out) == (
        1,
        f"chain {third.chain}: broken: entry {third.pk} follows a missing entry (one was removed)\n",
    )


def test_a_removed_last_entry_is_noticed_from_the_head(
    logged: list[AccessLogEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    acme = [e for e in logged if e.chain == logged[0].chain]
    _behind_the_back("DELETE FROM access_log_entry WHERE id = %s", [acme[-1].pk])
    code, out = verify_output(capsys)
    assert (code, out) == (
        1,
        f"chain {acme[0].chain}: broken: entry {acme[-2].pk} is missing entries after entry "
        f"{acme[-2].pk} (removed)\n",
    )


def test_an_added_entry_is_named(
    logged: list[AccessLogEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    last = logged[-1]
    with connection.cursor() as cursor:  # no guard needed to add: the chain finds it
        cursor.execute(
            "INSERT INTO access_log_entry (chain, sequence, at, user_pk, role, subject,"
            " person_pk, service_pk, record_pk, page, purpose, allowed, client, previous_hash,"
            " hash) SELECT chain, sequence + 1, at, user_pk, role, subject, person_pk,"
            " service_pk, record_pk, page, purpose, allowed, client, hash, hash"
            " FROM access_log_entry WHERE id = %s",
            [last.pk],
        )
    added = AccessLogEntry.objects.order_by("-id").first()
    assert added is not None and added.pk != last.pk
    code, out = verify_output(capsys)
    assert (code, out) == (
        1,
        f"chain {last.chain}: broken: entry {added.pk} is not in the chain (added behind its back)\n",
    )


def test_each_broken_chain_is_named_and_the_others_pass(
    logged: list[AccessLogEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    chains = sorted({e.chain for e in logged})
    first_of = {c: next(e for e in logged if e.chain == c) for c in chains}
    _behind_the_back(
        "UPDATE access_log_entry SET client = %s WHERE id = %s",
        ["10.0.0.9", first_of[chains[1]].pk],
    )
    breaks = verify()
    assert [(b.chain, b.entry_pk) for b in breaks] == [(chains[1], first_of[chains[1]].pk)]


# --- appends -------------------------------------------------------------------------------


def _append(chain: int, n: int = 0) -> None:
    append(
        chain=chain,
        user_pk=n,
        subject="person",
        person_pk=n,
        service_pk=None,
        purpose="read",
        allowed=True,
        wide_roles=ORGANISATION_WIDE_ROLES,
    )


@pytest.mark.django_db
def test_the_command_line_context_is_kept() -> None:
    with access_context(client="command line", page="export"):
        _append(5)
    _append(5)
    assert [(e.client, e.page) for e in entries()] == [("command line", "export"), ("", "")]


APPENDER = """
import sys
from kinwise.config.bootstrap import setup_django
setup_django()
from kinwise.access.roles import ORGANISATION_WIDE_ROLES
from kinwise.accesslog.log import append
chain, first = int(sys.argv[1]), int(sys.argv[2])
for n in range(first, first + int(sys.argv[3])):
    append(chain=chain, user_pk=n, subject="person", person_pk=n, service_pk=None,
           purpose="read", allowed=True, wide_roles=ORGANISATION_WIDE_ROLES)
"""


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_valid(tmp_path: Path) -> None:
    """Threads on PostgreSQL (each its own connection, queued on the head's row lock);
    on SQLite, whose test database is shared memory, processes on a database file (queued
    on BEGIN IMMEDIATE)."""
    if connection.vendor == "sqlite":
        _appends_from_processes(tmp_path)
        return
    organisation = organisation_ensure(slug="busy", name="Busy Care")
    threads, per_thread = 6, 15
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(t: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                _append(organisation.pk, t * 100 + i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    running = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    assert errors == []
    found = list(AccessLogEntry.objects.filter(chain=organisation.pk).order_by("sequence"))
    assert [e.sequence for e in found] == list(range(1, threads * per_thread + 1))
    assert sorted(e.user_pk or 0 for e in found) == sorted(
        t * 100 + i for t in range(threads) for i in range(per_thread)
    )
    assert verify() == []


def _appends_from_processes(var: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KINWISE_DATABASE_URL"}
    env |= {"KINWISE_VAR_DIR": str(var), "PYTHONPATH": os.pathsep.join(sys.path)}
    run = [sys.executable, "-c", "from kinwise.cli import main; raise SystemExit(main())"]
    subprocess.run([*run, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    processes, each = 4, 25
    running = [
        subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
            [sys.executable, "-c", APPENDER, "7", str(p * 100), str(each)], env=env
        )
        for p in range(processes)
    ]
    assert [p.wait(timeout=300) for p in running] == [0] * processes
    checked = subprocess.run(
        [*run, "access-log", "verify"], env=env, capture_output=True, text=True, timeout=300
    )
    assert (checked.returncode, checked.stdout.splitlines()[-1]) == (
        0,
        "access log intact (1 chains)",
    )
    assert checked.stdout.startswith(f"chain 7: intact, {processes * each} entries, last hash ")


@pytest.mark.django_db(transaction=True)
def test_the_tests_flush_lifts_the_guard_only_while_it_runs() -> None:
    _append(3)
    assert guard_installed(connection)
    call_command("flush", interactive=False, verbosity=0)
    assert AccessLogEntry.objects.count() == 0 and AccessLogHead.objects.count() == 0
    assert guard_installed(connection)
    _append(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.all().delete()


@pytest.mark.django_db
def test_guard_lifted_puts_the_guard_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), guard_lifted():
        assert not guard_installed(connection)
        raise RuntimeError("stop")
    assert guard_installed(connection)


# --- show ------------------------------------------------------------------------------------


def test_show_prints_who_looked_at_the_person(
    world: dict[str, Any], people: dict[str, Person], capsys: pytest.CaptureFixture[str]
) -> None:
    sam, daniel = people["sam"], people["daniel"]
    leader, outsider = world["users"]["leader"], world["users"]["outsider"]
    client_for(leader).get(f"/people/{sam.pk}/voice/")
    client_for(leader).get(f"/people/{daniel.pk}/")
    client_for(outsider).get(f"/people/{sam.pk}/")
    found = [e for e in entries() if e.person_pk == sam.pk]
    capsys.readouterr()
    code = main(["access-log", "show", "--person", sam.external_id, "--service", "riverside"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(out) == 3 and out[-1] == "2 entries"
    newest, oldest = found[1], found[0]
    assert out[0] == (
        f"{newest.at.strftime('%Y-%m-%dT%H:%M:%SZ')}  user {outsider.pk} (outsider)  role -"
        f"  read person {sam.pk}  page web:person  refused  from 127.0.0.1  entry {newest.pk}"
    )
    assert out[1] == (
        f"{oldest.at.strftime('%Y-%m-%dT%H:%M:%SZ')}  user {leader.pk} (leader)"
        f"  role team_leader  read person {sam.pk}  page web:voice  allowed  from 127.0.0.1"
        f"  entry {oldest.pk}"
    )
    assert sam.name not in "\n".join(out)


def test_show_names_a_person_that_is_not_there(
    people: dict[str, Person], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["access-log", "show", "--person", "nobody"]) == 2
    assert "no person with id 'nobody'" in capsys.readouterr().err


def test_verify_on_an_empty_log(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify_output(capsys) == (0, "access log intact (0 chains)\n")


@pytest.mark.parametrize("path", PERSON_URLS)
def test_every_page_about_a_person_leaves_exactly_one_entry(
    world: dict[str, Any], people: dict[str, Person], path: str
) -> None:
    sam = people["sam"]
    client = client_for(world["users"]["leader"])
    assert client.get(f"/people/{sam.pk}/{record_path(path, sam)}").status_code == 200
    found = [(e.person_pk, e.user_pk, e.allowed) for e in entries()]
    assert found == [(sam.pk, world["users"]["leader"].pk, True)]
