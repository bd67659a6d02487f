"""Reading a record id from text a visitor controls.

str.isdigit() is true for "²²" and "٣", which int() then either refuses (a 500) or
reads as another number. An id here is 1 to 9 ASCII digits: short enough for any
integer column, and nothing else.
"""

from __future__ import annotations

import re

ID = re.compile(r"[0-9]{1,9}")


def parse_id(value: object) -> int | None:
    text = str(value)
    return int(text) if ID.fullmatch(text) else None


SOURCE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def parse_source(value: object) -> str:
    """A campaign link's src (letters, digits and hyphens, 40 at most), lower case; "" for anything else."""
    text = str(value or "").strip().lower()
    return text if SOURCE.fullmatch(text) else ""
