from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from briefings import positions
from pausecampaign.client_ip import client_ip
from pausecampaign.ids import parse_source
from pledges import services
from pledges.accounts import signatures_of, signer_mailboxes
from pledges.addresses import mailbox_email
from pledges.forms import SignForm
from pledges.hashing import hash_value
from pledges.kept_pages import blank_sign_page, is_blank, is_shared, kept_page, slot
from pledges.models import ActionStep, Pledge, Signature, SiteSwitches
from pledges.ratelimit import hit
from pledges.schools import schools_for_form, search_schools, with_single_match
from pledges.tokens import BadToken, ExpiredToken, make_token, read_token

MANAGE_LINK_MAX_AGE = timedelta(days=365)


def sign_page(request: HttpRequest, form: SignForm, status: int = 200, **context) -> HttpResponse:
    context = {"form": form, "union_positions": positions.current_by_union(), **context}
    return render(request, "pledges/sign.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def sign(request: HttpRequest) -> HttpResponse:
    switches = SiteSwitches.current()
    if switches.signing_paused:
        response = render(request, "pledges/paused.html", {"message": switches.pause_message}, status=503)
        response["Retry-After"] = "600"
        return response
    if request.method != "POST":
        if is_blank(request):
            return blank_sign_page(request, lambda token: blank_form_page(request, csrf_token=token))
        asked = Pledge.objects.public().filter(slug=request.GET.get("pledge", "")[:60]).first()
        chosen = [asked] if asked and asked.accepts_signatures() else []
        initial, schools = details_of_signed_in(request)
        source = parse_source(request.GET.get("src", ""))
        form = SignForm(initial={**initial, "pledges": chosen, "src": source}, schools=schools)
        return sign_page(request, form, unavailable=None if chosen else asked)

    schools = schools_for_form(request.POST.get("school_query", ""), request.POST.get("school", ""))
    data = with_single_match(request.POST, schools)
    if "find_school" in request.POST:
        # The no-JavaScript school search: show the results, judge nothing yet.
        initial = {key: data.getlist(key) if key == "pledges" else value for key, value in data.items()}
        form = SignForm(initial=initial, schools=schools)
        return sign_page(request, form, searched=True)

    form = SignForm(data, schools=schools)

    if not form.is_valid():
        return sign_page(request, form, status=400)
    verified = request.user.is_authenticated and (
        mailbox_email(form.cleaned_data["email"]) in signer_mailboxes(request.user)
    )
    try:
        services.sign_pledges(
            form.signer(),
            list(form.cleaned_data["pledges"]),
            ip=client_ip(request),
            honeypot=bool(form.cleaned_data.get("website")),
            verified=verified,
        )
    except services.SigningError as exc:
        form.add_error(None, str(exc))
        return sign_page(request, form, status=400)
    if verified:
        messages.success(request, "Thank you: your signature is confirmed and counted.")
        return redirect("pledges:my_pledges")
    return redirect("pledges:check_email", permanent=False)


def blank_form_page(request: HttpRequest, **context) -> HttpResponse:
    """The sign page with nothing chosen, as a visitor who is not signed in and has no query string sees it."""
    return sign_page(request, SignForm(initial={"pledges": [], "src": ""}, schools=[]), unavailable=None, **context)


def details_of_signed_in(request: HttpRequest) -> tuple[dict, list]:
    """A signed-in signer's last details, so signing another pledge needs no retyping."""
    if not request.user.is_authenticated:
        return {}, []
    last = signatures_of(request.user).select_related("school").order_by("-created_at").first()
    if last is None:
        return {"email": request.user.email}, []
    fields = ["name", "email", "role", "region", "appearance", "inspector_status"]
    initial = {field: getattr(last, field) for field in fields}
    if last.school:
        initial.update(school=last.school.urn, school_query=last.school.name)
    return initial, [last.school] if last.school else []


@require_safe
def check_email(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/check_email.html")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners open links, people press buttons.
    try:
        ids = read_token("confirm", token, settings.CONFIRMATION_LINK_MAX_AGE)
    except ExpiredToken:
        return render(request, "pledges/link_expired.html", {"token": token}, status=410)
    except BadToken:
        return render(request, "pledges/link_invalid.html", status=400)
    signatures = Signature.objects.behind_link(ids)
    if not signatures:
        return render(request, "pledges/link_invalid.html", {"message": services.GONE}, status=400)
    if request.method == "POST":
        signatures = services.confirm_signatures(ids, signatures)
    outcomes = {signature.outcome_for_signer() for signature in signatures}
    if outcomes == {Signature.Outcome.EXPIRED}:
        return render(request, "pledges/link_expired.html", {"token": token, "expired": True}, status=410)
    context = {"token": token, "signatures": signatures, "outcomes": outcomes, "name": signatures[0].name}
    if Signature.Outcome.WAITING in outcomes:
        return render(request, "pledges/confirm.html", context)
    counted = [s for s in signatures if s.outcome_for_signer() == Signature.Outcome.COUNTED]
    context.update(
        already=not any(s.just_confirmed for s in signatures),
        next_steps=next_steps(counted),
        pledge=counted[0].pledge if counted else None,
        others=[s.pledge for s in counted[1:]],
    )
    if counted:
        context.update(share_url=settings.SITE_URL + counted[0].pledge.get_absolute_url() + "?src=share")
        if Signature.Outcome.EXPIRED not in outcomes and is_shared(request):
            return kept_confirmed_page(request, context)
    return render(request, "pledges/confirmed.html", context)


NAME_SLOT, LINK_SLOT, FIRST_STEP_SLOT, INVITE_SLOT = (slot(n) for n in ("name", "link", "first-step", "invite"))


def kept_confirmed_page(request: HttpRequest, context: dict) -> HttpResponse:
    """The confirmed page as kept for everyone with the same pledges, outcomes and next steps.

    What is the signer's own (their name, their link, their next steps' links) goes in slots.
    """
    steps, token = context["next_steps"], context["token"]
    key = (
        "confirmed",
        tuple((s.pledge_id, s.outcome_for_signer()) for s in context["signatures"]),
        context["already"],
        steps["first"] and steps["first"].pk,
        steps["invite"] and steps["invite"].pk,
    )
    slotted = {
        **context,
        "name": NAME_SLOT,
        "next_steps": {
            **steps,
            "first_url": steps["first_url"] and FIRST_STEP_SLOT,
            "invite_url": steps["invite_url"] and INVITE_SLOT,
        },
    }

    def render_page() -> HttpResponse:
        # The link's token is in the page's own address (its canonical link): a slot too.
        page = render(request, "pledges/confirmed.html", slotted).content.decode()
        return HttpResponse(page.replace(token, LINK_SLOT))

    values = {
        NAME_SLOT: context["name"],
        LINK_SLOT: token,
        FIRST_STEP_SLOT: steps["first_url"],
        INVITE_SLOT: steps["invite_url"],
    }
    return kept_page(key, render_page, {name: escape(value) for name, value in values.items()})


def next_steps(counted: list[Signature]) -> dict:
    """The confirmed page's way on: the first action, and the one that invites colleagues."""
    if not counted:
        return {}
    signature = counted[0]
    steps = ActionStep.of_pledge(signature.pledge_id)
    first = steps[0] if steps else None
    invite = next((step for step in steps if step.invites_colleagues), None)
    return {
        "first": first,
        "invite": invite,
        "first_url": reverse("pledges:step", args=[make_token("step", [signature.pk, first.pk])]) if first else "",
        "invite_url": reverse("pledges:step", args=[make_token("step", [signature.pk, invite.pk])]) if invite else "",
    }


@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")[:2000]
    try:
        in_date = read_token("confirm", token, settings.CONFIRMATION_LINK_MAX_AGE)
    except ExpiredToken as expired:
        ids = expired.args[0]
    except BadToken:
        return render(request, "pledges/link_invalid.html", status=400)
    else:
        expired_ones = Signature.objects.filter(pk__in=in_date, state=Signature.State.EXPIRED)
        ids = list(expired_ones.values_list("pk", flat=True))
    # A link still in date gets a new one only for signatures that expired (the page offered it).
    if ids and hit(f"resend:{hash_value('ip', client_ip(request))}") <= 5:
        services.resend_confirmation(ids)
    return redirect("pledges:check_email")


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ids = read_token("manage", token, MANAGE_LINK_MAX_AGE)
    except BadToken:
        return render(request, "pledges/link_invalid.html", status=400)
    signature = Signature.objects.select_related("pledge").filter(pk=ids[0]).first()
    if signature is None:
        return render(request, "pledges/link_invalid.html", status=400)
    withdrawn = False
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        withdrawn = signature.withdraw()
    return render(request, "pledges/manage.html", {"signature": signature, "withdrawn": withdrawn})


@require_safe
@cache_control(max_age=300, public=True)
def school_search(request: HttpRequest) -> JsonResponse:
    schools = search_schools(request.GET.get("q", ""))
    results = [{"urn": s.urn, "name": s.name, "town": s.town, "la": s.la_name} for s in schools]
    return JsonResponse({"results": results})
