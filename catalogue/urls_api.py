"""The catalogue's part of the Mini Program API, under /api/v1/."""

from django.urls import path

from catalogue import apis

urlpatterns = [
    path("home/", apis.HomeApi.as_view(), name="api-home"),
    path("categories/", apis.CategoryListApi.as_view(), name="api-categories"),
    path("countries/", apis.CountryListApi.as_view(), name="api-countries"),
    path("products/", apis.ProductListApi.as_view(), name="api-products"),
    path("search/suggestions/", apis.SearchSuggestionsApi.as_view(), name="api-search-suggestions"),
    path("products/<int:pk>/", apis.ProductDetailApi.as_view(), name="api-product"),
    path("exporters/<int:pk>/", apis.ExporterDetailApi.as_view(), name="api-exporter"),
    path("collections/", apis.CollectionListApi.as_view(), name="api-collections"),
    path("collections/<slug:slug>/", apis.CollectionDetailApi.as_view(), name="api-collection"),
]
