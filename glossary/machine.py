"""A machine translation to suggest beside a translation box, when MACHINE_TRANSLATION_URL is set.

The one interface: `suggest(text, target=...)`. The service answers POST {"text", "source",
"target"} with {"translation"}. Off (empty setting), down, slow or answering nonsense, it
gives "": staff translate as always, and no page fails for it.
"""

import json
import logging
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

OTHER = {"zh-hans": "en", "en": "zh-hans"}


def suggest(text: str, *, target: str) -> str:
    """The service's translation of `text` into `target` ("zh-hans" or "en"), or "" when none."""
    url = settings.MACHINE_TRANSLATION_URL
    if not url or not (text or "").strip() or target not in OTHER:
        return ""
    body = json.dumps({"text": text, "source": OTHER[target], "target": target}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.MACHINE_TRANSLATION_TIMEOUT_SECONDS) as answer:
            translation = json.loads(answer.read()).get("translation")
    except (OSError, ValueError, AttributeError) as error:  # down, slow, HTTP error, not JSON, not an object
        logger.warning("machine translation failed: %s", error)
        return ""
    return translation.strip() if isinstance(translation, str) else ""
