"""Where every door is put together: the admin back office, the exporter portal and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from catalogue import views as catalogue_views
from exporters import urls as exporters_urls
from exporters.documents import document_download
from inquiries import report_views as inquiries_report_views
from inquiries import views as inquiries_views
from pti_bridge.api.views import ApiNotFound
from pti_bridge.miniprogram import h5_app
from pti_bridge.views import favicon

admin.site.site_header = _("PTI Bridge back office")
admin.site.site_title = _("PTI Bridge")
admin.site.index_title = _("Back office")
# No list of every model beside each page: on a 1280 px laptop it took a quarter of the width
# and pushed the lists' last columns out of sight (the front page and breadcrumbs lead everywhere).
admin.site.enable_nav_sidebar = False

# The exporter portal: each app serves its own pages, under one prefix and one namespace.
portal_urlpatterns = (
    [*exporters_urls.urlpatterns, *catalogue_views.portal_urlpatterns, *inquiries_views.portal_urlpatterns],
    "portal",
)

urlpatterns = [
    # The Mini Program API first: its addresses are the ones asked most often. Then its OpenAPI
    # schema and browsable docs (assets served by us).
    path("api/v1/", include("catalogue.urls_api")),
    path("api/v1/", include("buyers.urls_api")),
    path("api/v1/", include("inquiries.urls_api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its start-up script from ?script instead of inline (the CSP allows none).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs/swagger_ui.html"),
        name="api-docs",
    ),
    path("", RedirectView.as_view(pattern_name="portal:login", permanent=False)),
    path("portal/", include(portal_urlpatterns)),
    # The agency's CSV export of inquiries and deals, before the admin's own addresses; the
    # admin's gate (staff past the second factor).
    path(
        "admin/reports/inquiries.csv",
        admin.site.admin_view(inquiries_report_views.inquiries_csv),
        name="admin_reports_inquiries_csv",
    ),
    path("admin/", admin.site.urls),
    # A private exporter document, for its company and staff: a short-lived signed link.
    path("documents/<int:pk>/", document_download, name="exporter_document"),
    # The Mini Program's H5 build, for local use and the browser tests (same origin as the API).
    re_path(r"^m/(?P<path>.*)\Z", h5_app, name="miniprogram_h5"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon, name="favicon"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Keep last: any other /api/ address is a JSON 404 in the API's error shape.
urlpatterns.append(re_path(r"^api/", ApiNotFound.as_view()))
# A bug behind an /api/ address still answers JSON in that shape (HTML elsewhere).
handler500 = "pti_bridge.api.views.server_error"
