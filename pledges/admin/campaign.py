"""What staff set up: pledges, the schools register, action steps, site switches and lists."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.shortcuts import redirect

from pledges.models import ActionStep, BlockedDomain, Pledge, Recount, RejectionReason, School, SiteSwitches
from pledges.moderation import set_switches


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "opens_at", "closes_at", "threshold", "is_paused", "position"]
    list_editable = ["is_paused", "position"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["threshold_reached_at"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["urn", "name", "town", "la_name", "region", "is_open", "is_state_funded"]
    list_filter = ["region", "is_open", "is_state_funded", "type_group"]
    search_fields = ["name", "=urn", "town", "postcode"]


@admin.register(ActionStep)
class ActionStepAdmin(admin.ModelAdmin):
    list_display = ["title", "due_after_days", "invites_colleagues", "position"]
    filter_horizontal = ["pledges"]


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
