"""Reach for organisers: named campaign links, where signings come from, and support gathered offline."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from pledges.models import CampaignSource, OfflineSupport, log_action


@admin.register(CampaignSource)
class CampaignSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "link", "created_at"]
    search_fields = ["name", "slug"]
    readonly_fields = ["link", "created_at"]

    @admin.display(description="The link to hand out")
    def link(self, obj: CampaignSource) -> str:
        if not obj.pk:
            return "Save to see the link."
        url = f"{settings.SITE_URL}{reverse('pledges:sign')}?src={obj.slug}"
        return format_html(
            '<code>{}</code> · <a href="{}?source={}">signings from it</a>',
            url,
            reverse("admin:pledges_sources"),
            obj.slug,
        )

    def save_model(self, request: HttpRequest, obj: CampaignSource, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action("campaign link", actor=request.user, note=f"{obj.slug}: {obj.name}")


@admin.register(OfflineSupport)
class OfflineSupportAdmin(admin.ModelAdmin):
    list_display = ["pledge", "region", "gathered_on", "count", "note", "recorded_by"]
    list_filter = ["pledge", "region"]
    readonly_fields = ["recorded_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: OfflineSupport, form, change: bool) -> None:
        before = str(OfflineSupport.objects.get(pk=obj.pk)) if change else ""
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        if change:
            log_action("change offline support", actor=request.user, note=f"{before} → {obj}")
        else:
            log_action("record offline support", actor=request.user, note=str(obj))
        OfflineSupport.forget(obj.pledge_id)

    def delete_model(self, request: HttpRequest, obj: OfflineSupport) -> None:
        log_action("delete offline support", actor=request.user, note=str(obj))
        super().delete_model(request, obj)
        OfflineSupport.forget(obj.pledge_id)
