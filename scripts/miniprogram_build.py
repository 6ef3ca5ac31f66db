"""Node, `npm ci` and the Mini Program's builds (miniprogram/), for `make run` and the tests.

Node 18+ is optional on a developer's machine: without it `make run` serves everything but
/m/ and the Mini Program's tests skip (fail in CI). `npm ci` runs only when node_modules does
not hold what package-lock.json names; a build runs only when its inputs (src/, config/, the
package and tool files, .env*) changed since the last good build of that target, which leaves
a stamp with their digest in dist/.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIPROGRAM = ROOT / "miniprogram"
NODE_MIN = 18
NODE_MISSING = "Node 18+ not found"
TARGETS = ("weapp", "h5")
# What a build reads besides src/ and config/.
BUILD_FILES = ("package.json", "package-lock.json", "babel.config.js", "tsconfig.json", "project.config.json")
# Captured output, read by people and tests: no colour codes.
PLAIN_OUTPUT = {"NO_COLOR": "1", "FORCE_COLOR": "0"}
OUTPUT_MARK = {"weapp": "app.json", "h5": "index.html"}


@dataclass
class Step:
    """One npm command: what ran (or why not), how it ended, its output."""

    command: str
    ok: bool
    ran: bool
    seconds: float = 0.0
    output: str = ""

    def summary(self) -> str:
        if not self.ran:
            return f"{self.command}: {self.output}"
        return f"{self.command}: {'ok' if self.ok else 'FAILED'} in {self.seconds:.0f} s"

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.strip().splitlines()[-lines:])


def node_version() -> tuple[int, ...] | None:
    """Node's version (20, 20, 2), or None when there is no `node` on PATH."""
    node = shutil.which("node")
    if node is None:
        return None
    try:
        answer = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.match(r"v?(\d+)\.(\d+)\.(\d+)", answer.stdout.strip())
    return tuple(int(part) for part in match.groups()) if match else None


def node_problem() -> str | None:
    """None when Node 18+ and npm are here; otherwise one line saying what is missing."""
    version = node_version()
    if version is None:
        return f"{NODE_MISSING} (no `node` on PATH)"
    if version[0] < NODE_MIN:
        return f"{NODE_MISSING} (node --version says v{'.'.join(map(str, version))})"
    if shutil.which("npm") is None:
        return f"{NODE_MISSING} (node v{'.'.join(map(str, version))} is here, npm is not)"
    return None


def _run(command: list[str], label: str, folder: Path = MINIPROGRAM) -> Step:
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=folder,
        env={**os.environ, **PLAIN_OUTPUT},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    return Step(label, result.returncode == 0, True, time.monotonic() - started, result.stdout)


# npm ci.


def modules_match_lock(folder: Path = MINIPROGRAM) -> bool:
    """Whether node_modules holds what package-lock.json names: npm's record of what it
    installed (node_modules/.package-lock.json) agrees with the lock on every package it
    installed, and lacks only packages the lock marks optional (other platforms' binaries)."""
    try:
        wanted = json.loads((folder / "package-lock.json").read_text())["packages"]
        installed = json.loads((folder / "node_modules" / ".package-lock.json").read_text())["packages"]
    except (OSError, ValueError, KeyError):
        return False
    for name, entry in wanted.items():
        if not name:
            continue  # the project itself
        have = installed.get(name)
        if have is None:
            if not entry.get("optional"):
                return False
        elif have.get("version") != entry.get("version"):
            return False
    return all(name in wanted for name in installed)


def install(folder: Path = MINIPROGRAM) -> Step:
    """`npm ci` when node_modules is missing or out of step with package-lock.json."""
    if modules_match_lock(folder):
        return Step("npm ci", True, False, output="not needed: node_modules matches package-lock.json")
    modules = folder / "node_modules"
    if modules.is_symlink():
        # Another checkout's packages, linked here: `npm ci` would empty that checkout's folder.
        return Step(
            "npm ci",
            True,
            False,
            output=f"skipped: node_modules links to {os.readlink(modules)}, which does not match "
            "package-lock.json (install there, or replace the link with `npm ci`)",
        )
    return _run(["npm", "ci", "--no-audit", "--no-fund"], "npm ci", folder)


# Builds.


def _input_files(folder: Path) -> list[Path]:
    files = [path for part in ("src", "config") for path in (folder / part).rglob("*") if path.is_file()]
    files += [folder / name for name in BUILD_FILES if (folder / name).is_file()]
    files += [path for path in folder.glob(".env*") if path.is_file()]
    return sorted(files)


def inputs_digest(target: str, folder: Path = MINIPROGRAM) -> str:
    """A digest of everything a build of `target` reads from the project (not node_modules:
    package-lock.json stands for it)."""
    digest = hashlib.sha256(target.encode())
    for path in _input_files(folder):
        digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp(target: str, folder: Path = MINIPROGRAM) -> Path:
    # Beside the output folder, not in it: the build empties its folder, and the weapp folder is
    # what WeChat packs (and what the size check counts).
    return folder / "dist" / f".built-{target}"


def output(target: str, folder: Path = MINIPROGRAM) -> Path:
    return folder / "dist" / target


def is_current(target: str, folder: Path = MINIPROGRAM) -> bool:
    """Whether dist/<target> is the build of the project as it is now."""
    mark = stamp(target, folder)
    return (
        (output(target, folder) / OUTPUT_MARK[target]).is_file()
        and mark.is_file()
        and mark.read_text().strip() == inputs_digest(target, folder)
    )


def build(target: str, *, force: bool = False, folder: Path = MINIPROGRAM) -> Step:
    """`npm run build:<target>` unless its output is current; leaves the stamp when it succeeds."""
    command = f"npm run build:{target}"
    if not force and is_current(target, folder):
        return Step(command, True, False, output=f"not needed: dist/{target} is the build of the current sources")
    digest = inputs_digest(target, folder)  # before: a file saved during the build makes the next run build again
    stamp(target, folder).unlink(missing_ok=True)
    step = _run(["npm", "run", f"build:{target}"], command, folder)
    if step.ok:
        stamp(target, folder).parent.mkdir(parents=True, exist_ok=True)
        stamp(target, folder).write_text(digest + "\n")
    return step
