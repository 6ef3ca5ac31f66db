from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self):
        # The buyers app knows no inquiry: deleting an account asks this app to erase what the buyer wrote.
        from glossary import aids
        from inquiries.services import buyer_texts_erase, translation_pairs
        from pti_bridge import hooks

        hooks.register("buyer_deleting", buyer_texts_erase)
        # Staff's translations of messages are translation memory for the next ones.
        aids.register_memory(translation_pairs)
