"""The API's parsers: DRF's, with refusals in the request's language.

DRF words a body it cannot read in English with Python's own reason appended
("JSON parse error - Expecting value: line 1 column 7"); the Mini Program shows its
buyers the error's message, so it is said here once, translated, with only the position.
"""

import json

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as error:
            reason = error.__context__
            if isinstance(reason, json.JSONDecodeError):
                message = _("The request body is not valid JSON (line %(line)d, column %(column)d).") % {
                    "line": reason.lineno,
                    "column": reason.colno,
                }
            else:  # not UTF-8, or NaN/Infinity, which JSON has no words for
                message = _("The request body is not valid JSON.")
            raise exceptions.ParseError(message) from reason


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as error:
            raise exceptions.ParseError(_("The request body is not a valid multipart form.")) from error.__context__
