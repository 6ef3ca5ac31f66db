"""The API's conventions, shared by every app's endpoints.

Plumbing only: nothing here knows an app. `REST_FRAMEWORK` in settings wires the
exception handler, pagination, throttles and content negotiation in once.
"""
