"""Staff-started background jobs: invalidations by criteria, and broadcasts."""

from __future__ import annotations

import ipaddress

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from pledges.action_plan.services import ActionError, audience
from pledges.admin.access import PersonalDataAdmin
from pledges.emails import broadcast_bodies, send_broadcast_test
from pledges.invalidation import matching
from pledges.models import Broadcast, Invalidation
from pledges.moderation import cancel_invalidation, count_invalidation, send_broadcast, start_invalidation


class JobProgressAdmin(admin.ModelAdmin):
    """A job's progress as a <progress> bar with its numbers, refreshed in place while it runs (static/js/admin.js)."""

    @admin.display(description="Progress")
    def progress(self, obj) -> str:
        if not obj.pk:
            return "–"
        now = obj.progress()
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_progress", args=[obj.pk])
        return format_html(
            '<span class="job-progress" data-progress-url="{}" data-running="{}">'
            '<progress max="{}" value="{}">{}</progress>'
            '<span class="job-progress__numbers" aria-live="polite">{}</span></span>',
            url,
            "true" if now["running"] else "false",
            max(now["total"], 1),
            now["done"],
            now["text"],
            now["text"],
        )

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_progress"
        view = self.admin_site.admin_view(self.progress_view)
        return [path("<int:object_id>/progress/", view, name=name), *super().get_urls()]

    def progress_view(self, request: HttpRequest, object_id: int) -> JsonResponse:
        job = self.get_object(request, str(object_id))
        if job is None or not self.has_view_permission(request, job):
            raise PermissionDenied
        return JsonResponse({"state": job.get_state_display(), **job.progress()})


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
class InvalidationAdmin(JobProgressAdmin, PersonalDataAdmin):
    form = InvalidationForm
    list_display = ["__str__", "state", "progress", "created_by", "created_at", "finished_at"]
    readonly_fields = ["state", "matched_now", "progress", "created_by", "started_at", "finished_at"]
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
        count_invalidation(obj)
        matched = ngettext("%(n)d signature matches.", "%(n)d signatures match.", obj.matched) % {"n": obj.matched}
        self.message_user(request, f"{matched} Start it from the list to invalidate them.")

    @admin.action(description="Start the selected invalidations", permissions=["change"])
    def start(self, request: HttpRequest, queryset) -> None:
        for invalidation in queryset:
            start_invalidation(invalidation, by=request.user)
        self.message_user(request, "Started. The progress bars below follow it as it runs.")

    @admin.action(description="Cancel the selected invalidations", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset) -> None:
        for invalidation in queryset:
            cancel_invalidation(invalidation, by=request.user)
        self.message_user(request, "Cancelled. Signatures already invalidated stay so; restore them if needed.")


class BroadcastForm(forms.ModelForm):
    class Meta:
        model = Broadcast
        fields = ["subject", "body", "pledge", "region", "role", "step", "step_filter"]


@admin.register(Broadcast)
class BroadcastAdmin(JobProgressAdmin):
    form = BroadcastForm
    list_display = ["subject", "state", "audience", "progress", "created_by", "created_at", "finished_at"]
    readonly_fields = ["state", "audience_now", "progress", "created_by", "started_at", "finished_at", "preview"]
    actions = ["send_test", "send"]

    @admin.display(description="People in this audience now")
    def audience_now(self, obj: Broadcast) -> int:
        return audience(obj).count() if obj.pk else 0

    @admin.display(description="Audience")
    def audience(self, obj: Broadcast) -> str:
        # A draft's audience is who would get it now; once sending, who it was sent to.
        if obj.state == Broadcast.State.DRAFT:
            return f"{audience(obj).count():,} now"
        return f"{obj.audience_size:,}"

    @admin.display(description="Preview")
    def preview(self, obj: Broadcast):
        if not obj.pk:
            return "Save to preview."
        bodies = broadcast_bodies(obj)  # exactly what the email will say, headings and links included
        return format_html(
            '<div class="broadcast-preview"><p><strong>{}</strong></p>{}'
            "<details><summary>Plain-text version</summary><pre>{}</pre></details></div>",
            obj.subject,
            bodies["html_body"],
            bodies["text_body"],
        )

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
        for broadcast in queryset:
            send_broadcast(broadcast, by=request.user)
        self.message_user(
            request, "Sending. The progress bars below follow it; each person gets it once, even if resumed."
        )

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("pledges.send_broadcast")
