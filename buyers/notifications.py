"""How the outbox sends WeChat subscribe messages to buyers (registered in BuyersConfig.ready).

Rows are addressed "buyer:<id>", never to an openid: the openid is looked up at send time,
so the outbox holds none and a deleted account leaves none behind. WeChat's refusals that
retrying cannot change (the buyer refused or used up the subscription, 43101; a template or
value WeChat rejects; no account any more) are PermanentSendError: the row fails at once,
without retries. WeChat down or busy is an ordinary error: the outbox retries with backoff.
"""

from buyers.models import Buyer
from pti_bridge.models import Notification
from pti_bridge.outbox import PermanentSendError
from pti_bridge.wechat.gateway import WeChatRefused, get_gateway

RECIPIENT_PREFIX = "buyer:"


def buyer_for_recipient(recipient: str) -> Buyer | None:
    if not recipient.startswith(RECIPIENT_PREFIX) or not recipient[len(RECIPIENT_PREFIX) :].isdigit():
        return None
    return Buyer.objects.filter(pk=int(recipient[len(RECIPIENT_PREFIX) :])).first()


def send_wechat_subscribe_message(notification: Notification) -> None:
    buyer = buyer_for_recipient(notification.recipient)
    if buyer is None or buyer.deleted_at is not None or not buyer.openid:
        raise PermanentSendError("the buyer's account no longer exists")
    payload = notification.payload
    try:
        get_gateway().send_subscribe_message(
            openid=buyer.openid,
            template_id=payload["template_id"],
            data=payload["data"],
            page=payload.get("page", ""),
            lang=payload.get("lang", "zh_CN"),
        )
    except WeChatRefused as error:  # 43101 refused, 47003 bad value, 40037 bad template ...
        raise PermanentSendError(f"WeChat refused ({error.code}, errcode {error.errcode}): {error.message}") from error


def cancel_for_buyer(buyer_id: int) -> int:
    """Cancel the buyer's unsent WeChat messages (account deletion); returns how many."""
    return Notification.objects.filter(
        channel=Notification.Channel.WECHAT,
        recipient=f"{RECIPIENT_PREFIX}{buyer_id}",
        status__in=[Notification.Status.PENDING, Notification.Status.FAILED],
    ).update(status=Notification.Status.CANCELLED)
