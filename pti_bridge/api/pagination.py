"""Page-number pagination with a page-size cap; bad page parameters are a 400, a page past
the end a 404, both in the one error shape."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

MAX_PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator of a page read elsewhere (the listing engine), which also told the count."""

    def __init__(self, rows, per_page, count: int):
        super().__init__(rows, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    _link_base = None  # the request's absolute URI without its query, once a link needs it

    def _positive_int(self, request, name: str, maximum: int | None = None) -> int | None:
        raw = request.GET.get(name)  # Django's request or DRF's
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

    def page_size_and_number(self, request) -> tuple[int, int]:
        """The request's page size and page number (a 400 when either is not a whole number in range)."""
        return self.get_page_size(request), self._positive_int(request, self.page_query_param) or 1

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size, page_number = self.page_size_and_number(request)
        self._set_page(Paginator(queryset, page_size), page_number)
        return list(self.page)

    def known_page(self, request, page) -> None:
        """Take a page read elsewhere (catalogue.listing.Page: its rows and count) as this
        request's page; a 404 past the last page."""
        self.request = request
        page_size, page_number = self.page_size_and_number(request)
        self._set_page(CountedPaginator((), page_size, page.count), page_number)
        self.page.object_list = page.rows

    def _set_page(self, paginator, number: int) -> None:
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise exceptions.NotFound(_("There is no page %(page)d.") % {"page": number}) from None

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


class SearchPagination(PageNumberPagination):
    """Pages of a search, with the near spelling offered when it found nothing (`did_you_mean`)."""

    envelope_name = "ProductSearchPage"  # the schema's name of the page (pti_bridge.api.schema)

    def known_page(self, request, page) -> None:
        super().known_page(request, page)
        self.did_you_mean = page.did_you_mean

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["did_you_mean"] = self.did_you_mean
        return response

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["did_you_mean"] = {
            "type": "string",
            "description": "A near spelling of `q` that finds products, offered when `q` as typed finds "
            "none; empty otherwise.",
            "example": "",
        }
        response["required"].append("did_you_mean")
        return response
