"""The action plan's pages, reached from its emails: a step, a letter, invitations, unsubscribe, preferences."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from pausecampaign.client_ip import client_ip
from pledges.action_plan import services
from pledges.action_plan.forms import InviteForm, PreferencesForm
from pledges.hashing import hash_value
from pledges.models import ActionStep, Invitation, Signature
from pledges.tokens import BadToken, ExpiredToken, read_token


def from_step_token(token: str) -> tuple[Signature, ActionStep] | None:
    try:
        signature_id, step_id = read_token("step", token, settings.STEP_LINK_MAX_AGE)[:2]
    except (BadToken, ValueError):
        return None
    signature = Signature.objects.counted().select_related("pledge", "school").filter(pk=signature_id).first()
    step = ActionStep.objects.filter(pk=step_id).first()
    return (signature, step) if signature and step else None


def from_signer_token(token: str) -> Signature | None:
    """The signature behind an unsubscribe or preferences link; raises ExpiredToken when it is too old."""
    try:
        signature_id = read_token("signer", token, settings.EMAIL_SETTINGS_LINK_MAX_AGE)[0]
    except ExpiredToken:
        raise
    except BadToken:
        return None
    return Signature.objects.filter(pk=signature_id).first()


def invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/link_invalid.html", status=400)


def expired_email_link(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/email_link_expired.html", status=410)


@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, token: str) -> HttpResponse:
    found = from_step_token(token)
    if found is None:
        return invalid(request)
    signature, action = found
    invite_form, invited, status = InviteForm(), None, 200
    if request.method == "POST" and request.POST.get("action") == "done":
        services.mark_done(signature, action)
    elif request.method == "POST" and request.POST.get("action") == "invite" and action.invites_colleagues:
        invite_form = InviteForm(request.POST)
        if invite_form.is_valid():
            try:
                ip_hash = hash_value("ip", client_ip(request))
                invited = services.invite_colleagues(signature, invite_form.cleaned_data["emails"], ip_hash)
                invite_form = InviteForm()
            except services.ActionError as exc:
                invite_form.add_error("emails", str(exc))
        status = 400 if invite_form.errors else 200
    context = {
        "signature": signature,
        "step": action,
        "token": token,
        "done": services.is_done(signature, action),
        "letter": services.letter_for(signature, action) if action.template_letter else "",
        "form": invite_form,
        "invited": invited,
    }
    return render(request, "pledges/step.html", context, status=status)


@require_safe
def letter(request: HttpRequest, token: str) -> HttpResponse:
    found = from_step_token(token)
    if found is None or not found[1].template_letter:
        return invalid(request)
    response = HttpResponse(services.letter_for(*found), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="letter-to-my-union.txt"'
    return response


@csrf_exempt  # RFC 8058: mail providers POST here with no cookie and no token; the signed URL is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        signature = from_signer_token(token)
    except ExpiredToken:
        return expired_email_link(request)
    if signature is None:
        return invalid(request)
    if request.method == "POST":
        services.set_preferences(signature, reminders=False, updates=False)
        return render(request, "pledges/unsubscribed.html", {"token": token})
    return render(request, "pledges/unsubscribe.html", {"token": token})


@csrf_exempt  # RFC 8058 one-click, as for unsubscribe: the signed URL is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def refuse_invitations(request: HttpRequest, token: str) -> HttpResponse:
    """The recipient of an invitation asks that nobody may invite them again."""
    try:
        invitation_id = read_token("invitee", token, None)[0]
    except BadToken:
        return invalid(request)
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return invalid(request)
    if request.method == "POST":
        invitation.refuse()
        return render(request, "pledges/invitations_refused.html")
    return render(request, "pledges/refuse_invitations.html", {"token": token})


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        signature = from_signer_token(token)
    except ExpiredToken:
        return expired_email_link(request)
    if signature is None:
        return invalid(request)
    current = services.preferences_for(signature.canonical_email)
    form = PreferencesForm(request.POST or None, initial={"reminders": current.reminders, "updates": current.updates})
    saved = False
    if request.method == "POST" and form.is_valid():
        services.set_preferences(signature, **form.cleaned_data)
        saved = True
    return render(request, "pledges/preferences.html", {"form": form, "saved": saved, "signature": signature})
