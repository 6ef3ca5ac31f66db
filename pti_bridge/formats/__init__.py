"""Number and date formats where Django's own do not suit the agency (FORMAT_MODULE_PATH)."""
