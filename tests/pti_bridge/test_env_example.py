"""Every variable the settings read is documented in .env.example, and nothing else is."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_documents_exactly_the_variables_settings_read():
    settings_source = (ROOT / "pti_bridge" / "settings.py").read_text()
    read = set(re.findall(r"""env(?:_bool|\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", settings_source))
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))

    assert read, "no variables found: the pattern no longer matches settings.py"
    assert sorted(read - documented) == [], "read by settings but missing from .env.example"
    assert sorted(documented - read) == [], "documented in .env.example but never read"
