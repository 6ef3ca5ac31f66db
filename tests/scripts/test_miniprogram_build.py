"""scripts/miniprogram_build.py: `npm ci` only when node_modules does not match the lock (and never
through a link to another checkout's packages), a build only when its sources changed since the
last good one. On a made-up project in a temporary folder."""

import json

import pytest

from scripts import miniprogram_build
from tests.miniprogram.project import require_node

LOCK = {
    "name": "fake",
    "lockfileVersion": 3,
    "packages": {
        "": {"name": "fake"},
        "node_modules/react": {"version": "18.3.1"},
        "node_modules/@tarojs/binding-darwin-arm64": {"version": "4.1.11", "optional": True},
    },
}
# Each build appends a line to builds.log, so a test counts them; a file src/fail makes it fail.
BUILD_SCRIPT = """
const fs = require('fs')
fs.appendFileSync('builds.log', 'built\\n')
if (fs.existsSync('src/fail')) process.exit(1)
fs.mkdirSync('dist/h5', { recursive: true })
fs.writeFileSync('dist/h5/index.html', '<!doctype html>')
"""


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "miniprogram"
    (folder / "src").mkdir(parents=True)
    (folder / "config").mkdir()
    (folder / "src" / "app.ts").write_text("export {}\n")
    (folder / "config" / "index.ts").write_text("export default {}\n")
    (folder / "build.js").write_text(BUILD_SCRIPT)
    (folder / "package.json").write_text(json.dumps({"name": "fake", "scripts": {"build:h5": "node build.js"}}))
    (folder / "package-lock.json").write_text(json.dumps(LOCK))
    return folder


def installed(folder, packages: dict) -> None:
    """What npm writes after an install: node_modules/.package-lock.json."""
    (folder / "node_modules").mkdir(exist_ok=True)
    (folder / "node_modules" / ".package-lock.json").write_text(json.dumps({"name": "fake", "packages": packages}))


def test_node_modules_match_the_lock_less_other_platforms_optional_packages(project):
    assert not miniprogram_build.modules_match_lock(project)  # nothing installed

    installed(project, {"node_modules/react": {"version": "18.3.1"}})
    assert miniprogram_build.modules_match_lock(project)

    installed(project, {"node_modules/react": {"version": "18.2.0"}})
    assert not miniprogram_build.modules_match_lock(project)

    installed(project, {"node_modules/react": {"version": "18.3.1"}, "node_modules/left-pad": {"version": "1.3.0"}})
    assert not miniprogram_build.modules_match_lock(project)

    installed(project, {"node_modules/@tarojs/binding-darwin-arm64": {"version": "4.1.11"}})
    assert not miniprogram_build.modules_match_lock(project)  # react is not optional


def test_npm_ci_is_skipped_when_the_packages_match(project):
    installed(project, {"node_modules/react": {"version": "18.3.1"}})

    step = miniprogram_build.install(project)

    assert (step.ran, step.ok) == (False, True)
    assert "not needed" in step.summary()


def test_npm_ci_never_runs_through_a_link_to_another_checkouts_packages(project, tmp_path):
    other = tmp_path / "other-checkout" / "node_modules"
    other.mkdir(parents=True)
    (other / ".package-lock.json").write_text(json.dumps({"packages": {"node_modules/react": {"version": "17.0.2"}}}))
    (other / "react").mkdir()
    (project / "node_modules").symlink_to(other)

    step = miniprogram_build.install(project)

    assert (step.ran, step.ok) == (False, True)
    assert step.output.startswith("skipped: node_modules links to")
    assert (other / "react").is_dir() and (project / "node_modules").is_symlink()


def test_a_build_runs_only_when_its_sources_changed_since_the_last_good_one(project):
    require_node()
    builds = project / "builds.log"

    first = miniprogram_build.build("h5", folder=project)
    again = miniprogram_build.build("h5", folder=project)
    (project / "README.md").write_text("not read by the build")
    still = miniprogram_build.build("h5", folder=project)
    (project / "src" / "app.ts").write_text("export const changed = 1\n")
    changed = miniprogram_build.build("h5", folder=project)
    (project / ".env.production").write_text("TARO_APP_API_BASE=https://bridge.pti.example\n")
    configured = miniprogram_build.build("h5", folder=project)
    forced = miniprogram_build.build("h5", folder=project, force=True)

    assert [first.ran, again.ran, still.ran, changed.ran, configured.ran, forced.ran] == [
        True,
        False,
        False,
        True,
        True,
        True,
    ]
    assert all(step.ok for step in (first, again, still, changed, configured, forced))
    assert builds.read_text().count("built") == 4
    assert miniprogram_build.is_current("h5", project)


def test_a_failed_build_leaves_no_stamp_so_the_next_run_builds_again(project):
    require_node()
    assert miniprogram_build.build("h5", folder=project).ok
    (project / "src" / "fail").write_text("")

    failed = miniprogram_build.build("h5", folder=project)
    retried = miniprogram_build.build("h5", folder=project)

    assert (failed.ran, failed.ok, retried.ran, retried.ok) == (True, False, True, False)
    assert "FAILED" in failed.summary()
    assert not miniprogram_build.stamp("h5", project).exists()
    assert not miniprogram_build.is_current("h5", project)
