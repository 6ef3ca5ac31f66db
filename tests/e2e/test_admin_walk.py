"""Every admin page, in Chinese, on a 1280 px laptop (issue 16, hole 7).

A superuser past the second factor walks every page the admin site's registry and URL patterns
name: the front page with its reports, every app page, every changelist, add and change form,
and whatever other page those link to (the product's reject page, documents...), with a row in
every model. Each page fails on form boxes that overlap, sideways scrolling, text from our own
code still in English (or a raw snake_case code), and axe-core's critical or serious violations.
Screenshots go to test-artifacts/admin-walk/.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_static.models import StaticDevice

from buyers.models import PrivacyPolicy
from buyers.services import buyer_consent
from catalogue.models import Category, Certification
from catalogue.services import product_publish, product_submit
from exporters.models import Country
from exporters.services import exporter_verify
from glossary.models import Term
from inquiries import services as inquiry_services
from tests import factories
from tests.e2e.page_checks import (
    axe_violations,
    english_leaks,
    hidden_sideways,
    overlapping_boxes,
    sideways_scroll,
    visible_texts,
)
from tests.e2e.test_portal import ARTIFACTS, staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ARTIFACTS / "admin-walk"
PO_FILE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
WIDTH = 1280
WIDEST = 1440

# Routes the walk leaves out, and why.
NOT_WALKED = {
    "logout": "would end the session",
    "login": "the sign-in steps have their own tests (test_admin_second_factor.py)",
    "second_factor": "the sign-in steps have their own tests (test_admin_second_factor.py)",
    "second_factor_enrol": "the sign-in steps have their own tests (test_admin_second_factor.py)",
    "jsi18n": "JavaScript, not a page",
    "view_on_site": "leaves the admin for the public page",
    "autocomplete": "JSON for the autocomplete widgets, not a page",
}
# Django's own pages per model, with nothing of ours but the object's name.
NOT_WALKED_SUFFIXES = {
    "_delete": "Django's own delete confirmation",
    "_history": "Django's own change history",
}
# axe-core's findings in widgets that are not ours, left out of the failures (rule ids, where):
DJANGO_WIDGETS = [
    # Django's tabular inline (admin/edit_inline/tabular.html) and the changelist's editable
    # columns name each column once in a <th>, not each row's input.
    ({"label", "select-name"}, ".tabular td"),
    ({"label", "select-name"}, "#result_list td"),
    # Django's SplitDateTimeWidget: the field's one <label> names the date box; the time box has none.
    ({"label"}, "p.datetime"),
    # Django's vendored Select2 (autocomplete_fields): its combobox, search box and chip list.
    ({"label", "aria-input-field-name", "list"}, ".select2-container"),
    # Django's filter_horizontal widget (SelectFilter2.js) puts aria-label on a plain <span>.
    ({"aria-prohibited-attr"}, ".selector .help-tooltip"),
    # django-otp's TOTP device page (otp_totp/admin/config.html): the QR code has no alt text.
    ({"image-alt"}, "img.qrcode-image"),
]
# Staff's reference lists, read in Chinese: their English names must not show alone. (A
# product's English name is the exporter's own text, which staff read and translate.)
REFERENCE_MODELS = (Country, Category, Certification)
# Our strings that read the same in Chinese (names, codes), and the staff group's name: a
# database row that pti_bridge.roles looks up by that name.
SAME_IN_CHINESE = {"pti bridge", "id", "hs", "openid", "url", "csv", "pdf", "gacc", "pti staff"}
# Other packages' English that matches a word of ours, by the start of the page's route name:
# django-axes titles its lockout column from the method's name (AccessAttemptAdmin.status has
# no description to translate); django-otp's devices name their user field without gettext.
THEIR_WORDS = {"axes_accessattempt_changelist": {"status"}, "otp_": {"user"}}


def their_words(route: str) -> set[str]:
    return {word for start, words in THEIR_WORDS.items() if route.startswith(start) for word in words}


def a_row_in_every_model(superuser):
    """Data for every model the admin lists, written through the services where they exist, so
    the audit trail and the outbox hold what staff really see."""
    staff = factories.StaffFactory(email="wang.fang@pti.example", first_name="芳", last_name="王")
    fiji = factories.CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")
    factories.CountryFactory(code="TO", name_en="Tonga", name_zh_hans="汤加")
    spices = factories.CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    vanilla = factories.CategoryFactory(slug="vanilla", name_en="Vanilla", name_zh_hans="香草", parent=spices)
    organic = factories.CertificationFactory(code="organic", name_en="Organic", name_zh_hans="有机")
    factories.CertificationFactory(code="haccp", name_en="HACCP", name_zh_hans="HACCP 认证")
    exporter = factories.ExporterFactory(name="Vanua Vanilla Co", country=fiji)
    member = factories.ExporterMemberFactory(exporter=exporter, user__email="alice@vanua.example").user
    factories.ExporterDocumentFactory(exporter=exporter)
    exporter_verify(exporter=exporter, actor=superuser, note="执照已在苏瓦贸易展上核对。")
    factories.ExporterFactory(name="Bula Coconut Ltd", country=fiji)

    product = factories.ProductFactory(
        exporter=exporter, category=vanilla, name_en="Tahitian vanilla beans", name_zh_hans="大溪地香草荚"
    )
    product.certifications.add(organic)
    factories.ProductImageFactory(product=product, alt_text="")
    product_submit(product=product, actor=member)
    product_publish(product=product, actor=superuser)
    waiting = factories.ProductFactory(exporter=exporter, category=spices, name_en="Black pepper", untranslated=True)
    product_submit(product=waiting, actor=member)
    factories.CollectionItemFactory(product=product)

    buyer = factories.BuyerFactory(display_name="王经理", company="上海进口贸易有限公司")
    policy = PrivacyPolicy.objects.create(
        version="2026-01",
        title_zh_hans="隐私政策",
        title_en="PTI Bridge privacy notice 2026",
        text_zh_hans="……",
        text_en="...",
    )
    buyer_consent(buyer=buyer, policy_version=policy.version)
    factories.FavouriteFactory(buyer=buyer, product=product)
    # Answered, with a message WeChat's check holds: every workflow form and button shows.
    inquiry = factories.InquiryFactory(
        buyer=buyer, product=product, assigned_to=staff, status="answered", forwarded_at=timezone.now()
    )
    factories.MessageFactory(inquiry=inquiry, translation="What is the CIF price per kilogram?")
    factories.MessageFactory(inquiry=inquiry, text="请尽快回复香草荚的价格。", screening="review")
    # The exporter's answer, not yet translated for the buyer: its send-as-written form shows.
    factories.MessageFactory(inquiry=inquiry, author_role="exporter", text="Yes, 120 kg is fine.", language="en")
    inquiry_services.note_add(inquiry=inquiry, text="买家很着急。", actor=staff)
    inquiry_services.inquiry_policy_set(screening_required=True, actor=superuser)

    Term.objects.create(term_en="vanilla bean", term_zh_hans="香草荚", pinyin="xiang cao jia")
    StaticDevice.objects.create(user=staff, name="Recovery codes", confirmed=True)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        fields = {"username": "mallory@example.com", "ip_address": "203.0.113.9", "user_agent": "curl/8"}
        fields |= {"http_accept": "*/*", "path_info": "/admin/login/"}
        if model is AccessAttempt:
            fields |= {"get_data": "", "post_data": "username=mallory", "failures_since_start": 1}
        model.objects.create(**fields)


def our_english_strings() -> dict[str, str]:
    """Our own English strings staff must not read as they are: the .po's msgids whose
    Chinese differs (or is missing), and the labels of our models and admins."""
    strings = {}
    for msgid, msgstr in po_entries(PO_FILE):
        if msgid != msgstr and "%" not in msgid and "{" not in msgid and re.search(r"[A-Za-z]{2}", msgid):
            strings[msgid.casefold()] = msgid
    with translation.override("en"):
        for model in our_models():
            opts = model._meta
            labels = [opts.verbose_name, opts.verbose_name_plural]
            for field in opts.get_fields():
                labels += [getattr(field, "verbose_name", ""), getattr(field, "help_text", "")]
                labels += [label for _value, label in getattr(field, "flatchoices", None) or []]
            for label in map(str, labels):
                # Codes such as USD or FOB read the same in Chinese.
                if re.search(r"[A-Za-z]{2}", label) and "%" not in label and not re.fullmatch(r"[A-Z]{2,5}", label):
                    strings.setdefault(label.casefold(), label)
    for folded in SAME_IN_CHINESE:
        strings.pop(folded, None)
    return strings


def po_entries(path: Path):
    """(msgid, msgstr) of each entry of a .po file; plural entries give their singular."""
    entry, key = {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr", "msgctxt ", "msgid_plural ")):
            key, _space, rest = line.partition(" ")
            key = "msgstr" if key.startswith("msgstr") else key
            entry.setdefault(key, "")
            entry[key] += _unquote(rest)
        elif line.startswith('"') and key:
            entry[key] += _unquote(line)
        elif not line.strip():
            if entry.get("msgid"):
                yield entry["msgid"], entry.get("msgstr", "")
            entry, key = {}, None


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n")


def our_models():
    """The models of the project's own apps (not Django's or the packages' in .venv)."""
    root = ROOT.resolve()

    def ours(model) -> bool:
        # The venv may sit inside the checkout (make setup puts it in .venv/): its packages are not ours.
        path = Path(model._meta.app_config.path).resolve()
        return path.is_relative_to(root) and "site-packages" not in path.parts

    return [model for model in apps.get_models() if ours(model)]


def reference_names() -> set[str]:
    """English names of the reference lists' rows that have a different Chinese name."""
    names = set()
    for model in REFERENCE_MODELS:
        for name_en, name_zh in model.objects.values_list("name_en", "name_zh_hans"):
            if name_zh and name_zh != name_en:
                names.add(name_en)
    return names


def admin_routes(site) -> dict[str, tuple]:
    """Every named admin route: {name: (pattern text, model or None)}."""
    routes = {}
    for model, model_admin in site._registry.items():
        for pattern in model_admin.get_urls():
            if pattern.name:
                routes[pattern.name] = (str(pattern.pattern), model)
    for pattern in site.get_urls():
        if getattr(pattern, "name", None) and pattern.name not in routes:
            routes[pattern.name] = (str(pattern.pattern), None)
    return routes


def skipped_reason(name: str) -> str | None:
    if name in NOT_WALKED:
        return NOT_WALKED[name]
    return next((why for suffix, why in NOT_WALKED_SUFFIXES.items() if name.endswith(suffix)), None)


def first_urls(site, superuser) -> list[str]:
    """The pages reachable without following links: routes without parameters, each model's
    changelist and add form, and each model's routes that take only an object's id (its first row)."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    urls = [reverse("admin:index")]
    urls += sorted({reverse("admin:app_list", args=[m._meta.app_label]) for m in site._registry})
    for name, (pattern, model) in admin_routes(site).items():
        if skipped_reason(name) or name == "app_list":
            continue
        parameters = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
        if not parameters:
            urls.append(reverse(f"admin:{name}"))
        elif len(parameters) == 1 and model is not None:
            row = model._default_manager.order_by("pk").first()
            if row is not None:
                try:
                    urls.append(reverse(f"admin:{name}", args=[row.pk]))
                except NoReverseMatch:
                    pass
    return list(dict.fromkeys(urls))


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name if "admin" in match.namespaces or match.url_name else None


def test_every_admin_page_reads_in_chinese_and_fits_a_laptop(browser, live_server, settings):  # noqa: C901
    superuser = factories.StaffFactory(email="admin@pti.example", is_superuser=True)
    a_row_in_every_model(superuser)
    english = our_english_strings()
    names = reference_names()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()

    page = staff_sign_in(browser, live_server, superuser, locale="zh-CN")  # its authenticator is a row too
    site = admin.site
    empty = [model._meta.label for model in site._registry if not model._default_manager.exists()]
    assert empty == [], "a_row_in_every_model() has no row for these models: the walk would miss their pages"
    page.set_viewport_size({"width": WIDTH, "height": 900})
    origin = live_server.url
    queue = deque(first_urls(site, superuser))
    visited_routes: dict[str, str] = {}
    posted_routes: set[str] = set()
    problems: dict[str, list[str]] = {}
    queued = set(queue)

    while queue:
        path = queue.popleft()
        name = route_name(urlsplit(path).path) or path
        if name in visited_routes and name != "app_list":
            continue
        visited_routes[name] = path
        answer = page.request.get(origin + path, max_redirects=0)
        if answer.status == 405:
            posted_routes.add(name)
            continue
        if answer.status == 403:  # refused to everyone, superusers included (read-only records' add form)
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            assert answer.status == 200, f"{path}: {answer.status}"
            continue
        page.goto(origin + path)
        page.wait_for_load_state("load")
        found = []
        if page.url.rstrip("/").endswith("/admin/login"):
            pytest.fail(f"{path} sent the superuser to the sign-in page")
        if (wider := sideways_scroll(page)) > 0:
            found.append(f"scrolls sideways: the page is {wider} px wider than the window")
        found += [f"hidden to the right: {text}" for text in hidden_sideways(page)]
        found += [f"overlap: {text}" for text in overlapping_boxes(page)]
        texts = visible_texts(page)
        found += [
            f"English: {text}" for text in english_leaks(texts, english, allowed=SAME_IN_CHINESE | their_words(name))
        ]
        found += [
            f"English name of a reference row: {t['text']!r} ({t['where'][:60]})"
            for t in texts
            if t["text"] in names and "_en" not in t["where"]
        ]
        found += [
            f"axe {v['impact']} {v['rule']}: {v['help']} at {v['target']}: {v['html']}"
            for v in axe_violations(page, excluded=DJANGO_WIDGETS)
        ]
        if page.locator(".form-multiline").count():
            # Rows of two fields side by side broke between 1280 and 1440 px: check the wide end too.
            page.set_viewport_size({"width": WIDEST, "height": 900})
            if (wider := sideways_scroll(page)) > 0:
                found.append(f"at {WIDEST} px: scrolls sideways: the page is {wider} px wider than the window")
            found += [f"at {WIDEST} px: overlap: {text}" for text in overlapping_boxes(page)]
            page.set_viewport_size({"width": WIDTH, "height": 900})
        shot = re.sub(r"[^a-z0-9]+", "-", path.casefold()).strip("-") or "index"
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        if found:
            problems[path] = found
        # Follow the links and note where the forms post.
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        forms = page.eval_on_selector_all(
            "form[method=post i][action]", "forms => forms.map(f => f.getAttribute('action'))"
        )
        for action in forms:
            target = urlsplit(urljoin(origin + path, action))
            if target.netloc == urlsplit(origin).netloc and (posted := route_name(target.path)):
                posted_routes.add(posted)
        for href in links:
            target = urlsplit(urljoin(origin + path, href))
            if target.netloc != urlsplit(origin).netloc or not target.path.startswith("/admin/"):
                continue
            linked = route_name(target.path)
            if linked and linked not in visited_routes and not skipped_reason(linked) and target.path not in queued:
                queued.add(target.path)
                queue.append(target.path)

    report = [f"{path}\n  " + "\n  ".join(found) for path, found in problems.items()]
    (SHOTS / "report.txt").write_text("\n".join(report) or "no problems\n", encoding="utf-8")
    unreached = sorted(
        name
        for name in admin_routes(site)
        if name not in visited_routes and name not in posted_routes and not skipped_reason(name)
    )
    assert unreached == [], "admin routes the walk reached neither as a page nor as a form's target"
    assert len(visited_routes) > 3 * len(site._registry)
    assert problems == {}, "\n".join(report)
