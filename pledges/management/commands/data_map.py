"""Write docs/privacy.md's data map from pledges/data_map.py (a test checks the two agree)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from pledges.data_map import MAP, OUTSIDE_THE_DATABASE

HEADER = """# Privacy: the data map

Generated from `pledges/data_map.py` by `manage.py data_map > docs/privacy.md`; a test fails if
the two differ, and another if any field of any table is missing from the map. The subject access
export and erasure take their fields from the same map (`pledges/subject_access.py`).

- **Retention** is enforced by `pledges/retention.py` (daily) and by `expire_and_purge` (hourly);
  each period is a setting, and the privacy notice shows the same settings (`[[retention]]`).
- **Disclosure control** (`pledges/disclosure.py`): no public table, map, chart, API field or CSV shows
  a count of people or schools from 1 to `DISCLOSURE_THRESHOLD - 1` (default 3): such a cell reads
  "withheld" (null in JSON); in a table with a published total, more cells are withheld, smallest
  first, until the total pins none of them down (or the whole table is); local authorities appear
  only with at least the threshold
  of covered schools and of open schools; a daily series carries small days into the next. National
  totals per pledge are shown exactly: alone they point to nobody.
- **Who sees what** in the admin is one permission (`pledges/personal_data.py`): Moderators see names,
  roles and schools; Campaign leads also see addresses, unions, hashes and withdrawal reasons.
- **Export**: the fields marked "yes" under *Export*, for every table with a row that is the person's.
  **Erasure**: tables marked *delete* lose the person's rows; *anonymise* empties the fields marked
  *blank* and keeps the rest.
"""


class Command(BaseCommand):
    help = "Print the data map as Markdown (docs/privacy.md)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(render(), ending="")


def render() -> str:
    lines = [HEADER]
    personal = {label: table for label, table in MAP.items() if table.personal}
    for label, table in sorted(personal.items()):
        lines.append(f"\n## `{label}`\n\n{table.about}  \nErasure: **{table.erase}**.\n")
        lines.append("| Field | Holds | Lawful basis | Who can see it | Kept | Export | Erasure |")
        lines.append("|---|---|---|---|---|---|---|")
        for name, item in table.fields.items():
            if not item.holds:
                continue
            export = "yes" if item.export else "no"
            lines.append(
                f"| `{name}` | {item.holds} | {item.basis} | {item.seen_by} | {item.kept} | {export} | {item.erase} |"
            )
    others = sorted(label for label, table in MAP.items() if not table.personal)
    lines.append("\n## Tables with no personal data\n\n" + ", ".join(f"`{label}`" for label in others) + ".\n")
    lines.append("\n## Outside the database\n")
    lines.append("| Where | Holds | Lawful basis | Who can see it | Kept |")
    lines.append("|---|---|---|---|---|")
    for where, holds, basis, seen_by, kept in OUTSIDE_THE_DATABASE:
        lines.append(f"| {where} | {holds} | {basis} | {seen_by} | {kept} |")
    return "\n".join(lines) + "\n"
