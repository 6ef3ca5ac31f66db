from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self):
        # The catalogue knows no buyer; it offers a hook for what a signed-in viewer sees.
        from buyers.apis import is_favourite_fields
        from buyers.notifications import send_wechat_subscribe_message
        from catalogue.apis import PRODUCT_VIEWER_FIELDS
        from pti_bridge import outbox
        from pti_bridge.models import Notification

        if is_favourite_fields not in PRODUCT_VIEWER_FIELDS:
            PRODUCT_VIEWER_FIELDS.append(is_favourite_fields)
        # The plumbing's outbox knows no buyer: the buyers app says how WeChat messages reach one.
        outbox.register_sender(Notification.Channel.WECHAT, send_wechat_subscribe_message)
