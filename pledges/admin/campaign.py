"""What staff set up: pledges, the schools register, action steps, site switches and lists."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from pledges.action_plan.services import step_progress
from pledges.models import (
    ActionStep,
    BlockedDomain,
    Pledge,
    PledgeVersion,
    Recount,
    RejectionReason,
    School,
    SchoolTerm,
    SiteSwitches,
)
from pledges.moderation import revise_statement, set_switches


class VersionInline(admin.TabularInline):
    """The words signers agreed to, and how many signed each: never edited once signed."""

    model = PledgeVersion
    fields = ["number", "statement", "created_at", "signed"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Versions of the statement (editing the statement after people sign adds one)"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Whoever may see a pledge sees the words it has had: the versions are part of it.
        return request.user.has_perm("pledges.view_pledge")

    @admin.display(description="Signatures")
    def signed(self, obj: PledgeVersion) -> int:
        return obj.signatures.count()


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "opens_at", "closes_at", "threshold", "is_paused", "position"]
    list_editable = ["is_paused", "position"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["threshold_reached_at"]
    inlines = [VersionInline]

    def save_model(self, request: HttpRequest, obj: Pledge, form, change: bool) -> None:
        if change and "statement" in form.changed_data:
            statement = obj.statement
            obj.statement = form.initial["statement"]  # the words change only through revise_statement
            super().save_model(request, obj, form, change)
            revise_statement(obj, statement, by=request.user)
            return
        super().save_model(request, obj, form, change)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["urn", "name", "town", "la_name", "region", "is_open", "is_state_funded"]
    list_filter = ["region", "is_open", "is_state_funded", "type_group"]
    search_fields = ["name", "=urn", "town", "postcode"]


@admin.register(ActionStep)
class ActionStepAdmin(admin.ModelAdmin):
    list_display = ["title", "due_rule", "due_after_days", "remind_days_before", "chase_days_after", "position"]
    filter_horizontal = ["pledges"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.progress_view)
        return [path("progress/", view, name="pledges_step_progress"), *super().get_urls()]

    def progress_view(self, request: HttpRequest) -> TemplateResponse:
        """Per region, how many have done each step and how many are overdue: numbers, never names."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "The action plan, region by region"}
        context["steps"] = step_progress()
        return TemplateResponse(request, "admin/pledges/step_progress.html", context)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), "terms": SchoolTerm.objects.count()}
        return super().changelist_view(request, extra_context)


@admin.register(SchoolTerm)
class SchoolTermAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "half_term_starts_on", "returns_on", "ends_on"]


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
        set_switches(obj, [f"{name}={form.cleaned_data[name]}" for name in form.changed_data], by=request.user)


admin.site.register(BlockedDomain)
admin.site.register(Recount)
admin.site.register(RejectionReason)
