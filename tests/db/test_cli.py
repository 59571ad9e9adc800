"""`kinwise import`, `kinwise export` and `kinwise demo` against the test database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from kinwise.casefile.load import casefile_to_data, load_casefile
from kinwise.cli import main
from kinwise.core.models import Organisation, RecordVersion, Service, StaffMembership
from kinwise.records.models import Person, Record

STORY1 = "01-risk-and-independence.yaml"
STORY2 = "02-vocal-relative.yaml"

BROKEN = """\
kinwise: 1
service: {id: riverside, name: Riverside Supported Living}
person: {id: kim, name: Kim Lee, communication: {methods: [verbal]}}
circle:
  - {id: jo, name: Jo Lee, kind: cousin}
plan:
  version_date: 2026-02-30
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_reports_each_file_and_creates_the_service_in_the_only_organisation(
    casefiles_dir: Path, organisation: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", str(casefiles_dir / STORY1), str(casefiles_dir / STORY2)])

    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    assert out.splitlines() == [
        f"{casefiles_dir / STORY1}: imported person 'sam' into service 'riverside': "
        "20 created, 0 updated, 0 unchanged, 0 superseded",
        f"{casefiles_dir / STORY2}: imported person 'aisha' into service 'oakfield': "
        "15 created, 0 updated, 0 unchanged, 0 superseded",
    ]
    assert sorted(Service.objects.values_list("organisation__slug", "external_id", "name")) == [
        ("acme", "oakfield", "Oakfield Community Support"),
        ("acme", "riverside", "Riverside Supported Living"),
    ]
    assert set(RecordVersion.objects.values_list("source", flat=True)) == {"import"}


@pytest.mark.django_db
def test_a_file_with_errors_writes_nothing_and_the_others_are_imported(
    casefiles_dir: Path,
    organisation: Organisation,
    broken: Path,
    counts: Callable[[], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = counts()
    code = main(["import", str(broken)])
    out, err = capsys.readouterr()

    assert code == 2
    assert out == ""
    assert counts() == before
    assert f"{broken}: circle[0].kind: unknown kind 'cousin'" in err
    assert f"{broken}: plan.version_date: '2026-02-30' is not a real date" in err

    code = main(["import", str(broken), str(casefiles_dir / STORY1)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.startswith(f"{casefiles_dir / STORY1}: imported person 'sam'")
    assert list(Person.objects.values_list("external_id", flat=True)) == ["sam"]


@pytest.mark.django_db
def test_service_option_overrides_the_file_and_must_exist_without_a_name(
    casefiles_dir: Path, riverside: Service, oakfield: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(casefiles_dir / STORY1), "--service", "oakfield"]) == 0
    assert Person.objects.get().service == oakfield
    capsys.readouterr()

    assert main(["import", str(casefiles_dir / STORY1), "--service", "hillside"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "no service with id 'hillside' in organisation 'acme'" in err
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_import_needs_an_organisation_when_there_is_none_or_several(
    casefiles_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(casefiles_dir / STORY1)]) == 2
    assert "--organisation" in capsys.readouterr().err
    assert Person.objects.count() == 0

    assert (
        main(
            ["import", str(casefiles_dir / STORY1), "--organisation", "north"]
            + ["--create-organisation"]
        )
        == 0
    )
    assert Person.objects.get().service.organisation.slug == "north"
    Organisation.objects.create(slug="south", name="South")
    capsys.readouterr()
    assert main(["import", str(casefiles_dir / STORY2)]) == 2
    assert "more than one" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_mistyped_organisation_is_an_error_and_creates_nothing(
    casefiles_dir: Path,
    organisation: Organisation,
    counts: Callable[[], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = counts()
    assert main(["import", str(casefiles_dir / STORY1), "--organisation", "acne"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"{casefiles_dir / STORY1}: not imported: no organisation 'acne': check the name, "
        "or give --create-organisation to create it\n"
    )
    assert counts() == before
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["acme"]

    # the existing organisation is used as named; --create-organisation needs a name
    assert main(["import", str(casefiles_dir / STORY1), "--organisation", "acme"]) == 0
    assert Person.objects.get().service.organisation == organisation
    capsys.readouterr()
    assert main(["import", str(casefiles_dir / STORY2), "--create-organisation"]) == 2
    assert capsys.readouterr().err == (
        f"{casefiles_dir / STORY2}: not imported: --create-organisation needs the "
        "organisation named with --organisation SLUG\n"
    )
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_a_file_without_a_service_needs_the_option(
    tmp_path: Path, organisation: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no-service.yaml"
    path.write_text(
        "kinwise: 1\nperson: {id: kim, name: Kim Lee, communication: {methods: [verbal]}}\n"
        "plan: {version_date: 2026-02-01}\n",
        encoding="utf-8",
    )
    assert main(["import", str(path)]) == 2
    assert "give one with --service ID" in capsys.readouterr().err
    Service.objects.create(organisation=organisation, external_id="hillside", name="Hillside")
    assert main(["import", str(path), "--service", "hillside"]) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_writes_the_imported_case_file(
    fmt: str,
    casefiles_dir: Path,
    organisation: Organisation,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(casefiles_dir / STORY1)]) == 0
    capsys.readouterr()

    assert main(["export", "sam", "--format", fmt]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out) if fmt == "json" else yaml.safe_load(out)
    expected = casefile_to_data(load_casefile(casefiles_dir / STORY1))
    expected.pop("as_of")
    if fmt == "json":
        # JSON has no comments: a JSON export is the version-1 file plus the export field
        # of version 2, which holds the version of each record (docs/spec/casefile-v2.md)
        assert (data.pop("kinwise"), data.pop("exported")["person"]) == (
            2,
            {"id": "sam", "version": 1},
        )
        data["kinwise"] = 1
    assert data == expected

    # and the export imports back to the same records: nothing changes
    exported = tmp_path / f"sam.{fmt}"
    exported.write_text(out, encoding="utf-8")
    assert main(["import", str(exported)]) == 0
    assert "0 created, 0 updated, 20 unchanged, 0 superseded" in capsys.readouterr().out


@pytest.mark.django_db
def test_export_of_an_id_used_in_two_services_asks_for_the_service(
    casefiles_dir: Path,
    riverside: Service,
    oakfield: Service,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(casefiles_dir / STORY1)]) == 0
    assert main(["import", str(casefiles_dir / STORY1), "--service", "oakfield"]) == 0
    capsys.readouterr()

    assert main(["export", "sam"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "name the service with --service" in err
    assert main(["export", "sam", "--service", "oakfield", "--format", "json"]) == 0
    assert (
        json.loads(capsys.readouterr().out)["service"]["id"] == "oakfield"
    )  # where it is stored, not the file's
    assert main(["export", "nobody"]) == 2
    assert capsys.readouterr().err == "kinwise: no person with id 'nobody'\n"


@pytest.mark.django_db
def test_demo_creates_the_demo_and_a_second_run_changes_nothing(
    counts: Callable[[], dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert (
        "loaded 01-risk-and-independence.yaml (after 01-risk-and-independence.before.yaml)" in out
    )

    organisation = Organisation.objects.get()
    assert (organisation.slug, organisation.name) == ("demo", "Kinwise Demo Provider")
    assert sorted(Service.objects.values_list("external_id", "name")) == [
        ("oakfield", "Oakfield Community Support"),
        ("riverside", "Riverside Supported Living"),
    ]
    assert sorted(Person.objects.values_list("service__external_id", "external_id", "name")) == [
        ("oakfield", "aisha", "Aisha Rahman"),
        ("riverside", "daniel", "Daniel Hughes"),
        ("riverside", "sam", "Sam Okafor"),
    ]
    assert sorted(
        StaffMembership.objects.values_list("user__username", "service__external_id", "role")
    ) == [
        ("manager", "riverside", "registered_manager"),
        ("priya", "riverside", "support_worker"),
    ]
    assert authenticate(username="manager", password="kinwise-demo") is not None
    assert authenticate(username="priya", password="kinwise-demo") is not None
    # history shows each story's change: m0 of the "before" file was superseded by the later one
    sam = Person.objects.get(external_id="sam")
    assert list(
        RecordVersion.objects.filter(person=sam, kind="meeting", external_id="m0")
        .order_by("version")
        .values_list("action", "source")
    ) == [("created", "demo"), ("superseded", "demo")]
    assert Record.objects.filter(person=sam, kind="meeting", superseded_at=None).count() == 2

    before = counts()
    User.objects.filter(username="manager").update(first_name="Ruth")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "loaded" not in out
    assert counts() == before
    assert User.objects.get(username="manager").first_name == "Ruth"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "other, found",
    [
        ("organisation", "1 organisation(s) other than the demo's"),
        ("login", "1 login(s) other than the demo's"),
        ("person", "1 person record(s) other than the demo's"),
    ],
)
def test_demo_refuses_a_database_holding_anything_but_the_demo(
    other: str,
    found: str,
    casefiles_dir: Path,
    counts: Callable[[], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    if other == "person":  # the demo, then someone else's person in a demo service
        assert main(["demo"]) == 0
        Person.objects.filter(external_id="daniel").update(external_id="someone")
    elif other == "organisation":
        Organisation.objects.create(slug="acme", name="Acme Care")
    else:
        User.objects.create_user(username="ruth", password="a-real-password-1")
    capsys.readouterr()
    before = counts()

    assert main(["demo"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"kinwise: this database holds more than the demo ({found}): the demo adds logins "
        "with a published password, so it is loaded only into an empty database or one "
        "holding only the demo (set KINWISE_DATABASE_URL or KINWISE_VAR_DIR to another "
        "database)\n"
    )
    assert counts() == before


@pytest.mark.django_db
def test_demo_names_every_kind_of_other_data_by_count_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    acme = Organisation.objects.create(slug="acme", name="Acme Care")
    service = Service.objects.create(organisation=acme, external_id="hill", name="Hill House")
    user = User.objects.create_user(username="ruth.jones", password="a-real-password-1")
    StaffMembership.objects.create(user=user, service=service, role="registered_manager")
    assert main(["demo"]) == 2
    err = capsys.readouterr().err
    assert (
        "(1 organisation(s) other than the demo's, 1 service(s) outside the demo, "
        "1 login(s) other than the demo's, 1 staff role(s) outside the demo)"
    ) in err
    assert "ruth" not in err and "Hill" not in err and "acme" not in err


@pytest.mark.django_db
def test_ids_and_names_longer_than_the_database_stores_are_refused_before_writing(
    tmp_path: Path,
    organisation: Organisation,
    counts: Callable[[], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(
        "kinwise: 1\n"
        f"service: {{id: {'s' * 101}, name: {'S' * 201}}}\n"
        f"person: {{id: sam, name: {'N' * 301}, communication: {{methods: [verbal]}}}}\n"
        f"circle: [{{id: {'j' * 201}, name: Jo, kind: family}}]\n"
        "plan: {version_date: 2026-01-01}\n",
        encoding="utf-8",
    )
    before = counts()
    assert main(["import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{path}: not imported: longer than the database stores",
        f"{path}: service.id: a service id of 101 characters; the database stores at most 100",
        f"{path}: service.name: a name of 201 characters; the database stores at most 200",
        f"{path}: person.name: a name of 301 characters; the database stores at most 300",
        f"{path}: circle[0].id: an id of 201 characters; the database stores at most 200",
    ]
    assert counts() == before


def test_the_stored_lengths_are_the_columns_lengths() -> None:
    from kinwise.casefile import limits
    from kinwise.records.models.base import ID_LENGTH, NAME_LENGTH

    assert (limits.STORED_ID, limits.STORED_NAME) == (ID_LENGTH, NAME_LENGTH)
    assert Service._meta.get_field("external_id").max_length == limits.STORED_SERVICE_ID
    assert Service._meta.get_field("name").max_length == limits.STORED_SERVICE_NAME


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["x" * 65, "north wing", ""])
def test_a_new_organisation_needs_a_name_its_column_can_store(
    casefiles_dir: Path, slug: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import", str(casefiles_dir / STORY1), "--organisation", slug, "--create-organisation"]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        f"{casefiles_dir / STORY1}: not imported: an organisation's name for --organisation "
        "is 1 to 64 letters, digits, '-' or '_'\n"
    )
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_text_with_a_nul_character_is_refused_before_writing(
    tmp_path: Path,
    organisation: Organisation,
    counts: Callable[[], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "nul.yaml"
    path.write_text(
        "kinwise: 1\nservice: {id: riverside, name: Riverside}\n"
        'person: {id: sam, name: "Sam\\0", communication: {methods: [verbal], notes: "a\\0b"}}\n'
        "plan: {version_date: 2026-01-01}\n",
        encoding="utf-8",
    )
    before = counts()
    assert main(["import", str(path)]) == 2
    assert capsys.readouterr().err.splitlines()[1:] == [
        f"{path}: person.name: the text holds a NUL character (\\0 or \\u0000), which the "
        "database cannot store",
        f"{path}: person.communication.notes: the text holds a NUL character (\\0 or \\u0000), "
        "which the database cannot store",
    ]
    assert counts() == before
