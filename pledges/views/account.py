"""Signed-in signers: my pledges, appearance, withdrawal, my data (export and erasure)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pledges import services
from pledges.accounts import signatures_of
from pledges.action_plan import services as action_plan
from pledges.forms import AppearanceForm, EraseForm, InspectorStatusForm, SignerDetailsForm, WithdrawForm
from pledges.models import Pledge, Signature, log_action
from pledges.schools import search_schools
from pledges.subject_access import erase_person, export_person


def own_signature(request: HttpRequest, pk: int) -> Signature:
    signature = signatures_of(request.user).select_related("pledge").filter(pk=pk).first()
    if signature is None:
        raise Http404
    return signature


@login_required
def my_pledges(request: HttpRequest) -> HttpResponse:
    signatures = list(signatures_of(request.user).select_related("pledge", "school", "version").order_by("created_at"))
    signed = {s.pledge_id for s in signatures}
    others = [p for p in Pledge.objects.open() if p.pk not in signed]
    for signature in signatures:
        signature.appearance_form = AppearanceForm(
            initial={"appearance": signature.appearance}, auto_id=f"id_{signature.pk}_%s"
        )
        if signature.pledge.asks_inspector_status:
            signature.status_form = InspectorStatusForm(
                initial={"status": signature.inspector_status, "stand_down_after": signature.stand_down_after},
                auto_id=f"id_{signature.pk}_%s",
            )
            signature.history = list(signature.status_changes.order_by("-recorded_at"))
    current = [s for s in signatures if s.state in {Signature.State.PENDING, Signature.State.CONFIRMED}]
    context = {
        "signatures": signatures,
        "others": others,
        "details": current[-1] if current else None,
        "union": next((s.get_union_display() for s in signatures if s.union), ""),
        "choices": action_plan.preferences_for(current[0].canonical_email) if current else None,
    }
    return render(request, "pledges/my_pledges.html", context)


@login_required
@require_POST
def change_appearance(request: HttpRequest, pk: int) -> HttpResponse:
    signature = own_signature(request, pk)
    form = AppearanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select how you want to appear")
        return redirect("pledges:my_pledges")
    appearance = Signature.Appearance(form.cleaned_data["appearance"])
    signature.change_appearance(appearance, by=request.user)
    messages.success(request, f"Saved: “{appearance.label}” for “{signature.pledge.title}”.")
    return redirect("pledges:my_pledges")


@login_required
@require_POST
def change_inspector_status(request: HttpRequest, pk: int) -> HttpResponse:
    signature = own_signature(request, pk)
    form = InspectorStatusForm(request.POST, auto_id=f"id_{signature.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.change_inspector_status(
                signature, data["status"], on=data["on"], by=request.user, stand_down_after=data["stand_down_after"]
            )
        except services.SigningError as exc:
            form.add_error(None, str(exc))
        else:
            label = Signature.InspectorStatus(data["status"]).label
            messages.success(
                request, f"Saved: “{label}”, from {data['on']:%-d %B %Y}." if changed else "Nothing changed."
            )
            return redirect("pledges:my_pledges")
    context = {"signature": signature, "form": form}
    return render(request, "pledges/inspector_status.html", context, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    signature = own_signature(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signature.withdraw(reason=form.cleaned_data["reason"]):
            messages.success(request, f"You have withdrawn from “{signature.pledge.title}”. It no longer counts.")
        return redirect("pledges:my_pledges")
    status = 400 if form.errors else 200
    return render(request, "pledges/withdraw.html", {"signature": signature, "form": form}, status=status)


def current_signatures(request: HttpRequest) -> list[Signature]:
    """The signer's signatures that still count or wait to: the ones their details are on."""
    live = [Signature.State.PENDING, Signature.State.CONFIRMED]
    return list(signatures_of(request.user).filter(state__in=live).select_related("pledge", "school"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_details(request: HttpRequest) -> HttpResponse:
    """Correct name, role, school and region (the right to rectification)."""
    signatures = current_signatures(request)
    if not signatures:
        return redirect("pledges:my_pledges")
    latest = signatures[-1]
    query = request.POST.get("school_query", "") if request.method == "POST" else ""
    schools = search_schools(query) if query else ([latest.school] if latest.school else [])
    if request.method == "POST" and "find_school" not in request.POST:
        form = SignerDetailsForm(request.POST, schools=schools)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = services.correct_details(
                    signatures, by=request.user, name=data["name"], role=data["role"], school=data.get("school"),
                    region=data.get("region") or "",
                )  # fmt: skip
            except services.SigningError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Saved." if changed else "Nothing to change: your details were already so.")
                return redirect("pledges:my_pledges")
        return render(request, "pledges/my_details.html", {"form": form}, status=400)
    if request.method == "POST":
        form = SignerDetailsForm(initial=request.POST.dict(), schools=schools)
        return render(request, "pledges/my_details.html", {"form": form, "searched": True})
    initial = {"name": latest.name, "role": latest.role, "region": latest.region}
    if latest.school:
        initial.update(school=latest.school.urn, school_query=latest.school.name)
    return render(request, "pledges/my_details.html", {"form": SignerDetailsForm(initial=initial, schools=schools)})


@login_required
@require_POST
def withdraw_union(request: HttpRequest) -> HttpResponse:
    services.withdraw_union_consent(list(signatures_of(request.user)), by=request.user)
    messages.success(request, "Your union has been deleted. We will not ask for it again.")
    return redirect("pledges:my_pledges")


@login_required
@require_POST
def email_choices(request: HttpRequest) -> HttpResponse:
    signatures = current_signatures(request)
    if signatures:
        action_plan.set_preferences(
            signatures[0], reminders=bool(request.POST.get("reminders")), updates=bool(request.POST.get("updates"))
        )
        log_action("change email choices", actor=request.user, signature=signatures[0])
    messages.success(request, "Saved: we will send you only the emails you chose.")
    return redirect("pledges:my_pledges")


@require_http_methods(["GET", "HEAD", "POST"])
def email_addresses(request: HttpRequest) -> HttpResponse:
    """No address can be added by hand: an account gets an address only when its owner confirms a signature."""
    return redirect("pledges:my_data")


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/my_data.html", {"erase_form": EraseForm()})


@login_required
@require_POST
def download_data(request: HttpRequest) -> HttpResponse:
    body = json.dumps(export_person(request.user), indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pauseofsted-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST)
    if not form.is_valid():
        return render(request, "pledges/my_data.html", {"erase_form": form, "form": form}, status=400)
    user = request.user
    logout(request)
    erase_person(user)
    return render(request, "pledges/erased.html")
