"""Signatures and the audit trail: moderation by audited actions, the CSV export, dashboard and trending."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from pledges import aggregates
from pledges.admin.access import PersonalDataAdmin
from pledges.export import signature_rows
from pledges.models import AuditEntry, RejectionReason, Signature, log_action


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
        context = {
            **self.admin_site.each_context(request),
            "title": "Campaign dashboard",
            **aggregates.dashboard_context(),
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
