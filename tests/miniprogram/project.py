"""The Mini Program's project (miniprogram/) for the tests: Node, `npm ci` and the builds, once a session.

`miniprogram` (a session fixture) checks Node 18+ (a skip naming it without; a failure under
PTI_STRICT_SERVICES=1, as for PostgreSQL and Redis), runs `npm ci` when node_modules does not
match package-lock.json, and builds a target the first time a test asks for it: the checks in
tests/miniprogram/ and the browser tests of tests/e2e/ share the builds. A build whose sources
have not changed since the last good one is kept, except in CI (PTI_STRICT_SERVICES=1), which
always builds. What ran, how long it took and the package sizes are printed at the end of the
run (pytest_terminal_summary in tests/conftest.py) and kept in test-artifacts/.
"""

import os
import subprocess
from pathlib import Path

import pytest

from scripts import miniprogram_build

# As tests/conftest.py reads it (imported from there, so not imported from it).
STRICT_SERVICES = os.environ.get("PTI_STRICT_SERVICES") == "1"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SIZE_REPORT = ARTIFACTS / "miniprogram-size.txt"
# What this run did, for the summary at its end: "npm run build:h5: ok in 24 s", the sizes...
REPORT: list[str] = []


def require_node() -> None:
    """Skip (or, under PTI_STRICT_SERVICES=1, fail) the calling test without Node 18+."""
    problem = miniprogram_build.node_problem()
    if problem is None:
        return
    message = f"{problem}: the Mini Program's checks need Node 20 LTS (or 18+) with npm"
    if STRICT_SERVICES:
        pytest.fail(f"{message} (PTI_STRICT_SERVICES=1 forbids skipping)", pytrace=False)
    pytest.skip(message)


class Project:
    """miniprogram/ with its packages installed; builds made on first use, once."""

    root = miniprogram_build.MINIPROGRAM

    def __init__(self):
        self.steps: dict[str, miniprogram_build.Step] = {}

    def npm(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """`npm <args>` in miniprogram/, its output (stdout and stderr together) in .stdout."""
        return subprocess.run(
            ["npm", *args],
            cwd=self.root,
            env={**os.environ, **miniprogram_build.PLAIN_OUTPUT},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=timeout,
        )

    def build(self, target: str) -> miniprogram_build.Step:
        """The session's build of `target` ("weapp" or "h5"), made now if it is the first ask."""
        if target not in self.steps:
            step = miniprogram_build.build(target, force=STRICT_SERVICES)
            self.steps[target] = step
            REPORT.append(step.summary())
        return self.steps[target]

    def require_build(self, target: str) -> Path:
        """dist/<target>, or the test fails with the build's output."""
        step = self.build(target)
        if not step.ok:
            pytest.fail(f"{step.command} failed:\n{step.tail()}", pytrace=False)
        return miniprogram_build.output(target)


@pytest.fixture(scope="session")
def miniprogram():
    problem = miniprogram_build.node_problem()
    if problem is not None:
        REPORT.append(f"{problem}: the Mini Program's checks and browser tests did not run")
    require_node()
    installed = miniprogram_build.install()
    REPORT.append(installed.summary())
    if not installed.ok:
        pytest.fail(f"npm ci failed:\n{installed.tail()}", pytrace=False)
    return Project()


@pytest.fixture(scope="session")
def h5_build(miniprogram) -> Path:
    """miniprogram/dist/h5, built (once a session), which Django serves at /m/."""
    return miniprogram.require_build("h5")


def terminal_summary(terminalreporter) -> None:
    """What the Mini Program's checks did this run, and the weapp package sizes."""
    if not REPORT:
        return
    terminalreporter.write_sep("-", "Mini Program (miniprogram/)")
    for line in REPORT:
        terminalreporter.write_line(line)
