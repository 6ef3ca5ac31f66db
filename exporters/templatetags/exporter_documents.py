"""What the portal's pages say about the company's verification documents (exporters.services)."""

from django import template
from django.utils import translation

from exporters import services

register = template.Library()


@register.simple_tag
def documents_needed(exporter) -> list[dict]:
    """The required documents a company not (or no longer) verified has not had accepted yet,
    named in English (the portal's language) as {"kind", "label", "state"}."""
    if exporter is None or exporter.is_verified:
        return []
    with translation.override("en"):
        return [
            {"kind": row.kind, "label": row.label, "state": row.state} for row in services.verification_gaps(exporter)
        ]
