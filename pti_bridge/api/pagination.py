"""Page-number pagination with a page-size cap; bad page parameters are a 400, a page past
the end a 404, both in the one error shape."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

from pti_bridge.api.caching import PREFETCHED_META, cached_under_version

MAX_PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator whose count may come from elsewhere (a cache): counting every visible row
    is the one part of a list that grows with the catalogue."""

    def __init__(self, object_list, per_page, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self):
        return self._count() if self._count is not None else super().count


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    _link_base = None  # the request's absolute URI without its query, once a link needs it

    def _positive_int(self, request, name: str, maximum: int | None = None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (maximum is not None and value > maximum):
            message = (
                _("Enter a whole number from 1 to %(max)d.") % {"max": maximum}
                if maximum
                else _("Enter a whole number from 1.")
            )
            raise exceptions.ValidationError({name: [message]})
        return value

    def get_page_size(self, request):
        return self._positive_int(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        page_number = self._positive_int(request, self.page_query_param) or 1
        count = None
        if hasattr(view, "count_cache_name") and not isinstance(queryset, list | tuple):
            # A cached view (pti_bridge.api.caching): the count is kept under the namespace's version.
            name = view.count_cache_name(request)
            prefetched = request.META.get(PREFETCHED_META)

            def count():
                return cached_under_version(view.cache_namespace, name, queryset.count, prefetched=prefetched)

        paginator = CountedPaginator(queryset, page_size, count=count)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage:
            raise exceptions.NotFound(_("There is no page %(page)d.") % {"page": page_number}) from None
        return list(self.page)

    # The next and previous links, as DRF writes them (its replace_query_param and
    # remove_query_param over the absolute URI: the query sorted by name, the page set or
    # removed), from the request's already parsed query and one absolute URI: DRF built it
    # and parsed it back twice per page.
    def get_next_link(self):
        return self._link(self.page.next_page_number()) if self.page.has_next() else None

    def get_previous_link(self):
        return self._link(self.page.previous_page_number()) if self.page.has_previous() else None

    def _link(self, number: int) -> str:
        if self._link_base is None:
            self._link_base = self.request.build_absolute_uri().partition("?")[0]
        query = dict(self.request.query_params.lists())
        if number == 1:
            query.pop(self.page_query_param, None)
        else:
            query[self.page_query_param] = [str(number)]
        encoded = urlencode(sorted(query.items()), doseq=True)
        return f"{self._link_base}?{encoded}" if encoded else self._link_base

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["schema"]["default"] = self.page_size
        return parameters
