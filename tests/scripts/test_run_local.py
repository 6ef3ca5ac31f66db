"""`make run` (scripts/run_local.py): the sign-in hint it prints signs in as the demo buyer, with the demo's
inquiries; it builds and serves the Mini Program's H5 preview at /m/, or says in one line why not."""

import importlib.util
import io
import re
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from buyers.models import Buyer
from inquiries.models import Inquiry
from tests.conftest import free_port
from tests.servers import Served, project_env, request

pytestmark = pytest.mark.django_db

RUN_LOCAL = Path(__file__).resolve().parents[2] / "scripts" / "run_local.py"


def run_local():
    spec = importlib.util.spec_from_file_location("run_local", RUN_LOCAL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sign_in(client, code: str):
    return client.post("/api/v1/auth/wechat/", {"code": code}, content_type="application/json")


def test_the_printed_hint_signs_in_as_the_demo_buyer_with_its_inquiries(client, wechat):
    call_command("load_demo_data", stdout=io.StringIO())
    wechat.call("POST", "config", {"accept_any_code": True})  # as make run starts the stand-in
    demo_buyer = Buyer.objects.get(display_name="王经理")
    buyers_before = Buyer.objects.count()
    hint = run_local().sign_in_hint(8081)
    code = re.search(r'"code": "([^"]+)"', hint).group(1)

    response = sign_in(client, code)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["buyer"]["id"]) == (False, demo_buyer.pk)
    inquiries = client.get("/api/v1/inquiries/", HTTP_AUTHORIZATION=f"Bearer {body['token']}").json()
    assert inquiries["count"] == Inquiry.objects.filter(buyer=demo_buyer).count() > 0
    assert Buyer.objects.count() == buyers_before


def test_the_hint_says_the_code_is_single_use_and_names_the_next_one(client, wechat):
    call_command("load_demo_data", stdout=io.StringIO())
    hint = run_local().sign_in_hint(8081)
    code = re.search(r'"code": "([^"]+)"', hint).group(1)
    assert sign_in(client, code).status_code == 200

    again = sign_in(client, code)
    following = sign_in(client, "valid-demo-buyer#2")

    assert again.status_code == 400
    assert again.json()["error"]["code"] == "wechat_invalid_code"
    assert "single-use" in hint and "valid-demo-buyer#2" in hint
    assert following.json()["buyer"]["display_name"] == "王经理"


# The Mini Program's H5 preview: `make run` builds it when Node 18+ is here and says where it is.


def serve_locally(tmp_path, **env):
    """scripts/run_local.py on free ports, with its own empty SQLite database (no page here reads it)."""
    port, wechat_port = free_port(), free_port()
    env = project_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)
    command = [sys.executable, str(RUN_LOCAL), "--port", str(port), "--wechat-port", str(wechat_port)]
    return Served(command, env, tmp_path / "run_local.log"), f"http://127.0.0.1:{port}"


def wait_for_line(served, pattern: str, timeout: float = 120.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, served.log.read_text(errors="replace"))
        if found:
            return found.group(0)
        assert served.process.poll() is None, served.log.read_text()
        time.sleep(0.2)
    raise AssertionError(f"no line matching {pattern!r}:\n{served.log.read_text()}")


def test_with_node_make_run_prints_where_the_h5_app_is_and_serves_it(tmp_path, miniprogram, h5_build):
    served, base = serve_locally(tmp_path)
    with served:
        line = wait_for_line(served, r"Mini Program \(H5 preview\) on (\S+): .*")
        page = request(f"{base}/m/")

        assert f"{base}/m/" in line and "王经理" in line and "stand-in" in line
        assert page.status == 200
        assert b'src="/m/js/app.' in page.body
        assert "not found" not in served.log.read_text()


def test_without_node_make_run_says_so_in_one_line_and_serves_the_rest(tmp_path):
    served, base = serve_locally(tmp_path, PATH=str(tmp_path))  # no node, no npm
    with served:
        wait_for_line(served, r"Quit the server with")
        served.wait_for(f"{base}/favicon.ico")
        favicon = request(f"{base}/favicon.ico")
        log = served.log.read_text()

    assert favicon.status == 200
    lines = [line for line in log.splitlines() if "Node" in line or "/m/" in line]
    assert lines == [
        "Node 18+ not found (no `node` on PATH): the Mini Program's H5 preview at /m/ is not built "
        "(install Node 20 LTS for it)"
    ]
