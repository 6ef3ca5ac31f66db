# The buyer API fixtures (a response-scanning client, sign-in) live in tests/buyers/fixtures.py.
from tests.buyers.fixtures import api, policy, sign_in  # noqa: F401
