"""A small client for the WeChat stand-in's control plane (/__fake__/...), for tests."""

import json
import urllib.parse
import urllib.request


class StandinControl:
    def __init__(self, base_url: str, config):
        self.base_url = base_url
        self.config = config

    def call(self, method: str, route: str, data: dict | None = None, **query):
        url = f"{self.base_url}__fake__/{route}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        body = json.dumps(data).encode() if data is not None else (b"{}" if method == "POST" else None)
        request = urllib.request.Request(url, data=body, method=method)
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback stand-in
            return json.loads(response.read())

    def reset(self):
        return self.call("POST", "reset")

    def state(self):
        return self.call("GET", "state")

    def requests(self, path: str = ""):
        return self.call("GET", "requests", **({"path": path} if path else {}))

    def identity(self, user: str):
        return self.call("GET", "identity", user=user)

    def fault(self, path: str, mode: str, count: int = 1):
        return self.call("POST", "faults", {"path": path, "mode": mode, "count": count})

    def token_fetches(self) -> int:
        return len(self.requests("/cgi-bin/stable_token")) + len(self.requests("/cgi-bin/token"))

    def activate(self, openid: str):
        return self.call("POST", "activity", {"openid": openid})

    def login_code(self, user: str) -> str:
        return self.call("POST", "codes/login", {"user": user})["code"]

    def phone_code(self, phone: str, *, openid: str | None = None, country_code: str = "86") -> str:
        return self.call("POST", "codes/phone", {"phone": phone, "openid": openid, "country_code": country_code})[
            "code"
        ]
