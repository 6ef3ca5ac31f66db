"""Template filters for text in two languages."""

from django import template
from django.utils.html import format_html

from pti_bridge.text import CJK_RE

register = template.Library()


@register.filter
def mark_chinese(text):
    """`text` in <span lang="zh-Hans"> when it holds Chinese (a buyer's company on an English page),
    so that screen readers and fonts treat it as Chinese; other text as it is."""
    if text and CJK_RE.search(str(text)):
        return format_html('<span lang="zh-Hans">{}</span>', text)
    return text
