"""Signatures and the audit trail: moderation by audited actions, the CSV export, dashboard and trending."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from pausecampaign.ids import parse_source
from pledges import aggregates
from pledges.admin.access import PersonalDataAdmin
from pledges.charts import daily_bars
from pledges.export import signature_rows
from pledges.models import AuditEntry, RejectionReason, Signature, log_action


class AuditInline(admin.TabularInline):
    model = AuditEntry
    fields = ["at", "who", "action", "reason", "note"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "Audit trail"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Who")
    def who(self, obj: AuditEntry) -> str:
        # Plain text: a link would lead a moderator to a staff account page they may not open.
        return obj.actor.email if obj.actor else "the signer, or the site"


MODERATION_LABELS = {
    "approve": "Approve for the wall",
    "hide": "Hide from the wall",
    "reject": "Reject",
    "mark_fraudulent": "Mark as fraudulent",
    "restore": "Restore",
}


class WallFilter(admin.SimpleListFilter):
    """The wall as it applies: the approval queue holds only counted signatures whose signers chose a name."""

    title = "public wall"
    parameter_name = "wall_status"
    QUEUE = "queue"

    def lookups(self, request, model_admin):
        return [
            (self.QUEUE, "Approval queue (awaiting approval)"),
            ("approved", "Shown on the wall"),
            ("hidden", "Hidden by staff"),
            ("none", "Not for the wall (counted only, or not counted)"),
        ]

    def queryset(self, request, queryset):
        chosen = {
            self.QUEUE: queryset.awaiting_approval,
            "approved": queryset.public,
            "hidden": queryset.hidden_from_wall,
            "none": queryset.not_for_wall,
        }.get(self.value())
        return chosen() if chosen else queryset


class CommitmentFilter(admin.SimpleListFilter):
    """Conditional commitments to stand down: still waiting for the region, or met."""

    title = "commitment to stand down"
    parameter_name = "commitment"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for others in the region"), ("active", "Met: the region reached the number")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.conditional_commitments()
        if self.value() == "active":
            return queryset.active_commitments()
        return queryset


class RejectForm(forms.Form):
    reason = forms.ModelChoiceField(queryset=RejectionReason.objects.all(), empty_label=None)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Signature)
class SignatureAdmin(PersonalDataAdmin):
    # Fits a 1280-pixel screen: the school, the appearance chosen and the rest are on each signature's page.
    list_display = [
        "name",
        "pledge_short",
        "state",
        "wall_column",
        "role",
        "region",
        "confirmed_at",
        "flags",
        "private_flags",
    ]
    list_filter = [
        WallFilter,
        "pledge",
        "state",
        "inspector_status",
        CommitmentFilter,
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

    change_form_template = "admin/pledges/signature/change_form.html"

    @admin.display(description="Pledge", ordering="pledge__position")
    def pledge_short(self, obj: Signature) -> str:
        return obj.pledge.slug

    @admin.display(description="Wall", ordering="wall")
    def wall_column(self, obj: Signature) -> str:
        return obj.wall_status()

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
            path("approval-queue/", self.admin_site.admin_view(self.queue_view), name="pledges_approval_queue"),
            path("sources/", self.admin_site.admin_view(self.sources_view), name="pledges_sources"),
            path(
                "<int:object_id>/moderate/",
                self.admin_site.admin_view(self.moderate_view),
                name="pledges_signature_moderate",
            ),
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="pledges_dashboard"),
            path("trending/", self.admin_site.admin_view(self.trending_view), name="pledges_trending"),
        ]
        return extra + super().get_urls()

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """The changelist's current filters and search, as CSV."""
        changelist = self.get_changelist_instance(request)
        return self.csv_response(request, changelist.get_queryset(request))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": request.user.has_perm("pledges.export_signatures"),
            "queue_size": Signature.objects.awaiting_approval().count(),
        }
        if request.GET.get(WallFilter.parameter_name) == WallFilter.QUEUE:
            extra_context["title"] = "Approval queue"
        return super().changelist_view(request, extra_context)

    def sources_view(self, request: HttpRequest) -> TemplateResponse:
        """Signings and confirmations by campaign link (src), per day: aggregates only, never a person."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Where signings come from",
            **aggregates.by_source(only=parse_source(request.GET.get("source", ""))),
        }
        return TemplateResponse(request, "admin/pledges/sources.html", context)

    def queue_view(self, request: HttpRequest) -> HttpResponse:
        """The approval queue as its own address, oldest first, for the dashboard and the admin index."""
        url = reverse("admin:pledges_signature_changelist")
        return redirect(f"{url}?{WallFilter.parameter_name}={WallFilter.QUEUE}&o=7")

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        signature = self.get_object(request, object_id)
        may_decide = signature is not None and self.has_change_permission(request, signature)
        extra_context = {
            **(extra_context or {}),
            "moderation_steps": signature.moderation_steps() if may_decide else [],
            "reject_form": RejectForm(),
            "came_from": request.GET.get("_changelist_filters", ""),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def moderate_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """One decision from the buttons on a signature's page, through the same audited model methods."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        signature = self.get_object(request, str(object_id))
        if signature is None or not self.has_change_permission(request, signature):
            raise PermissionDenied
        step = request.POST.get("step", "")
        if step not in signature.moderation_steps():
            self.message_user(request, "That decision does not apply to this signature now.", messages.WARNING)
        elif step == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                self.message_user(request, "Choose a reason to reject this signature.", messages.ERROR)
            else:
                reason, note = form.cleaned_data["reason"].text, form.cleaned_data["note"]
                signature.reject(by=request.user, reason=reason, note=note)
                self.message_user(request, "Rejected: it no longer counts.")
        else:
            kwargs = {"reason": "marked by staff"} if step == "mark_fraudulent" else {}
            getattr(signature, step)(by=request.user, **kwargs)
            self.message_user(request, f"Done: {MODERATION_LABELS[step].lower()}.")
        came_from = request.POST.get("_changelist_filters", "")
        if came_from:
            # Back to the list it was opened from (the approval queue, say), for the next one.
            return redirect(f"{reverse('admin:pledges_signature_changelist')}?{came_from}")
        return redirect(reverse("admin:pledges_signature_change", args=[signature.pk]))

    def dashboard_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        figures = aggregates.dashboard_context()
        context = {
            **self.admin_site.each_context(request),
            "title": "Campaign dashboard",
            **figures,
            "charts": daily_bars(figures["series"], figures["days"]),
        }
        return TemplateResponse(request, "admin/pledges/dashboard.html", context)

    def trending_view(self, request: HttpRequest) -> TemplateResponse:
        # It names email domains and network hashes: private details, like the fields they come from.
        if not self.has_view_permission(request) or self.hides_private(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Trending signals", **aggregates.trending()}
        return TemplateResponse(request, "admin/pledges/trending.html", context)


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
