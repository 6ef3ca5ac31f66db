"""Fixtures of the browser tests: Chromium (tests/e2e/test_portal.py) and the Mini Program's H5
app on a phone (tests/e2e/h5.py: `h5`, `h5_catalogue`, `h5_server`)."""

from tests.e2e.h5 import demo_photos, h5, h5_catalogue, h5_server  # noqa: F401 - fixtures
from tests.e2e.test_portal import browser  # noqa: F401 - fixture
