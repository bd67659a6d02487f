"""The staff side: the Django admin, a module per area. Importing them registers their admins."""

from django.contrib import admin

from pledges.admin import campaign, jobs, outbox, reach, resolutions, signatures

admin.site.site_header = "#PauseOfsted staff"
admin.site.site_title = "#PauseOfsted staff"
# The side menu takes 300 pixels from every list; the breadcrumbs and the index do its work.
admin.site.enable_nav_sidebar = False

__all__ = ["campaign", "jobs", "outbox", "reach", "resolutions", "signatures"]
