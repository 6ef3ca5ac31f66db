"""The client's address, by one trusted-proxy rule for every door: the API's throttle and
the sign-in lockout (django-axes, AXES_CLIENT_IP_CALLABLE) alike.

The address is REMOTE_ADDR unless NUM_PROXIES reverse proxies stand in front of the
app; then it is the entry of X-Forwarded-For that the nearest trusted proxy added. A
client cannot pass for another by sending its own X-Forwarded-For: the entries it
makes up sit to the left of the ones our proxies append, and are never read.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    num_proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if len(addresses) < num_proxies:
        # Fewer entries than trusted proxies: the request did not come through them all,
        # so no entry can be trusted.
        return remote_addr
    return addresses[-num_proxies]
