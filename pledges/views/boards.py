"""Board resolutions: record one, confirm it from the email, and the public list of those covered."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from pausecampaign.client_ip import client_ip
from pledges import resolutions
from pledges.charts import schools_map
from pledges.forms import ResolutionForm
from pledges.hashing import hash_value
from pledges.kept_pages import kept_for_visitors
from pledges.models import BoardResolution
from pledges.ratelimit import hit
from pledges.schools import schools_for_form, with_single_match
from pledges.tokens import BadToken, ExpiredToken, read_token

LINK_MAX_AGE = timedelta(days=7)


def form_page(request: HttpRequest, form: ResolutionForm, status: int = 200, **context) -> HttpResponse:
    return render(request, "pledges/record_resolution.html", {"form": form, **context}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return form_page(request, ResolutionForm())
    schools = schools_for_form(request.POST.get("school_query", ""), request.POST.get("school", ""))
    data = with_single_match(request.POST, schools)
    if "find_school" in request.POST:
        form = ResolutionForm(initial=data.dict(), schools=schools)
        return form_page(request, form, searched=True)
    form = ResolutionForm(data, schools=schools)
    if not form.is_valid():
        return form_page(request, form, status=400)
    data = form.cleaned_data
    # The same page for a first record, a repeat and a bot: what happened goes only to the inbox.
    if not data.get("website") and hit(f"resolution:{hash_value('ip', client_ip(request))}") <= 10:
        recording = resolutions.Recording(
            body=data["body"],
            school=data["school"],
            meeting_on=data["meeting_on"],
            recorder_name=data["recorder_name"],
            recorder_email=data["recorder_email"],
            recorder_role=data["recorder_role"],
            named=data["named"],
        )
        try:
            resolutions.record_resolution(recording)
        except resolutions.ResolutionError as exc:
            form.add_error("body", str(exc))
            return form_page(request, form, status=400)
    return redirect("pledges:resolution_recorded")


@require_safe
def recorded(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/resolution_recorded.html")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET shows a button: mail scanners open links, people press buttons.
    try:
        ids = read_token("resolution", token, LINK_MAX_AGE)
    except ExpiredToken as expired:
        resolution = BoardResolution.objects.filter(pk=expired.args[0][0]).first()
        if resolution is not None and resolution.state != BoardResolution.State.PENDING:
            return render(request, "pledges/confirm_resolution.html", {"resolution": resolution, "just": False})
        return render(request, "pledges/resolution_link_expired.html", status=410)
    except BadToken:
        return render(request, "pledges/link_invalid.html", status=400)
    resolution = BoardResolution.objects.select_related("school").filter(pk=ids[0]).first()
    if resolution is None:
        return render(request, "pledges/link_invalid.html", status=400)
    just = request.method == "POST" and resolutions.confirm_resolution(resolution)
    context = {"resolution": resolution, "token": token, "just": just}
    return render(request, "pledges/confirm_resolution.html", context)


@require_safe
@kept_for_visitors
def covered(request: HttpRequest) -> HttpResponse:
    coverage = resolutions.coverage()
    return render(
        request, "pledges/resolutions.html", {"coverage": coverage, "map": schools_map(coverage["by_region"])}
    )
