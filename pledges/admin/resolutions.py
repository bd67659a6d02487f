"""Board resolutions for staff to check, and inspectors' status history (read only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse

from pledges.admin.access import PersonalDataAdmin
from pledges.models import BoardResolution, InspectorStatusChange, OfstedRegion
from pledges.resolutions import decide_resolution


class OfstedRegionFilter(admin.SimpleListFilter):
    """Ofsted's eight regions, by the school the resolution was recorded from."""

    title = "Ofsted region"
    parameter_name = "ofsted_region"

    def lookups(self, request, model_admin):
        return OfstedRegion.choices

    def queryset(self, request, queryset):
        if self.value() in OfstedRegion.values:
            return queryset.filter(school__region__in=OfstedRegion(self.value()).regions())
        return queryset


@admin.register(BoardResolution)
class BoardResolutionAdmin(PersonalDataAdmin):
    list_display = ["__str__", "body", "state", "meeting_on", "recorder_role", "schools_covered", "named"]
    list_filter = ["state", "body", OfstedRegionFilter, "named"]
    list_select_related = ["school"]
    search_fields = ["trust_name", "school__name", "=school__urn", "recorder_name"]
    readonly_fields = [f.name for f in BoardResolution._meta.fields if f.name != "id"] + ["schools_covered"]
    actions = ["approve", "reject"]

    @admin.display(description="Schools covered")
    def schools_covered(self, obj: BoardResolution) -> int:
        return obj.covered_schools().count()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset, approve: bool) -> None:
        decided = sum(decide_resolution(r, approve=approve, by=request.user) for r in queryset.order_by("pk"))
        skipped = queryset.count() - decided
        word = "Approved: they count" if approve else "Rejected: they do not count"
        message = f"{word} ({decided})."
        if skipped:
            message += f" {skipped} left as they were (not yet confirmed by email, or already decided so)."
        self.message_user(request, message, messages.SUCCESS if decided else messages.WARNING)

    @admin.action(description="Approve: the resolution counts", permissions=["change"])
    def approve(self, request: HttpRequest, queryset) -> None:
        self._decide(request, queryset, True)

    @admin.action(description="Reject: the resolution does not count", permissions=["change"])
    def reject(self, request: HttpRequest, queryset) -> None:
        self._decide(request, queryset, False)

    change_form_template = "admin/pledges/boardresolution/change_form.html"

    def get_urls(self):
        queue = path("to-check/", self.admin_site.admin_view(self.queue_view), name="pledges_resolutions_to_check")
        decide = path(
            "<int:object_id>/decide/", self.admin_site.admin_view(self.decide_view), name="pledges_resolution_decide"
        )
        return [queue, decide, *super().get_urls()]

    def decide_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Approve or reject from the resolution's own page, through the same audited service."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        resolution = self.get_object(request, str(object_id))
        if resolution is None or not self.has_change_permission(request, resolution):
            raise PermissionDenied
        approve = request.POST.get("decision") == "approve"
        note = request.POST.get("note", "")[:500]
        if decide_resolution(resolution, approve=approve, by=request.user, note=note):
            self.message_user(request, "Approved: it counts." if approve else "Rejected: it does not count.")
        else:
            self.message_user(request, "That decision does not apply to it now.", messages.WARNING)
        return redirect(reverse("admin:pledges_resolutions_to_check"))

    def queue_view(self, request: HttpRequest) -> HttpResponse:
        """Confirmed by email and waiting for a staff check, oldest first."""
        return redirect(f"{reverse('admin:pledges_boardresolution_changelist')}?state__exact=confirmed")

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), "to_check": BoardResolution.objects.to_check().count()}
        if request.GET.get("state__exact") == BoardResolution.State.CONFIRMED:
            extra_context["title"] = "Resolutions to check"
        return super().changelist_view(request, extra_context)


@admin.register(InspectorStatusChange)
class InspectorStatusChangeAdmin(PersonalDataAdmin):
    list_display = ["signature", "previous", "status", "on", "recorded_at"]
    list_filter = ["status", "previous", ("signature__region", admin.AllValuesFieldListFilter)]
    list_select_related = ["signature"]
    readonly_fields = ["signature", "previous", "status", "on", "recorded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
