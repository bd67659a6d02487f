"""A date in an address: a real calendar day or no match (a 404), never a 500 from the database."""

from __future__ import annotations

from datetime import date


class IsoDateConverter:
    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError for 2026-02-30: Django answers 404

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)
