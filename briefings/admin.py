from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST

from briefings.context_processors import forget_navigation
from briefings.markdown import render as render_markdown
from briefings.models import Figure, NewsPost, Page, Position, Revision
from briefings.revisions import compare, restore, revisions_of, save_revision
from pausecampaign.ids import parse_id


class RevisionedAdmin(admin.ModelAdmin):
    """Every save keeps a revision; the change page links to a preview and the history."""

    change_form_template = "admin/briefings/revisioned_change_form.html"
    preview_template = ""

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        save_revision(obj, by=request.user)
        forget_navigation()

    def delete_model(self, request: HttpRequest, obj) -> None:
        super().delete_model(request, obj)
        forget_navigation()

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        super().delete_queryset(request, queryset)
        forget_navigation()

    def get_urls(self):
        name = self.model._meta.model_name
        own = [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview), name=f"briefings_{name}_preview"),
            path("<int:pk>/revisions/", self.admin_site.admin_view(self.revisions), name=f"briefings_{name}_revisions"),
            path(
                "<int:pk>/revisions/<int:revision>/restore/",
                self.admin_site.admin_view(require_POST(self.restore)),
                name=f"briefings_{name}_restore",
            ),
        ]
        return own + super().get_urls()

    def preview(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, obj):
            return HttpResponse(status=403)
        body, sources = render_markdown(obj.body)
        context = {"object": obj, "body": body, "sources": sources, "preview": True}
        return TemplateResponse(request, self.preview_template, context)

    def revisions(self, request: HttpRequest, pk: int) -> TemplateResponse:
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, obj):
            return HttpResponse(status=403)
        history = list(revisions_of(obj))
        changes = None
        older_id, newer_id = parse_id(request.GET.get("a", "")), parse_id(request.GET.get("b", ""))
        if older_id is not None and newer_id is not None:
            older = get_object_or_404(Revision, pk=older_id, object_id=obj.pk)
            newer = get_object_or_404(Revision, pk=newer_id, object_id=obj.pk)
            changes = compare(older, newer)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of “{obj}”",
            "object": obj,
            "history": history,
            "changes": changes,
            "opts": self.model._meta,
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/briefings/revisions.html", context)

    def restore(self, request: HttpRequest, pk: int, revision: int) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_change_permission(request, obj):
            return HttpResponse(status=403)
        restore(obj, get_object_or_404(Revision, pk=revision, object_id=obj.pk), by=request.user)
        forget_navigation()
        messages.success(request, "Restored. The restore is itself kept as a revision.")
        return redirect(f"admin:briefings_{self.model._meta.model_name}_change", obj.pk)


@admin.register(Page)
class PageAdmin(RevisionedAdmin):
    list_display = ["title", "slug", "status", "publish_at", "nav_position", "updated_at"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    preview_template = "briefings/page.html"


@admin.register(NewsPost)
class NewsPostAdmin(RevisionedAdmin):
    list_display = ["title", "status", "publish_at", "updated_at"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    date_hierarchy = "publish_at"
    preview_template = "briefings/news_post.html"


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "value", "as_of", "source", "show_on_counts"]
    list_editable = ["value", "as_of", "show_on_counts"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["date", "organisation", "stance", "summary", "source"]
    list_filter = ["stance", "organisation"]
    search_fields = ["organisation", "summary", "source"]
