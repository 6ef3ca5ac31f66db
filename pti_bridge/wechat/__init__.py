"""WeChat plumbing: the gateway every app calls, and the local stand-in server."""
