from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from pledges.action_plan.services import ActionError, audience
from pledges.admin_access import PersonalDataAdmin
from pledges.emails import send_broadcast_test
from pledges.export import signature_rows
from pledges.invalidation import matching
from pledges.models import (
    ActionStep,
    AuditEntry,
    BlockedDomain,
    Broadcast,
    Email,
    Invalidation,
    MailServerStatus,
    Pledge,
    Recount,
    RejectionReason,
    School,
    Signature,
    SiteSwitches,
    log_action,
)
from pledges.outbox import oldest_waiting_age
from pledges.services import retry_emails
from pledges.trending import trending


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "opens_at", "closes_at", "threshold", "is_paused", "position"]
    list_editable = ["is_paused", "position"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["threshold_reached_at"]


class AuditInline(admin.TabularInline):
    model = AuditEntry
    fields = ["at", "actor", "action", "reason", "note"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "Audit trail"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RejectForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.all(), empty_label=None)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Signature)
class SignatureAdmin(PersonalDataAdmin):
    list_display = [
        "name",
        "pledge",
        "state",
        "wall",
        "role",
        "region",
        "school",
        "appearance",
        "confirmed_at",
        "flags",
        "private_flags",
    ]
    list_filter = [
        "pledge",
        "state",
        "wall",
        "role",
        "region",
        "appearance",
        ("school", admin.EmptyFieldListFilter),
        ("confirmed_at", admin.DateFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        "fraud_reason",
    ]
    list_select_related = ["pledge", "school"]
    search_fields = ["name", "school__name", "=school__urn", "=canonical_email", "=email"]
    list_per_page = 100
    show_full_result_count = False
    inlines = [AuditInline]
    actions = ["approve", "hide", "reject", "mark_fraudulent", "restore", "export_csv"]

    @admin.display(description="Flags")
    def flags(self, obj: Signature) -> str:
        return obj.fraud_reason

    @admin.display(description="Private details")
    def private_flags(self, obj: Signature) -> str:
        marks = []
        if obj.union:
            marks.append("union given")
        if obj.withdraw_reason:
            marks.append("withdrawal reason")
        return ", ".join(marks)

    def get_list_display(self, request: HttpRequest):
        shown = super().get_list_display(request)
        return [name for name in shown if name != "private_flags"] if self.hides_private(request) else shown

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        names = [f.name for f in Signature._meta.fields if f.name not in {"id"}]
        return self._visible(request, names)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Decisions go through the actions, so that each one is audited.
        return self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not request.user.has_perm("pledges.export_signatures"):
            actions.pop("export_csv", None)
        return actions

    def _apply(self, request: HttpRequest, queryset, method: str, label: str, **kwargs) -> None:
        changed = 0
        for signature in queryset.order_by("pk"):
            changed += getattr(signature, method)(by=request.user, **kwargs)
        skipped = queryset.count() - changed
        message = f"{label}: {changed} signature{'s' if changed != 1 else ''}."
        if skipped:
            message += f" {skipped} left as they were (not in a state this applies to)."
        self.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)

    @admin.action(description="Approve for the public wall", permissions=["change"])
    def approve(self, request: HttpRequest, queryset) -> None:
        self._apply(request, queryset, "approve", "Approved for the wall")

    @admin.action(description="Hide from the public wall", permissions=["change"])
    def hide(self, request: HttpRequest, queryset) -> None:
        self._apply(request, queryset, "hide", "Hidden from the wall")

    @admin.action(description="Reject (choose a reason)…", permissions=["change"])
    def reject(self, request: HttpRequest, queryset) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(
                request,
                queryset,
                "reject",
                "Rejected",
                reason=form.cleaned_data["reason"].text,
                note=form.cleaned_data["note"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject signatures",
            "form": form,
            "signatures": queryset.select_related("pledge"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/pledges/signature/reject.html", context)

    @admin.action(description="Mark as fraudulent", permissions=["change"])
    def mark_fraudulent(self, request: HttpRequest, queryset) -> None:
        self._apply(request, queryset, "mark_fraudulent", "Marked fraudulent", reason="marked by staff")

    @admin.action(description="Restore (undo a rejection, fraud mark or invalidation)", permissions=["change"])
    def restore(self, request: HttpRequest, queryset) -> None:
        self._apply(request, queryset, "restore", "Restored")

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request: HttpRequest, queryset) -> StreamingHttpResponse:
        return self.csv_response(request, queryset)

    def csv_response(self, request: HttpRequest, queryset) -> StreamingHttpResponse:
        if not request.user.has_perm("pledges.export_signatures"):
            raise PermissionDenied
        log_action("export", actor=request.user, note=f"{queryset.count()} signatures")
        rows = signature_rows(queryset, with_addresses=not self.hides_private(request))
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="signatures-{timezone.now():%Y%m%d-%H%M}.csv"'
        return response

    def get_urls(self):
        extra = [
            path("export/", self.admin_site.admin_view(self.export_view), name="pledges_signature_export"),
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="pledges_dashboard"),
            path("trending/", self.admin_site.admin_view(self.trending_view), name="pledges_trending"),
        ]
        return extra + super().get_urls()

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """The changelist's current filters and search, as CSV."""
        changelist = self.get_changelist_instance(request)
        return self.csv_response(request, changelist.get_queryset(request))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": request.user.has_perm("pledges.export_signatures")}
        return super().changelist_view(request, extra_context)

    def dashboard_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Campaign dashboard", **dashboard_context()}
        return TemplateResponse(request, "admin/pledges/dashboard.html", context)

    def trending_view(self, request: HttpRequest) -> TemplateResponse:
        # It names email domains and network hashes: private details, like the fields they come from.
        if not self.has_view_permission(request) or self.hides_private(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Trending signals", **trending()}
        return TemplateResponse(request, "admin/pledges/trending.html", context)


def dashboard_context(days: int = 30) -> dict:
    since = timezone.now() - timedelta(days=days)
    rows = (
        Signature.objects.counted()
        .filter(confirmed_at__gte=since)
        .annotate(day=TruncDate("confirmed_at"))
        .values("day", "pledge__title")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    series: dict[str, dict] = {}
    for row in rows:
        series.setdefault(row["pledge__title"], {})[row["day"]] = row["n"]
    today = timezone.localdate()
    day_list = [today - timedelta(days=i) for i in range(days - 1, -1, -1)]
    peak = max([n for s in series.values() for n in s.values()] or [1])
    charts = [
        {
            "title": title,
            "bars": [
                {
                    "day": d,
                    "n": counts.get(d, 0),
                    "height": round(100 * counts.get(d, 0) / peak),
                    "top": 105 - round(100 * counts.get(d, 0) / peak),
                    "x": i * 10,
                }
                for i, d in enumerate(day_list)
            ],
        }
        for title, counts in series.items()
    ]
    return {
        "charts": charts,
        "awaiting": Signature.objects.awaiting_approval().count(),
        "outbox": outbox_summary(),
        "last_recount": Recount.objects.first(),
        "running_invalidations": Invalidation.objects.filter(state=Invalidation.State.RUNNING),
        "off_pace": off_pace_pledges(),
    }


def off_pace_pledges() -> list[dict]:
    """Threshold pledges that, at their pace so far, will not reach the threshold by their close date."""
    from pledges.counting import current_counts, total

    counts = current_counts()
    now = timezone.now()
    behind = []
    for pledge in Pledge.objects.open().filter(threshold__isnull=False, threshold_reached_at__isnull=True):
        if pledge.closes_at is None:
            continue
        count = total(counts, pledge.pk)
        elapsed = max((now - pledge.opens_at).total_seconds(), 3600)
        remaining = max((pledge.closes_at - now).total_seconds(), 0)
        projected = count + count / elapsed * remaining
        if projected < pledge.threshold:
            behind.append({"pledge": pledge, "count": count, "projected": int(projected)})
    return behind


class InvalidationForm(forms.ModelForm):
    class Meta:
        model = Invalidation
        fields = [
            "summary",
            "pledge",
            "ip_address",
            "network",
            "network_hash",
            "email_domain",
            "name_contains",
            "created_from",
            "created_to",
        ]

    def clean_network(self) -> str:
        import ipaddress

        value = self.cleaned_data["network"].strip()
        if value:
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise forms.ValidationError("Enter a network like 203.0.113.0/24") from None
        return value

    def clean(self) -> dict:
        data = super().clean()
        criteria = ["ip_address", "network", "network_hash", "email_domain", "name_contains", "created_from"]
        if not any(data.get(name) for name in criteria):
            raise forms.ValidationError(
                "Choose at least one criterion besides the pledge: an IP address, a network, an email domain, "
                "a name pattern or a start date."
            )
        return data


@admin.register(Invalidation)
class InvalidationAdmin(PersonalDataAdmin):
    form = InvalidationForm
    list_display = ["__str__", "state", "matched", "invalidated", "created_by", "created_at", "finished_at"]
    readonly_fields = ["state", "matched_now", "invalidated", "created_by", "started_at", "finished_at"]
    actions = ["start", "cancel"]

    @admin.display(description="Signatures it matches now")
    def matched_now(self, obj: Invalidation) -> int:
        return matching(obj).count() if obj.pk else 0

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj and obj.state != Invalidation.State.DRAFT:
            return list(InvalidationForm.Meta.fields) + self.readonly_fields
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Invalidation, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        obj.matched = matching(obj).count()
        obj.save(update_fields=["matched"])
        self.message_user(request, f"{obj.matched} signatures match. Start it from the list to invalidate them.")

    @admin.action(description="Start the selected invalidations", permissions=["change"])
    def start(self, request: HttpRequest, queryset) -> None:
        from pledges.tasks import run_invalidation

        for invalidation in queryset:
            if invalidation.start():
                transaction.on_commit(lambda pk=invalidation.pk: run_invalidation.delay(pk))
                log_action("start invalidation", actor=request.user, note=str(invalidation))
        self.message_user(request, "Started. Reload this page to see progress.")

    @admin.action(description="Cancel the selected invalidations", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset) -> None:
        for invalidation in queryset:
            if invalidation.cancel():
                log_action("cancel invalidation", actor=request.user, note=str(invalidation))
        self.message_user(request, "Cancelled. Signatures already invalidated stay so; restore them if needed.")


@admin.register(SiteSwitches)
class SiteSwitchesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "signing_paused", "counts_frozen", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SiteSwitches.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        switches = SiteSwitches.current()
        return redirect("admin:pledges_siteswitches_change", switches.pk)

    def save_model(self, request: HttpRequest, obj: SiteSwitches, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = ", ".join(f"{name}={form.cleaned_data[name]}" for name in form.changed_data)
        log_action("site switches", actor=request.user, note=changed)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["urn", "name", "town", "la_name", "region", "is_open", "is_state_funded"]
    list_filter = ["region", "is_open", "is_state_funded", "type_group"]
    search_fields = ["name", "=urn", "town", "postcode"]


@admin.register(Email)
class EmailAdmin(PersonalDataAdmin):
    list_display = ["key", "subject", "priority", "state", "attempts", "next_attempt_at", "last_error", "created_at"]
    list_filter = ["state", "priority"]
    search_fields = ["key", "subject"]
    exclude = ["to", "text", "html", "headers"]
    readonly_fields = [
        "key",
        "subject",
        "priority",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "claimed_by",
        "lease_until",
        "created_at",
        "claimed_at",
        "sent_at",
        "failed_at",
    ]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("pledges.retry_email")

    @admin.action(description="Send again (failed messages only)", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset) -> None:
        retried = retry_emails(queryset.filter(state=Email.State.FAILED), by=request.user)
        self.message_user(request, f"{retried} message{'s' if retried != 1 else ''} queued to send again.")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), "outbox": outbox_summary()}
        return super().changelist_view(request, extra_context)


def outbox_summary() -> dict:
    """The outbox at a glance, for staff: counts by state, the oldest waiting per lane, the server's state."""
    counts = dict(Email.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    status = MailServerStatus.objects.filter(pk=1).first()
    return {
        "by_state": [{"label": state.label, "value": state, "n": counts.get(state.value, 0)} for state in Email.State],
        "oldest": [
            {"lane": p.label.split(":")[0], "seconds": round(oldest_waiting_age(p.value))} for p in Email.Priority
        ],
        "server": status,
        "alert_after": int(settings.OUTBOX_ALERT_AFTER.total_seconds()),
    }


@admin.register(AuditEntry)
class AuditEntryAdmin(PersonalDataAdmin):
    list_display = ["at", "actor", "action", "signature", "reason", "note"]
    list_filter = ["action"]
    list_select_related = ["actor", "signature"]
    readonly_fields = ["at", "actor", "action", "signature", "reason", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


admin.site.register(BlockedDomain)
admin.site.register(Recount)
admin.site.register(RejectionReason)
admin.site.site_header = "#PauseOfsted staff"
admin.site.site_title = "#PauseOfsted staff"


@admin.register(ActionStep)
class ActionStepAdmin(admin.ModelAdmin):
    list_display = ["title", "due_after_days", "invites_colleagues", "position"]
    filter_horizontal = ["pledges"]


class BroadcastForm(forms.ModelForm):
    class Meta:
        model = Broadcast
        fields = ["subject", "body", "pledge", "region", "role", "step", "step_filter"]


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    form = BroadcastForm
    list_display = ["subject", "state", "audience_size", "queued", "created_by", "created_at", "finished_at"]
    readonly_fields = ["state", "audience_now", "queued", "created_by", "started_at", "finished_at", "preview"]
    actions = ["send_test", "send"]

    @admin.display(description="People in this audience now")
    def audience_now(self, obj: Broadcast) -> int:
        return audience(obj).count() if obj.pk else 0

    @admin.display(description="Preview")
    def preview(self, obj: Broadcast):
        from django.utils.html import format_html

        from briefings.markdown import render as render_markdown

        if not obj.pk:
            return "Save to preview."
        html, _ = render_markdown(obj.body, figures={})
        return format_html('<div class="broadcast-preview"><p><strong>{}</strong></p>{}</div>', obj.subject, html)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj and obj.state != Broadcast.State.DRAFT:
            return list(BroadcastForm.Meta.fields) + self.readonly_fields
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Broadcast, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Send a test to me")
    def send_test(self, request: HttpRequest, queryset) -> None:
        for broadcast in queryset:
            try:
                send_broadcast_test(broadcast, request.user)
                self.message_user(request, f"Test of “{broadcast}” sent to {request.user.email}.")
            except ActionError as exc:
                self.message_user(request, str(exc), messages.ERROR)

    @admin.action(description="Send to the audience (or resume a send)", permissions=["send"])
    def send(self, request: HttpRequest, queryset) -> None:
        from pledges.tasks import fan_out_broadcast

        for broadcast in queryset:
            if broadcast.start():
                transaction.on_commit(lambda pk=broadcast.pk: fan_out_broadcast.delay(pk))
                log_action("send broadcast", actor=request.user, note=str(broadcast))
        self.message_user(request, "Sending. Reload to see progress; each person gets it once, even if resumed.")

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("pledges.send_broadcast")
