"""The staff side: the Django admin, a module per area. Importing them registers their admins."""

from django.contrib import admin

from pledges.admin import campaign, jobs, outbox, resolutions, signatures

admin.site.site_header = "#PauseOfsted staff"
admin.site.site_title = "#PauseOfsted staff"

__all__ = ["campaign", "jobs", "outbox", "resolutions", "signatures"]
