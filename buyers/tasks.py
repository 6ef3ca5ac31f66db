"""Celery tasks of the buyers app (discovered by pti_bridge.celery)."""

from celery import shared_task

from buyers import services


@shared_task(ignore_result=True)
def submit_avatar_check(buyer_id: int) -> None:
    """After an avatar upload commits: submit it to WeChat's media check. No automatic retry:
    a failure leaves the avatar pending and `sweep_avatar_checks` submits it later."""
    services.avatar_check_submit(buyer_id=buyer_id)


@shared_task(ignore_result=True)
def sweep_avatar_checks() -> int:
    """Every 5 minutes (Celery beat): avatar checks never submitted or never answered."""
    return services.avatar_checks_sweep()
