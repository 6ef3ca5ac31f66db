"""The agency's reports on the back office's front page (templates/admin/index.html)."""

from django import template

from inquiries import reports
from inquiries.report_views import ExportForm

register = template.Library()


@register.simple_tag
def agency_reports():
    """Figures for the front page: what waits, charts of the last twelve months, the export form."""
    return {**reports.dashboard(), "export_form": ExportForm.for_front_page()}
