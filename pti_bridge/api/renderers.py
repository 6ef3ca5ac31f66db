"""The API's JSON renderer: DRF's, with the encoding done by orjson.

A page of 20 cards is about 10 KB of JSON; the standard library's encoder took a tenth of
an uncached list request to write it, orjson a fiftieth of that. What orjson does not know
itself (Decimal, lazy translations, datetimes, querysets, ...) goes to DRF's own encoder, so
the output is what DRF writes: compact, UTF-8, datetimes as DRF formats them.
"""

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

# Datetimes to DRF's encoder (it writes "Z" for UTC and milliseconds, orjson would not);
# keys that are not strings (ids) written as JSON's json.dumps writes them.
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def dumps(data) -> bytes:
    """`data` as compact UTF-8 JSON, as the API writes it."""
    body = orjson.dumps(data, default=JSONEncoder().default, option=OPTIONS)
    # As DRF does: the two line separators JSON allows in strings but older JavaScript did not.
    return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            # Asked for indented JSON (Accept: application/json; indent=4): DRF's own way.
            return super().render(data, accepted_media_type, renderer_context)
        return dumps(data)
