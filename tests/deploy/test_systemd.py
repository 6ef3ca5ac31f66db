"""deploy/systemd: the units for gunicorn, the Celery worker and beat, read as systemd reads them.

`systemd-analyze verify` checks every key and that each ExecStart is executable (the units are
rendered with this checkout in place of /srv/pti-bridge); the other tests check what
the deploy relies on: restarts, the environment file, a dedicated user, commands that exist.
"""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
SERVICES = sorted(UNITS.glob("*.service"))
INSTALL_DIR = "/srv/pti-bridge"
ENVIRONMENT_FILE = "/etc/pti-bridge/pti-bridge.env"


def read_unit(path: Path) -> configparser.ConfigParser:
    # systemd allows repeated keys and backslash-continued lines; neither is used for the keys read here.
    text = path.read_text().replace("\\\n", " ")
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read_string(text)
    return parser


def test_every_process_is_a_service():
    assert [path.name for path in SERVICES] == [
        "pti-bridge-beat.service",
        "pti-bridge-web.service",
        "pti-bridge-worker.service",
    ]


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_service_restarts_runs_as_its_own_user_and_reads_the_environment_file(path):
    service = read_unit(path)["Service"]

    assert service["Restart"] in {"on-failure", "always"}
    assert int(service["RestartSec"]) > 0
    assert service["EnvironmentFile"] == ENVIRONMENT_FILE
    assert (service["User"], service["Group"]) == ("pti-bridge", "pti-bridge")
    assert service["WorkingDirectory"] == INSTALL_DIR
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_exec_start_is_a_program_of_the_virtualenv_with_the_projects_app(path):
    command = shlex.split(read_unit(path)["Service"]["ExecStart"])
    program = Path(command[0])

    assert program.parent == Path(INSTALL_DIR) / ".venv" / "bin"
    assert (ROOT / ".venv" / "bin" / program.name).exists(), f"{program.name} is not installed by requirements.txt"
    assert "pti_bridge.wsgi" in command or command[1:3] == ["-A", "pti_bridge"]


def test_gunicorn_is_started_by_its_socket_and_reloads_gracefully():
    socket = read_unit(UNITS / "pti-bridge-web.socket")
    web = read_unit(UNITS / "pti-bridge-web.service")

    assert socket["Socket"]["ListenStream"] == "127.0.0.1:8000"
    assert web["Unit"]["Requires"] == "pti-bridge-web.socket"
    assert web["Service"]["Type"] == "notify"  # gunicorn tells systemd when it is ready
    assert web["Service"]["ExecReload"] == "/bin/kill -s HUP $MAINPID"


def test_beat_keeps_its_schedule_in_its_state_directory():
    service = read_unit(UNITS / "pti-bridge-beat.service")["Service"]

    assert service["StateDirectory"] == "pti-bridge"
    assert "--schedule /var/lib/pti-bridge/celerybeat-schedule" in service["ExecStart"]


def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    require_service("systemd-analyze", analyze is not None, "apt-get install -y systemd")
    environment = tmp_path / "pti-bridge.env"
    environment.write_text("")
    for unit in UNITS.iterdir():
        text = unit.read_text().replace(ENVIRONMENT_FILE, str(environment)).replace(INSTALL_DIR, str(ROOT))
        (tmp_path / unit.name).write_text(text)

    result = subprocess.run(
        [analyze, "verify", "--man=no", *sorted(str(path) for path in tmp_path.glob("pti-bridge-*"))],
        capture_output=True,
        text=True,
    )

    # verify only warns (exit 0) about unknown keys and bad values, so any output is a failure too.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_gunicorn_accepts_the_units_command_line():
    command = shlex.split(read_unit(UNITS / "pti-bridge-web.service")["Service"]["ExecStart"])
    command[0] = str(ROOT / ".venv" / "bin" / "gunicorn")

    result = subprocess.run([*command, "--check-config"], cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
