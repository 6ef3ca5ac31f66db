"""A real S3-compatible server on loopback for the storage tests: moto's server mode.

Run as `python tests/storage/s3_server.py PORT`; the tests start it as a subprocess.

One addition to moto: it does not check the expiry of pre-signed URLs (moto 5.2.5,
s3/responses.py has no such check), which Tencent COS, Alibaba OSS and AWS S3 all
do. The small WSGI wrapper below refuses an expired pre-signed URL with the same
403 AccessDenied "Request has expired" answer S3 gives, so the tests can show that
a private document's link stops working.
"""

import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

EXPIRED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
    b"<Message>Request has expired</Message></Error>"
)


class PresignedExpiry:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if "X-Amz-Date" in query and "X-Amz-Expires" in query:
            signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            if datetime.now(UTC) > signed_at + timedelta(seconds=int(query["X-Amz-Expires"][0])):
                start_response("403 Forbidden", [("Content-Type", "application/xml")])
                return [EXPIRED]
        return self.app(environ, start_response)


def main(port: int) -> None:
    app = PresignedExpiry(DomainDispatcherApplication(create_backend_app))
    run_simple("127.0.0.1", port, app, threaded=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
