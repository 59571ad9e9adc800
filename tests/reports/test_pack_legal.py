"""The evidence pack's capacity, best-interests, consent and authority section: every
record dated on or before the audit date, newest first, with its standing that day."""

from __future__ import annotations

from datetime import date

from kinwise.casefile import schema as cf
from kinwise.reports.pack import legal_basis, person_pack
from kinwise.reports.pdf import html_to_pdf
from kinwise.reports.views import person_pack_document
from tests.reports.test_documents import flat, pdf_text
from tests.reports.test_measures import riley


def _with_capacity(casefile: cf.CaseFile) -> cf.CaseFile:
    assessment = cf.Assessment(
        id="ca1",
        area="finances_major",
        decision="Buying a car",
        date=date(2026, 3, 1),
        assessor="sue",
        impairment=True,
        understand=True,
        retain=False,
        weigh=True,
        communicate=True,
        outcome="lacks_capacity",
    )
    later = assessment.model_copy(update={"id": "ca2", "date": date(2026, 12, 1)})
    decision = cf.BestInterests(
        id="bi1",
        area="finances_major",
        decision="Lease a car rather than buy one",
        date=date(2026, 3, 8),
        decision_maker="sue",
        capacity_assessment="ca1",
        consulted=["jo", "adv"],
        persons_wishes="Wants a red car.",
    )
    consents = [
        *casefile.consents,
        cf.Consent(
            id="c-share",
            kind="share_information",
            given_by="riley",
            to=["jo"],
            areas=["health_treatment"],
            date=date(2026, 1, 20),
            withdrawn=date(2026, 4, 1),
        ),
    ]
    authorities = [
        *casefile.legal_authorities,
        cf.Authority(id="lpa2", holder="kim", kind="lpa_health_welfare"),
    ]
    return casefile.model_copy(
        update={
            "capacity_assessments": [assessment, later],
            "best_interests": [decision],
            "consents": consents,
            "legal_authorities": authorities,
        }
    )


def test_the_legal_basis_as_it_stood_on_the_audit_date() -> None:
    basis = legal_basis(_with_capacity(riley()), as_of=date(2026, 3, 31))
    # The assessment dated after the audit date is not in the pack of that date.
    assert [(c.assessment.id, c.area, c.assessor) for c in basis.capacity] == [
        ("ca1", "major financial decisions", "Sue Staffer")
    ]
    assert basis.capacity[0].answers == [
        ("An impairment of, or disturbance in, the mind or brain", True),
        ("Understands the information relevant to the decision", True),
        ("Retains it long enough to decide", False),
        ("Uses or weighs it as part of deciding", True),
        ("Communicates the decision, by any means", True),
    ]
    assert [
        (b.decision.id, b.decision_maker, b.consulted, b.assessment) for b in basis.best_interests
    ] == [
        (
            "bi1",
            "Sue Staffer",
            ["Jo Testperson", "Ade Advocate"],
            "the capacity assessment of 1 March 2026",
        )
    ]
    assert [
        (c.consent.id, c.kind, c.given_by, c.to, c.areas, c.status) for c in basis.consents
    ] == [
        (
            "c-del",
            "Delegate a decision",
            "Riley Testperson",
            ["Kim Friendly"],
            ["relationships"],
            "Current",
        ),
        (
            "c-share",
            "Share information",
            "Riley Testperson",
            ["Jo Testperson"],
            ["health and treatment"],
            "Current",
        ),
        ("c-plan", "Consent to the care plan", "Riley Testperson", [], [], "Current"),
    ]
    assert [(a.authority.id, a.holder, a.status) for a in basis.authorities] == [
        ("lpa1", "Jo Testperson", "Registered on 10 January 2025"),
        ("lpa2", "Kim Friendly", "Not registered, so it cannot be used"),
    ]


def test_a_withdrawal_counts_from_its_own_day() -> None:
    casefile = _with_capacity(riley())
    on_the_day = legal_basis(casefile, as_of=date(2026, 4, 1))
    day_before = legal_basis(casefile, as_of=date(2026, 3, 31))
    status = {c.consent.id: c.status for c in on_the_day.consents}
    assert status["c-share"] == "Withdrawn on 1 April 2026"
    assert {c.consent.id: c.status for c in day_before.consents}["c-share"] == "Current"


def test_the_pack_pdf_carries_the_legal_basis() -> None:
    casefile = _with_capacity(riley())
    pack = person_pack(casefile, as_of=date(2026, 11, 30), since=date(2025, 11, 30))
    text = flat(pdf_text(html_to_pdf(person_pack_document(pack))))
    for words in (
        "Capacity, best interests, consent and legal authority",
        "Riley Testperson lacks capacity for this decision",
        "Retains it long enough to decide: no",
        "Lease a car rather than buy one",
        "Withdrawn on 1 April 2026",
        "Registered property and financial affairs LPA held by Jo Testperson",
        "Not registered, so it cannot be used",
    ):
        assert words in text, words
