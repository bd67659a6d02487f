"""The schools register: import from the GIAS "all establishment data" CSV, and search."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from pausecampaign.ids import parse_id
from pledges.addresses import website_domain
from pledges.models import PostcodeArea, Region, School

# Register column → our field. Only these are read: the extract's personal data
# (head teacher names, telephone numbers) is never imported.
COLUMNS = {
    "URN": "urn",
    "EstablishmentName": "name",
    "Town": "town",
    "Postcode": "postcode",
    "LA (code)": "la_code",
    "LA (name)": "la_name",
    "GOR (code)": "region",
    "TypeOfEstablishment (name)": "establishment_type",
    "EstablishmentTypeGroup (name)": "type_group",
    "PhaseOfEducation (name)": "phase",
    "EstablishmentStatus (name)": "status",
    "ParliamentaryConstituency (name)": "constituency",
    "Trusts (name)": "trust_name",
    "SchoolWebsite": "website_domain",
}
REQUIRED = {"URN", "EstablishmentName"}
STATE_FUNDED_GROUPS = {"Local authority maintained schools", "Academies", "Free Schools", "Special schools"}
ENGLISH_REGIONS = set(Region.values) - {Region.OUTSIDE}


class SchoolsFileError(Exception):
    pass


def read_rows(path: Path) -> Iterator[dict]:
    with open(path, encoding="cp1252", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED - set(reader.fieldnames or [])
        if missing:
            raise SchoolsFileError(f"the file has no {', '.join(sorted(missing))} column; is it the GIAS extract?")
        yield from reader


def school_from_row(row: dict) -> School | None:
    values = {field: (row.get(column) or "").strip() for column, field in COLUMNS.items()}
    try:
        values["urn"] = int(values["urn"])
    except ValueError:
        return None
    if not values["name"]:
        return None
    if values["region"] not in ENGLISH_REGIONS:
        values["region"] = ""
    for field in ("name", "town", "la_name", "establishment_type", "type_group", "trust_name", "constituency"):
        values[field] = values[field][: School._meta.get_field(field).max_length]
    values["postcode"] = values["postcode"][:10]
    values["website_domain"] = website_domain(values["website_domain"])[:253]
    school = School(**values)
    school.is_open = values["status"].startswith("Open")
    school.is_state_funded = values["type_group"] in STATE_FUNDED_GROUPS
    school.search_text = " ".join([values["name"], values["town"], values["postcode"]]).lower()
    return school


def import_schools(path: Path, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None) -> int:
    """Upsert every school in the file by URN; returns the number of rows stored.

    `progress(rows_read, stored)` is called after each batch, so a 52,000-row register does not
    run for a minute in silence.
    """
    fields = [f for f in COLUMNS.values() if f != "urn"] + ["is_open", "is_state_funded", "search_text"]
    stored = read = 0
    batch: list[School] = []
    for row in read_rows(path):
        read += 1
        school = school_from_row(row)
        if school is None:
            continue
        batch.append(school)
        if len(batch) >= batch_size:
            stored += flush(batch, fields)
            if progress:
                progress(read, stored)
    stored += flush(batch, fields)
    if progress:
        progress(read, stored)
    return stored


def flush(batch: list[School], fields: list[str]) -> int:
    School.objects.bulk_create(batch, update_conflicts=True, unique_fields=["urn"], update_fields=fields)
    count = len(batch)
    batch.clear()
    return count


def search_schools(query: str, limit: int = 10) -> list[School]:
    query = " ".join(query.split())[:100]
    if len(query) < 2:
        return []
    schools = School.objects.filter(is_open=True)
    urn = parse_id(query)
    if urn is not None:
        return list(schools.filter(urn=urn)[:1])
    if query.isdigit():
        return []
    condition = Q()
    for word in query.lower().split()[:6]:
        condition &= Q(search_text__contains=word)
    return list(schools.filter(condition).order_by("name")[:limit])


def schools_for_form(query: str, chosen: str) -> list[School]:
    """The schools a form offers: what the signer searched for, plus the one they ticked if it fell out."""
    schools = search_schools(query) if query else []
    urn = parse_id(chosen)
    if urn is not None and all(s.urn != urn for s in schools):
        schools += search_schools(str(urn))
    return schools


def with_single_match(data, schools: list[School]):
    """One school matches the search, none is ticked and no region was chosen instead: tick it, so the
    page shows what the form takes (a chosen region beats an unticked search, as the form decides)."""
    if (
        len(schools) == 1
        and not data.get("school")
        and not data.get("region")
        and (data.get("school_query") or "").strip()
    ):
        data = data.copy()
        data["school"] = str(schools[0].urn)
    return data


POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$")


def parse_postcode(value: str) -> tuple[str, str] | None:
    """("OX16", "OX16 9") for a well-formed UK postcode, in any case or spacing; None otherwise."""
    match = POSTCODE.match("".join(value.split()).upper()[:8])
    if not match:
        return None
    district, sector_digit = match.group(1), match.group(2)
    return district, f"{district} {sector_digit}"


def rebuild_postcode_areas() -> int:
    """Each postcode sector and district, with the constituency most of its open schools are in."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for postcode, constituency in (
        School.objects.filter(is_open=True).exclude(constituency="").values_list("postcode", "constituency")
    ):
        parsed = parse_postcode(postcode)
        if parsed:
            for prefix in parsed:
                votes[prefix][constituency] += 1
    with transaction.atomic():
        PostcodeArea.objects.all().delete()
        PostcodeArea.objects.bulk_create(
            PostcodeArea(prefix=prefix, constituency=counter.most_common(1)[0][0]) for prefix, counter in votes.items()
        )
    return len(votes)


def constituency_of_postcode(value: str) -> str:
    """The constituency for a postcode, by its sector, else its district; "" when the register has neither."""
    parsed = parse_postcode(value)
    if not parsed:
        return ""
    district, sector = parsed
    areas = dict(PostcodeArea.objects.filter(prefix__in=[district, sector]).values_list("prefix", "constituency"))
    return areas.get(sector) or areas.get(district, "")
