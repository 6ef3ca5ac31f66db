"""Content negotiation for the API: the language of the answer, and always JSON.

The Mini Program speaks Simplified Chinese unless it asks for English, so the API's
default language is zh-hans (the portal's default, LANGUAGE_CODE, stays English).
"""

from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation

API_DEFAULT_LANGUAGE = "zh-hans"
# Accept headers DRF answers with the one renderer's own media type.
PLAIN_ACCEPTS = frozenset(["", "*/*", "application/json"])


def is_chinese_language(language: str | None) -> bool:
    """Whether a language code asks for Chinese texts (zh-hans, zh-cn, ...)."""
    return (language or "").startswith("zh")


def api_language(request) -> str:
    """The first supported language of Accept-Language (zh-CN counts as zh-hans), else zh-hans."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return API_DEFAULT_LANGUAGE


class ApiContentNegotiation(DefaultContentNegotiation):
    """Activates the request's language first, so every message (errors included) is in it;
    answers JSON even to a client whose Accept asks for something else, rather than a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        language = api_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if (
            len(renderers) == 1
            and request.META.get("HTTP_ACCEPT", "") in PLAIN_ACCEPTS
            and not format_suffix
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            # What the Mini Program sends: DRF's answer without parsing the header.
            return renderers[0], renderers[0].media_type
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            if format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE):
                raise
            return renderers[0], renderers[0].media_type
