"""Where every door is put together: the admin back office, the exporter portal and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from catalogue import views as catalogue_views
from exporters import urls as exporters_urls
from exporters.documents import document_download
from inquiries import views as inquiries_views

admin.site.site_header = _("PTI Bridge back office")
admin.site.site_title = _("PTI Bridge")
admin.site.index_title = _("Back office")

# The exporter portal: each app serves its own pages, under one prefix and one namespace.
portal_urlpatterns = (
    [*exporters_urls.urlpatterns, *catalogue_views.portal_urlpatterns, *inquiries_views.portal_urlpatterns],
    "portal",
)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:login", permanent=False)),
    path("portal/", include(portal_urlpatterns)),
    path("admin/", admin.site.urls),
    # A private exporter document, for its company and staff: a short-lived signed link.
    path("documents/<int:pk>/", document_download, name="exporter_document"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
