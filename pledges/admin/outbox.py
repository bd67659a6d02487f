"""The outbox: every email by state and lane, with each failure's reason, and Send again."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from pledges import outbox
from pledges.admin.access import PersonalDataAdmin
from pledges.models import Email
from pledges.moderation import retry_emails


@admin.register(Email)
class EmailAdmin(PersonalDataAdmin):
    list_display = [
        "key", "subject_line", "priority", "state", "attempts", "next_attempt_at", "last_error", "created_at",
    ]  # fmt: skip
    list_filter = ["state", "priority"]
    search_fields = ["key", "subject"]
    exclude = ["to", "subject", "text", "html", "headers", "context"]
    readonly_fields = [
        "key",
        "subject_line",
        "template",
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

    @admin.display(description="Subject")
    def subject_line(self, obj: Email) -> str:
        # A confirmation is written by the worker as it sends: until then it has a template, not a subject.
        return obj.subject or f"(written when sent, from the “{obj.template}” email)"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("pledges.retry_email")

    @admin.action(description="Send again (failed messages only)", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset) -> None:
        retried = retry_emails(queryset.filter(state=Email.State.FAILED), by=request.user)
        self.message_user(request, f"{retried} message{'s' if retried != 1 else ''} queued to send again.")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), "outbox": outbox.summary()}
        return super().changelist_view(request, extra_context)
