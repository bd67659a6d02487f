"""No public figure counts so few people or schools that it points to someone (issue 14)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from pledges.disclosure import carry_forward, suppress
from tests.factories import ConfirmedSignatureFactory, SchoolFactory


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([5, 1, 0, 7], [None, None, 0, 7]),  # one small cell: the next smallest goes too
        ([5, 1, 2, 7], [5, None, None, 7]),
        ([0, 0, 0], [0, 0, 0]),
        ([3, 4], [3, 4]),
        ([1], [None]),
    ],
)
def test_it_suppresses_small_cells_and_the_one_that_would_give_them_away(values, shown):
    assert suppress(values) == shown


def test_it_carries_small_days_forward():
    days = [{"date": d, "count": n} for d, n in [("1", 1), ("2", 1), ("3", 1), ("4", 5), ("5", 2)]]
    assert [(d["date"], d["count"]) for d in carry_forward(days)] == [("3", 3), ("4", 5)]


@pytest.mark.django_db
def test_it_never_shows_a_one_school_authority_or_a_small_region(client, stand_down):
    lonely = SchoolFactory(region="A", la_name="Rutland-on-Sea")  # the only open school there
    ConfirmedSignatureFactory(pledge=stand_down, school=lonely, region="A")
    big = SchoolFactory.create_batch(5, region="J", la_name="Oxfordshire")
    for school in big[:4]:
        ConfirmedSignatureFactory(pledge=stand_down, school=school, region="J")
    ConfirmedSignatureFactory.create_batch(
        3, pledge=stand_down, region="H"
    )  # hidden too, so North East cannot be worked out
    cache.clear()
    page = client.get("/counts/").content.decode()
    assert "Rutland-on-Sea" not in page, "a one-school authority is never listed"
    assert '<th scope="row">North East</th><td class="numeric">withheld</td>' in page
    assert '<th scope="row">South East</th><td class="numeric">4</td>' in page
    assert '<th scope="row">London</th><td class="numeric">withheld</td>' in page, (
        "so North East = total - others fails"
    )
    assert "100.0%" not in page
    api = client.get("/api/v1/pledges/stand-down").json()
    north_east = next(r for r in api["by_region"] if r["code"] == "A")
    assert north_east == {"code": "A", "region": "North East", "count": None, "suppressed": True}
    assert all(day["count"] >= 3 for day in api["by_day"])
    csv = client.get("/api/v1/pledges/stand-down.csv").content.decode()
    assert "region,A,North East,withheld" in csv and "region,A,North East,1" not in csv


@pytest.mark.django_db
def test_it_reports_support_by_union_as_people_with_small_cells_hidden(client, support, stand_down):
    for number in range(5):
        for pledge in (support, stand_down):
            ConfirmedSignatureFactory(pledge=pledge, email=f"n{number}@school.example", union="neu", union_consent=True)
    ConfirmedSignatureFactory.create_batch(3, pledge=support, union="ascl", union_consent=True)
    ConfirmedSignatureFactory(pledge=support, union="naht", union_consent=True)
    ConfirmedSignatureFactory(pledge=support, union="nasuwt", union_consent=False)  # no consent: never counted
    cache.clear()
    page = client.get("/counts/").content.decode()
    assert '<th scope="row">NEU</th><td class="numeric">5</td>' in page, "five people, ten signatures"
    assert '<th scope="row">NAHT</th><td class="numeric">withheld</td>' in page
    assert '<th scope="row">ASCL</th><td class="numeric">withheld</td>' in page, "else NAHT = total - others"
    assert '<th scope="row">NASUWT</th><td class="numeric">0</td>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("signers", [1, 2])
def test_it_withholds_the_whole_table_when_the_total_would_give_a_lone_cell_away(client, stand_down, signers):
    ConfirmedSignatureFactory.create_batch(signers, pledge=stand_down, region="K")
    cache.clear()
    body = client.get("/api/v1/pledges/stand-down").json()
    assert body["count"] == signers
    assert {r["count"] for r in body["by_region"]} == {None}, "total minus the others would be exact"
    page = client.get("/counts/").content.decode()
    assert '<th scope="row">South West</th><td class="numeric">withheld</td>' in page
    assert '<th scope="row">London</th><td class="numeric">withheld</td>' in page


@pytest.mark.django_db
def test_it_withholds_coverage_where_there_are_too_few_schools_to_hide_among(client, stand_down):
    only = SchoolFactory(region="A", la_name="Tiny")
    ConfirmedSignatureFactory.create_batch(4, pledge=stand_down, school=only, region="A")
    ConfirmedSignatureFactory.create_batch(5, pledge=stand_down, region="H")
    cache.clear()
    page = client.get("/counts/").content.decode()
    coverage = page.split("Schools covered", 1)[1]
    row = coverage.split('<th scope="row">North East</th>', 1)[1].split("</tr>")[0]
    assert row.startswith('<td class="numeric">withheld</td><td class="numeric">1</td>'), row


@pytest.mark.django_db
def test_it_takes_a_withdrawn_union_out_of_the_report_at_once(client, support, django_capture_on_commit_callbacks):
    from tests.pledges.conftest import log_in_by_code, sign_and_confirm

    ConfirmedSignatureFactory.create_batch(3, pledge=support, union="neu", union_consent=True)
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks, union="neu", union_consent="on")
    assert '<th scope="row">NEU</th><td class="numeric">4</td>' in client.get("/counts/").content.decode()
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    client.post("/my/union/withdraw/")
    assert '<th scope="row">NEU</th><td class="numeric">3</td>' in client.get("/counts/").content.decode()


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([1, 1, 5, 0], [None, None, None, 0]),  # 1 + 1 = 2 hidden in 2 cells: each would be exactly 1
        ([1, 1, 1, 0, 0], [None, None, None, None, None]),  # nothing left to withhold: the whole table
        ([1, 2, 7, 0], [None, None, 7, 0]),  # 3 in 2 cells: 1 and 2, or 2 and 1, so nothing is given away
        ([2, 9, 0], [None, None, 0]),  # never exactly one cell hidden
        ([0, 0, 4], [0, 0, 4]),
    ],
)
def test_it_never_lets_the_total_pin_down_a_withheld_cell(values, shown):
    from pledges.disclosure import suppress

    assert suppress(values) == shown
    hidden = [v for v, s in zip(values, shown, strict=True) if s is None]
    if hidden and len(hidden) < len(values):
        assert len(hidden) >= 2 and sum(hidden) > len(hidden), "the total minus the rest fixes no cell"


@pytest.mark.django_db
def test_it_gives_no_constituency_away_by_differencing(client, support, stand_down):
    from django.core.cache import cache

    ConfirmedSignatureFactory.create_batch(3, pledge=stand_down, constituency="Banbury")
    ConfirmedSignatureFactory(pledge=stand_down, constituency="Bicester and Woodstock")
    ConfirmedSignatureFactory(pledge=stand_down, constituency="Reading Central")
    cache.clear()
    total = next(p for p in client.get("/api/v1/counts").json()["pledges"] if p["slug"] == "stand-down")["count"]
    assert total == 5
    rows = client.get("/api/v1/constituencies").json()["constituencies"]
    cells = [row["pledges"]["stand-down"] for row in rows]
    published = sum(c for c in cells if c is not None)
    hidden = cells.count(None)
    assert hidden == 0 or total - published > hidden, f"{cells}: each withheld cell would be exactly 1"
