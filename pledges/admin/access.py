"""The admin side of pledges.personal_data: one mixin every admin holding personal data uses.

Django's admin reveals a field in more places than the change form: the list,
the search box (an exact search tells whether someone signed), list filters,
field lookups typed into the query string (`?email__startswith=a` rebuilds an
address a character at a time), autocomplete (which searches with this admin's
search fields from any foreign key) and actions. Each of those asks here.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from pledges.personal_data import can_see_private_details, private_fields, reveals_private


def filter_name(item) -> str:
    if isinstance(item, (list, tuple)):
        item = item[0]
    return item if isinstance(item, str) else getattr(item, "parameter_name", "") or ""


class PersonalDataAdmin(admin.ModelAdmin):
    def hides_private(self, request: HttpRequest) -> bool:
        return not can_see_private_details(request.user)

    def _visible(self, request: HttpRequest, names) -> list:
        if not self.hides_private(request):
            return list(names)
        hidden = private_fields(self.model)
        return [name for name in names if not (isinstance(name, str) and name in hidden)]

    def get_fields(self, request: HttpRequest, obj=None):
        return self._visible(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self._visible(request, super().get_readonly_fields(request, obj))

    def get_exclude(self, request: HttpRequest, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if self.hides_private(request):
            excluded += [name for name in private_fields(self.model) if name not in excluded]
        return excluded

    def get_list_display(self, request: HttpRequest):
        return self._visible(request, super().get_list_display(request))

    def get_sortable_by(self, request: HttpRequest):
        return self._visible(request, super().get_sortable_by(request))

    def get_search_fields(self, request: HttpRequest):
        fields = super().get_search_fields(request)
        if not self.hides_private(request):
            return fields
        return [name for name in fields if not reveals_private(self.model, name)]

    def get_list_filter(self, request: HttpRequest):
        filters = super().get_list_filter(request)
        if not self.hides_private(request):
            return filters
        return [item for item in filters if not reveals_private(self.model, filter_name(item))]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if (request is None or self.hides_private(request)) and reveals_private(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)
