"""The Mini Program's own checks, run by `make test` and CI: ESLint and Prettier, TypeScript, the
Vitest unit tests, both builds and the weapp package sizes (WeChat refuses a package over 2 MB).

Without Node 18+ they skip with one line naming it (fail under PTI_STRICT_SERVICES=1). The sizes
are printed at the end of the run and kept in test-artifacts/miniprogram-size.txt.
"""

import json
import re

import pytest

from tests.miniprogram.project import REPORT, SIZE_REPORT, require_node

SIZE_SCRIPT = "scripts/package-size.mjs"
LIMIT = 2 * 1024 * 1024


def passes(result) -> None:
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stdout[-6000:]}"


def test_lint_and_formatting(miniprogram):
    passes(miniprogram.npm("run", "lint"))


def test_typecheck(miniprogram):
    passes(miniprogram.npm("run", "typecheck"))


def test_unit_tests(miniprogram):
    result = miniprogram.npm("test")
    passes(result)
    assert re.search(r"Tests\s+\d+ passed", result.stdout), result.stdout[-3000:]


def test_the_weapp_build_is_a_mini_program_with_the_four_tabs(miniprogram):
    dist = miniprogram.require_build("weapp")
    app = json.loads((dist / "app.json").read_text())

    assert [tab["text"] for tab in app["tabBar"]["list"]] == ["首页", "收藏", "我的询价", "我的"]
    for page in app["pages"]:
        assert (dist / f"{page}.js").is_file(), page
    for package in app.get("subPackages", []):
        for page in package["pages"]:
            assert (dist / package["root"] / f"{page}.js").is_file(), page
    # WeChat's developer tools open this folder (miniprogram/project.config.json names it).
    config = json.loads((miniprogram.root / "project.config.json").read_text())
    assert (miniprogram.root / config["miniprogramRoot"]).resolve() == dist.resolve()


def test_the_h5_build_loads_its_files_from_m(miniprogram):
    dist = miniprogram.require_build("h5")
    html = (dist / "index.html").read_text()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert assets and all(asset.startswith("/m/") for asset in assets), assets
    assert all((dist / asset.removeprefix("/m/")).is_file() for asset in assets), assets


def test_the_weapp_packages_are_within_wechats_limits(miniprogram):
    miniprogram.require_build("weapp")
    result = miniprogram.npm("run", "--silent", "size")
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    SIZE_REPORT.parent.mkdir(exist_ok=True)
    SIZE_REPORT.write_text("\n".join(lines) + "\n")
    REPORT.extend(lines)

    passes(result)
    main = re.search(r"main package\s+([\d,]+) bytes", result.stdout)
    assert main, result.stdout
    assert int(main.group(1).replace(",", "")) <= LIMIT


# The size check itself, on made-up build folders.


def fake_build(tmp_path, files: dict[str, int], app: dict | None = None, *, name="weapp"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "app.json").write_text(json.dumps(app or {"pages": ["pages/home/index"]}))
    for name, size in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    return folder


def size_check(miniprogram, folder):
    result = miniprogram.npm("run", "--silent", "size", "--", str(folder))
    sizes = {
        match.group(1).strip(): int(match.group(2).replace(",", ""))
        for match in re.finditer(r"^\s+(.+?)\s+([\d,]+) bytes", result.stdout, re.MULTILINE)
    }
    return result, sizes


def test_the_size_check_counts_subpackages_apart_from_the_main_package(miniprogram, tmp_path):
    app = {"pages": ["pages/home/index"], "subPackages": [{"root": "share/", "pages": ["poster/index"]}]}
    folder = fake_build(
        tmp_path,
        {"app.js": 1000, "pages/home/index.js": 500, "share/poster/index.js": 300, "shared/x.js": 7},
        app,
    )
    app_json = (folder / "app.json").stat().st_size

    result, sizes = size_check(miniprogram, folder)

    passes(result)
    assert sizes["main package"] == 1507 + app_json  # "shared/" is not the subpackage "share/"
    assert sizes["subpackage share/"] == 300
    assert sizes["all packages"] == 1807 + app_json


def test_the_size_check_reads_the_older_spelling_of_subpackages(miniprogram, tmp_path):
    app = {"pages": ["pages/home/index"], "subpackages": [{"root": "inquiry", "pages": ["form/index"]}]}
    folder = fake_build(tmp_path, {"inquiry/form/index.js": 4096}, app)

    result, sizes = size_check(miniprogram, folder)

    passes(result)
    assert sizes["subpackage inquiry/"] == 4096


def test_the_size_check_warns_over_1_mb_and_fails_over_2_mb(miniprogram, tmp_path):
    app = {"pages": ["pages/home/index"], "subPackages": [{"root": "share", "pages": ["poster/index"]}]}
    warned = fake_build(tmp_path, {"vendors.js": 1_500_000}, app, name="big")
    over = fake_build(tmp_path, {"vendors.js": 100, "share/poster/big.js": LIMIT + 1}, app, name="too-big")

    warning, _ = size_check(miniprogram, warned)
    failure, sizes = size_check(miniprogram, over)

    passes(warning)
    assert re.search(r"main package .* WARNING: over the 1 MB aim", warning.stdout)
    assert failure.returncode == 1, failure.stdout
    assert re.search(r"subpackage share/ .* OVER the 2 MB limit", failure.stdout)
    assert sizes["subpackage share/"] == LIMIT + 1


def test_the_size_check_says_when_there_is_no_build(miniprogram, tmp_path):
    result, _ = size_check(miniprogram, tmp_path / "nothing")

    assert result.returncode == 2
    assert "npm run build:weapp" in result.stdout


def test_without_node_the_checks_skip_with_one_named_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no node here
    monkeypatch.setattr("tests.miniprogram.project.STRICT_SERVICES", False)

    with pytest.raises(pytest.skip.Exception, match=r"^Node 18\+ not found \(no `node` on PATH\)"):
        require_node()


def test_an_old_node_counts_as_none_and_ci_fails_instead_of_skipping(monkeypatch, tmp_path):
    old_node = tmp_path / "node"
    old_node.write_text("#!/bin/sh\necho v16.20.2\n")
    old_node.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("tests.miniprogram.project.STRICT_SERVICES", True)

    with pytest.raises(pytest.fail.Exception, match=r"^Node 18\+ not found \(node --version says v16.20.2\).*STRICT"):
        require_node()
