"""Signed-in signers: my pledges, appearance, withdrawal, my data (export and erasure)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pledges.accounts import signatures_of
from pledges.models import Pledge, Signature
from pledges.subject_access import erase_person, export_person


class AppearanceForm(forms.Form):
    appearance = forms.ChoiceField(
        label="How you appear", choices=Signature.Appearance.choices, widget=forms.RadioSelect
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        help_text="This helps the campaign. Staff see it; it is never published.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )


class EraseForm(forms.Form):
    sure = forms.BooleanField(
        label="I understand that my account and all my signatures will be deleted and cannot be restored",
        error_messages={"required": "Tick the box to confirm you want to erase your data"},
    )


def own_signature(request: HttpRequest, pk: int) -> Signature:
    signature = signatures_of(request.user).select_related("pledge").filter(pk=pk).first()
    if signature is None:
        raise Http404
    return signature


@login_required
def my_pledges(request: HttpRequest) -> HttpResponse:
    signatures = list(signatures_of(request.user).select_related("pledge", "school").order_by("created_at"))
    signed = {s.pledge_id for s in signatures}
    others = [p for p in Pledge.objects.open() if p.pk not in signed]
    for signature in signatures:
        signature.appearance_form = AppearanceForm(
            initial={"appearance": signature.appearance}, auto_id=f"id_{signature.pk}_%s"
        )
    return render(request, "pledges/my_pledges.html", {"signatures": signatures, "others": others})


@login_required
@require_POST
def change_appearance(request: HttpRequest, pk: int) -> HttpResponse:
    signature = own_signature(request, pk)
    form = AppearanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select how you want to appear")
        return redirect("pledges:my_pledges")
    appearance = Signature.Appearance(form.cleaned_data["appearance"])
    Signature.objects.filter(pk=signature.pk).update(appearance=appearance)
    messages.success(request, f"Saved: “{appearance.label}” for “{signature.pledge.title}”.")
    return redirect("pledges:my_pledges")


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
