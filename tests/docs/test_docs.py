"""The documents a clone of the repository has: docs/ and the README point only at files in it,
and docs/api.md names every endpoint the API serves, no more."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The design documents the project started from lived beside the repository, not in it.
OUTSIDE = re.compile(r"\.\./" + "shared|\\b(?:DESIGN|WECHAT|API|STYLE|MINIPROGRAM)" + r"\.md")
ENDPOINT = re.compile(r"`((?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*) (/api/v1/[^`?]*)")


def tracked_text_files() -> list[Path]:
    """The repository's text files: git's list, or (outside a git checkout) the tree less what git ignores."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if listed.returncode == 0:
        paths = [ROOT / name for name in listed.stdout.decode().split("\0") if name]
    else:
        ignored = {".git", ".venv", "media", "private_media", "staticfiles", "test-artifacts", "__pycache__"}
        paths = [path for path in ROOT.rglob("*") if not ignored & set(path.relative_to(ROOT).parts)]
    return [path for path in paths if path.is_file() and b"\0" not in path.read_bytes()[:4096]]


def test_no_file_points_outside_the_repository():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in tracked_text_files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]

    assert offenders == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_links_lead_to_files_of_the_repository(document):
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", document.read_text())
    local = [target for target in targets if "://" not in target and not target.startswith("mailto:")]

    assert [target for target in local if not (document.parent / target).exists()] == []


@pytest.mark.django_db
def test_api_md_names_every_served_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    served = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    served.add(("GET", "/api/v1/wechat/push/"))  # WeChat's server-to-server push, kept out of the schema
    served.add(("POST", "/api/v1/wechat/push/"))

    documented = {
        (method, path)
        for methods, path in ENDPOINT.findall((ROOT / "docs" / "api.md").read_text())
        for method in methods.split("/")
    }

    assert documented == served
