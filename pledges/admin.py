from django.contrib import admin

from pledges.models import BlockedDomain, Email, Pledge, Recount, School, Signature


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "opens_at", "closes_at", "threshold", "is_paused", "position"]
    list_editable = ["is_paused", "position"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["threshold_reached_at"]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["name", "pledge", "state", "role", "region", "school", "appearance", "confirmed_at"]
    list_filter = ["pledge", "state", "role", "region", "appearance", "fraud_reason"]
    list_select_related = ["pledge", "school"]
    search_fields = ["name", "school__name", "=school__urn", "=canonical_email"]
    readonly_fields = ["canonical_email", "ip_hash", "network_hash", "email_domain", "emails_sent", "created_at"]
    raw_id_fields = ["school"]
    list_per_page = 100


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["urn", "name", "town", "la_name", "region", "is_open", "is_state_funded"]
    list_filter = ["region", "is_open", "is_state_funded", "type_group"]
    search_fields = ["name", "=urn", "town", "postcode"]


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["key", "subject", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in Email._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.register(BlockedDomain)
admin.site.register(Recount)
