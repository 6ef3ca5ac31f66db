"""Test helper: put an inquiry into English the way staff do before forwarding it."""

from django.contrib.auth import get_user_model

from inquiries import services
from inquiries.models import Message, released_q
from tests import factories

KNOWN = {"请问每公斤的到岸价是多少？": "What is the CIF price per kg?", "上海": "Shanghai"}


def into_english(inquiry, *, staff=None, **english):
    """Translate the buyer's messages not yet passed on and fill the English fields (given, or a
    default); returns the inquiry as it is now."""
    staff = staff or get_user_model().objects.filter(is_staff=True, is_active=True).first()
    staff = staff or factories.StaffFactory(email="translator@pti.example")
    waiting = inquiry.messages.filter(author_role=Message.AuthorRole.BUYER, screening="passed").exclude(released_q())
    for message in waiting.exclude(text=""):
        services.message_translate(message=message, translation=KNOWN.get(message.text, "Please quote."), actor=staff)
    suggestions = services.english_suggestions(inquiry)
    suggestions["destination_en"] = KNOWN.get(inquiry.destination, suggestions["destination_en"])
    values = {name: english.get(name) or value for name, value in suggestions.items()}
    services.inquiry_set_english(inquiry=inquiry, actor=staff, **values)
    inquiry.refresh_from_db()
    return inquiry
