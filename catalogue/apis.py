"""The public catalogue API (`/api/v1/`): thin views over catalogue/selectors.py.

Every read is public, cached for anonymous callers under the catalogue's version,
and answers If-None-Match with 304 (pti_bridge/api/caching.py).
"""

from collections.abc import Callable

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue import listing, selectors, suggestions
from catalogue.listing import detail, home
from catalogue.listing.query import ProductListQuerySerializer, parse
from catalogue.serializers import (
    CategorySerializer,
    CollectionDetailSerializer,
    CollectionSerializer,
    CountrySerializer,
    ExporterSerializer,
    HomeSerializer,
    ProductCardSerializer,
    ProductDetailWithViewerSerializer,
    SuggestionQuerySerializer,
    SuggestionSerializer,
    product_cards,
)
from pti_bridge.api.caching import CachedReadMixin
from pti_bridge.api.negotiation import api_language, is_chinese_language
from pti_bridge.api.pagination import SearchPagination
from pti_bridge.api.parameters import reusable
from pti_bridge.api.schema import LANGUAGE_PARAMETER, error_responses

READ_ERRORS = error_responses(400, 404, 429)
READ_PARAMETERS = [
    LANGUAGE_PARAMETER,
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        required=False,
        description="The ETag of an earlier answer: 304 with no body while the answer is the same.",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="A tag of this answer, for If-None-Match.",
    ),
]
NOT_MODIFIED = {304: OpenApiResponse(None, description="Not modified: the answer for If-None-Match is unchanged.")}

# A layer above the catalogue (buyers) adds what only a signed-in viewer sees, e.g.
# `is_favourite`, by appending a function (request, product id) -> dict of fields here.
# The catalogue itself knows no buyer.
PRODUCT_VIEWER_FIELDS: list[Callable] = []


class CatalogueReadApi(CachedReadMixin):
    """Public reads of the catalogue, one cache namespace."""

    cache_namespace = "catalogue"


class _Home(APIView):
    def get(self, request):
        return Response(home.home(request.LANGUAGE_CODE))


@extend_schema(
    tags=["catalogue"],
    summary="Everything the home screen shows, in one call",
    parameters=READ_PARAMETERS,
    responses={200: HomeSerializer, **NOT_MODIFIED, **error_responses(429)},
)
class HomeApi(CatalogueReadApi, _Home):
    def memos_to_prefetch(self, request) -> list[str]:
        return list(home.MEMOS)


@extend_schema(
    tags=["catalogue"],
    summary="All categories, with their product counts",
    parameters=READ_PARAMETERS,
    responses={200: CategorySerializer(many=True), **NOT_MODIFIED, **READ_ERRORS},
)
class CategoryListApi(CatalogueReadApi, generics.ListAPIView):
    serializer_class = CategorySerializer

    def get_queryset(self):
        return selectors.categories()  # a list: the tree is small, counts need all of it


@extend_schema(
    tags=["catalogue"],
    summary="Countries with published products",
    parameters=READ_PARAMETERS,
    responses={200: CountrySerializer(many=True), **NOT_MODIFIED, **READ_ERRORS},
)
class CountryListApi(CatalogueReadApi, generics.ListAPIView):
    serializer_class = CountrySerializer

    def get_queryset(self):
        return selectors.countries()


@extend_schema(
    tags=["catalogue"],
    summary="Published products as cards: search, filters, ordering",
    parameters=[ProductListQuerySerializer, *READ_PARAMETERS],
    responses={200: ProductCardSerializer(many=True), **NOT_MODIFIED, **READ_ERRORS},
)
class ProductListApi(CatalogueReadApi, generics.ListAPIView):
    serializer_class = ProductCardSerializer
    pagination_class = SearchPagination
    _query = None

    def list_query(self, request) -> listing.ListQuery:
        """The request's query (validated once, whether the cache's look-ahead or the view asks first)."""
        if self._query is None:
            size, number = self.paginator.page_size_and_number(request)
            self._query = parse(request.GET, language=api_language(request), page=number, page_size=size)
        return self._query

    def memos_to_prefetch(self, request) -> list[str]:
        try:
            return listing.memo_names(self.list_query(request))
        except ValidationError:
            return []  # the full path answers 400

    # Last in the class: the name shadows the builtin list for what follows it.
    def list(self, request, *args, **kwargs):
        page = listing.product_page(self.list_query(request))
        self.paginator.known_page(request, page)
        return self.paginator.get_paginated_response(product_cards(page.rows))


class _Suggestions(APIView):
    query_serializer = reusable(SuggestionQuerySerializer())  # one instance: see ProductListApi

    def get(self, request):
        query = self.query_serializer.run_validation(request.query_params).get("q", "")
        return Response(suggestions.suggestions(query, language=request.LANGUAGE_CODE))


@extend_schema(
    tags=["catalogue"],
    summary="Search suggestions: completions of what the buyer is typing",
    description=(
        "Up to 10 names of products, categories, countries, exporters and glossary terms that complete `q` "
        "(Chinese, English or pinyin, full or initials), in the request's language, those leading "
        "to the most published products first. Only published products of verified exporters count."
    ),
    parameters=[SuggestionQuerySerializer, *READ_PARAMETERS],
    responses={200: SuggestionSerializer(many=True), **NOT_MODIFIED, **error_responses(400, 429)},
)
class SearchSuggestionsApi(CatalogueReadApi, _Suggestions):
    def memos_to_prefetch(self, request) -> list[str]:
        return suggestions.memo_names(request.GET.get("q", ""))


@extend_schema(
    tags=["catalogue"],
    summary="A published product",
    parameters=READ_PARAMETERS,
    responses={200: ProductDetailWithViewerSerializer, **NOT_MODIFIED, **error_responses(404, 429)},
)
class ProductDetailApi(CatalogueReadApi, generics.RetrieveAPIView):
    serializer_class = ProductDetailWithViewerSerializer

    def retrieve(self, request, pk):
        data = detail.product_detail(pk, is_chinese_language(request.LANGUAGE_CODE))
        if request.auth is not None:
            for viewer_fields in PRODUCT_VIEWER_FIELDS:
                data.update(viewer_fields(request, data["id"]))
        return Response(data)


@extend_schema(
    tags=["catalogue"],
    summary="A verified exporter's profile",
    parameters=READ_PARAMETERS,
    responses={200: ExporterSerializer, **NOT_MODIFIED, **error_responses(404, 429)},
)
class ExporterDetailApi(CatalogueReadApi, generics.RetrieveAPIView):
    serializer_class = ExporterSerializer

    def retrieve(self, request, pk):
        return Response(ExporterSerializer(selectors.get_exporter(pk)).data)


@extend_schema(
    tags=["catalogue"],
    summary="Active curated collections",
    parameters=READ_PARAMETERS,
    responses={200: CollectionSerializer(many=True), **NOT_MODIFIED, **READ_ERRORS},
)
class CollectionListApi(CatalogueReadApi, generics.ListAPIView):
    serializer_class = CollectionSerializer

    def get_queryset(self):
        return list(selectors.collections())  # a list: the active collections are few


@extend_schema(
    tags=["catalogue"],
    summary="An active collection and its products",
    parameters=READ_PARAMETERS,
    responses={200: CollectionDetailSerializer, **NOT_MODIFIED, **error_responses(404, 429)},
)
class CollectionDetailApi(CatalogueReadApi, generics.RetrieveAPIView):
    serializer_class = CollectionDetailSerializer

    def retrieve(self, request, slug):
        return Response(CollectionDetailSerializer(selectors.get_collection(slug)).data)
