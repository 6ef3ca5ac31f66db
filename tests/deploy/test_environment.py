"""The EnvironmentFile of deploy/systemd, made as the README says: the variables of .env.example
that have a value (an empty value is not the same as unset), plus production's own values.
With it the settings load and `manage.py check --deploy` finds nothing to warn about."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "p" * 30 + "Q7v!x2#Lr9@s4^Kd8&Wm3*Zb6(Hn1)Tf5",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "bridge.pti.example",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://bridge.pti.example",
    "SITE_URL": "https://bridge.pti.example",
    "NUM_PROXIES": "1",
    "DATABASE_URL": "postgres://pti-bridge@db.internal:5432/pti_bridge",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://bridge:secret@smtp.example.com:587",
    "WECHAT_PUSH_TOKEN": "push-token-from-the-console",
}


def environment_file() -> dict[str, str]:
    """What systemd reads from the file: KEY=VALUE lines (comments and empty values left out)."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    values = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z0-9_]+=.+", line))
    return {**values, **PRODUCTION}


def test_settings_load_and_check_deploy_is_clean_with_the_environment_file():
    environment = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **environment_file()}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
