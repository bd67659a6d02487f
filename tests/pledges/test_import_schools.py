from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pledges.models import School
from pledges.schools import import_schools

FIXTURE = Path(__file__).parent / "fixtures" / "schools.csv"


@pytest.mark.django_db
def test_it_imports_the_register_extract(capsys):
    call_command("import_schools", str(FIXTURE))
    assert "Imported 8 schools" in capsys.readouterr().out
    kestrel = School.objects.get(urn=900002)
    assert (kestrel.name, kestrel.town, kestrel.la_name, kestrel.region) == (
        "Kestrel Academy",
        "Banbury",
        "Oxfordshire",
        "J",
    )
    assert kestrel.trust_name == "Kestrel Learning Trust"
    assert kestrel.is_open and kestrel.is_state_funded
    assert not School.objects.get(urn=900004).is_state_funded, "independent schools are not state-funded"
    assert not School.objects.get(urn=900005).is_open
    assert School.objects.get(urn=900008).region == "", "Wales (pseudo) is not an English region"
    assert School.objects.get(urn=900007).name == "Saint Cuthbert's C of E Primary"


@pytest.mark.django_db
def test_it_never_stores_head_teacher_names_or_telephone_numbers():
    call_command("import_schools", str(FIXTURE))
    stored = " ".join(str(value) for row in School.objects.values() for value in row.values())
    for personal in ["Alice", "Example", "Bob", "Sample", "01869 000001", "Headteacher", "Principal"]:
        assert personal not in stored


@pytest.mark.django_db
def test_it_upserts_by_urn(tmp_path):
    call_command("import_schools", str(FIXTURE))
    renamed = tmp_path / "renamed.csv"
    text = FIXTURE.read_text(encoding="cp1252").replace("Kestrel Academy", "Kestrel Academy – renamed")
    renamed.write_text(text, encoding="cp1252")
    call_command("import_schools", str(renamed))
    assert School.objects.count() == 8
    assert School.objects.get(urn=900002).name == "Kestrel Academy – renamed"


@pytest.mark.django_db
def test_it_copes_with_drifting_columns(tmp_path):
    lines = FIXTURE.read_text(encoding="cp1252").splitlines()
    # Move URN to the end and drop the Trusts columns, as a later extract might.
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    drifted = [[c for i, c in enumerate(row) if i not in (0, 26, 27)] + [row[0]] for row in rows]
    out = tmp_path / "drifted.csv"
    with open(out, "w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(drifted)
    call_command("import_schools", str(out))
    assert School.objects.get(urn=900002).trust_name == ""


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_the_extract(tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text('"Name","Town"\n"A","B"\n', encoding="cp1252")
    with pytest.raises(CommandError, match="has no EstablishmentName, URN column"):
        call_command("import_schools", str(wrong))


@pytest.mark.django_db
def test_it_reports_progress_as_it_goes():
    seen = []
    stored = import_schools(FIXTURE, batch_size=3, progress=lambda read, stored: seen.append((read, stored)))
    assert stored == 8
    assert [done for _, done in seen] == [3, 6, 8], "after each batch, and once at the end"
    assert all(read >= done for read, done in seen)


@pytest.mark.django_db
def test_it_prints_progress_before_the_total(capsys):
    call_command("import_schools", str(FIXTURE))
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].endswith("8 schools stored so far") and "rows read" in lines[-2]
    assert lines[-1].startswith("Imported 8 schools")
