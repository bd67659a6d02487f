"""Board resolutions: a governing body or trust board resolves to stop releasing staff to inspect.

Recorded by a head, chair of governors or trust leader, confirmed by email, checked by staff, and
only then counted. A trust's resolution covers every open school of that trust in the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count

from pledges import emails
from pledges.addresses import canonical_email
from pledges.aggregates import ENGLISH_REGIONS, protect, share
from pledges.disclosure import is_small, threshold
from pledges.models import BoardResolution, School, log_action

COVERAGE_KEY = "api:resolutions:v1"


class ResolutionError(Exception):
    pass


@dataclass
class Recording:
    body: str
    school: School
    meeting_on: date
    recorder_name: str
    recorder_email: str
    recorder_role: str
    named: bool


def record_resolution(recording: Recording) -> BoardResolution:
    """Store a resolution and email its confirmation link; a repeat by the same recorder, still
    unconfirmed, takes the new details and gets a new link. The answer page is the same either way.
    ResolutionError for a trust resolution from a school that is not in a trust.
    """
    trust = recording.school.trust_name if recording.body == BoardResolution.Body.TRUST else ""
    if recording.body == BoardResolution.Body.TRUST and not trust:
        raise ResolutionError("That school is not in a trust in the register: choose its governing body instead")
    canonical = canonical_email(recording.recorder_email)
    fields = {
        "body": recording.body,
        # For a trust too: the school it was recorded from (never null, so the constraint holds on every database).
        "school": recording.school,
        "trust_name": trust,
        "recorder_canonical": canonical,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                resolution = BoardResolution.objects.create(
                    meeting_on=recording.meeting_on,
                    recorder_name=recording.recorder_name,
                    recorder_email=recording.recorder_email,
                    recorder_role=recording.recorder_role,
                    named=recording.named,
                    **fields,
                )
        except IntegrityError:
            # The constraint, not a lookup, decides that this is a repeat. Still unconfirmed (the
            # link lost, or expired): it takes what was typed now, and a new link goes.
            resolution = BoardResolution.objects.get(**fields)
            if resolution.state == BoardResolution.State.PENDING:
                BoardResolution.objects.filter(pk=resolution.pk).update(
                    meeting_on=recording.meeting_on, recorder_name=recording.recorder_name, named=recording.named
                )
                resolution.refresh_from_db()
        if resolution.state == BoardResolution.State.PENDING:
            emails.send_resolution_confirmation(resolution)
    return resolution


def confirm_resolution(resolution: BoardResolution) -> bool:
    with transaction.atomic():
        confirmed = resolution.confirm()
        if confirmed:
            log_action("resolution confirmed by email", note=f"resolution {resolution.pk}: {resolution}")
    return confirmed


def decide_resolution(resolution: BoardResolution, *, approve: bool, by, note: str = "") -> bool:
    """A staff check: approved, it counts; rejected, it does not. Audited either way."""
    with transaction.atomic():
        decided = resolution.decide(approve, by=by, note=note)
        if decided:
            action = "approve resolution" if approve else "reject resolution"
            log_action(action, actor=by, note=f"resolution {resolution.pk}: {resolution}; {note}".strip("; "))
            transaction.on_commit(lambda: cache.delete(COVERAGE_KEY))
    return decided


def coverage() -> dict:
    """Schools covered by approved resolutions: nationally, by region and local authority, as a share."""
    found = cache.get(COVERAGE_KEY)
    if found is not None:
        return found
    covered = BoardResolution.objects.approved().covered_schools().filter(is_state_funded=True)
    open_schools = School.objects.filter(is_open=True, is_state_funded=True)
    by_region = dict(covered.values_list("region").annotate(n=Count("urn")).values_list("region", "n"))
    all_region = dict(open_schools.values_list("region").annotate(n=Count("urn")).values_list("region", "n"))
    all_la = dict(open_schools.values_list("la_name").annotate(n=Count("urn")).values_list("la_name", "n"))
    by_la = [
        share(row["la_name"], row["n"], all_la.get(row["la_name"], 0))
        for row in covered.values("la_name").annotate(n=Count("urn")).order_by("la_name")
    ]
    schools = covered.count()
    of = open_schools.count()
    regions = protect([share(r.label, by_region.get(r.value, 0), all_region.get(r.value, 0)) for r in ENGLISH_REGIONS])
    for row, region in zip(regions, ENGLISH_REGIONS, strict=True):
        row["code"] = region.value
    found = {
        "schools": None if is_small(schools) else schools,
        "of": of,
        "percent": round(100 * schools / of, 1) if of and not is_small(schools) else None,
        "by_region": regions,
        "by_local_authority": [
            row for row in protect(by_la, with_total=False) if not row["suppressed"] and row["of"] >= threshold()
        ],
        "named": named_resolutions(),
    }
    cache.set(COVERAGE_KEY, found, 60)
    return found


def named_resolutions() -> list[dict]:
    """Schools and trusts whose recorder chose to name them: each once, newest meeting first."""
    seen: set[tuple[str, str]] = set()
    named = []
    for resolution in BoardResolution.objects.named().select_related("school").order_by("-meeting_on"):
        key = (resolution.body, resolution.trust_name or str(resolution.school_id))
        if key in seen or (resolution.body == BoardResolution.Body.GOVERNORS and resolution.school is None):
            continue
        seen.add(key)
        covered = list(resolution.covered_schools().order_by("name").values_list("name", flat=True))
        named.append(
            {
                "name": resolution.covers_name(),
                "body": resolution.get_body_display(),
                "kind": resolution.body,
                "schools": len(covered),
                "school_names": covered,  # the register's names, public; the board chose to be named
                "meeting_on": resolution.meeting_on,
            }
        )
    return named
