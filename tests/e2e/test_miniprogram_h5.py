"""The buyers' Mini Program, as its H5 build, in headless Chromium on a phone's screen (390x844),
against the live API and the WeChat stand-in (tests/e2e/h5.py). Screenshots go to
test-artifacts/miniprogram-*.png.
"""

import pytest

from tests.e2e.h5 import TABS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_home_tab_opens_with_the_tab_bar_and_no_error(h5):
    response = h5.page.goto(h5.url())
    h5.tab_bar().first.wait_for()
    h5.page.wait_for_load_state("networkidle")

    assert response.status == 200
    policy = response.headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]  # the directives' order varies: compare them parsed
    assert "unsafe-eval" not in policy
    assert h5.tab_labels() == TABS
    assert h5.current_tab() == "首页"
    assert h5.page.url.endswith("/m/#/pages/home/index")
    h5.screenshot("home")
    h5.assert_clean()


def test_the_harness_signs_in_as_the_demo_buyer_and_its_photos_load(h5, h5_catalogue):
    """What the screens' tests stand on: the H5 app's sign-in code (src/platform/index.h5.ts)
    gives the demo buyer 王经理 through the stand-in, and the catalogue's photos load on /m/."""
    h5.open()
    answer = h5.page.evaluate(
        """async () => {
          const code = `valid-demo-buyer#${Date.now().toString(36)}`
          const post = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) }
          const auth = await (await fetch('/api/v1/auth/wechat/', post)).json()
          const found = await (await fetch('/api/v1/products/?q=' + encodeURIComponent('香草'))).json()
          const image = new Image()
          const loaded = new Promise((resolve) => { image.onload = () => resolve(image.naturalWidth); image.onerror = () => resolve(0) })
          image.src = found.results[0].thumbnail.url
          document.body.appendChild(image)
          return { buyer: auth.buyer.display_name, created: auth.created, names: found.results.map((p) => p.name), width: await loaded }
        }"""
    )

    assert (answer["buyer"], answer["created"]) == ("王经理", False)
    assert set(answer["names"]) == {"汤加香草荚 A级", "瓦努阿图香草粉"}
    assert answer["width"] == 240
    # Its photo, and the home screen's thumbnails, all answered.
    assert h5.media_answers and all(status == 200 for status, _ in h5.media_answers)
    h5.assert_clean()
