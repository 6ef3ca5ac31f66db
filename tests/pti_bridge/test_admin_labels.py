"""Staff read the outbox, the audit trail's states and notes, and the reference lists in Chinese."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from catalogue.models import Product
from inquiries.models import InquiryPolicy
from pti_bridge.labels import NOTIFICATION_KIND_LABELS, audit_note_label, notification_kind_label, status_label
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _outbox_kinds() -> set[str]:
    """The kinds the apps write to the outbox (KIND = "..." in their notifications and digest)."""
    kinds = set()
    for path in [*ROOT.glob("*/notifications.py"), *ROOT.glob("*/digest.py")]:
        kinds |= set(re.findall(r'^KIND\w* = "([a-z_]+)"', path.read_text(encoding="utf-8"), re.MULTILINE))
    return kinds


def test_every_outbox_kind_reads_in_chinese():
    kinds = _outbox_kinds()

    assert {"exporter_verified", "inquiry_forwarded", "staff_digest"} <= kinds
    assert sorted(kinds - set(NOTIFICATION_KIND_LABELS)) == []
    with translation.override("zh-hans"):
        assert all(CHINESE.search(str(notification_kind_label(kind))) for kind in kinds)


def test_recorded_states_and_notes_read_in_chinese():
    with translation.override("zh-hans"):
        assert status_label(Product, "submitted") == "已提交待审核"
        assert status_label(Product, "no_such_state") == "no_such_state"
        assert audit_note_label(Product, "photo #60") == "照片 #60"
        assert audit_note_label(Product, "name_en, summary_zh_hans") == "名称（英文）, 简介（中文）"
        assert audit_note_label(InquiryPolicy, "screening_required: False → True").endswith(": 否 → 是")
        # Free text (a reason, a product's name) stays as written, its English words included.
        assert audit_note_label(Product, "The name is wrong: True") == "The name is wrong: 是"


@pytest.mark.django_db
def test_reference_rows_read_in_the_active_language():
    fiji = factories.CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")
    spices = factories.CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    vanilla = factories.CategoryFactory(slug="vanilla", name_en="Vanilla", name_zh_hans="", parent=spices)
    organic = factories.CertificationFactory(code="organic", name_en="Organic", name_zh_hans="有机")

    with translation.override("zh-hans"):
        assert [str(fiji), str(vanilla), str(organic)] == ["斐济", "香料 › Vanilla", "有机"]
    with translation.override("en"):
        assert [str(fiji), str(vanilla), str(organic)] == ["Fiji", "Spices › Vanilla", "Organic"]


@pytest.mark.django_db
def test_the_portal_is_english_for_a_browser_asking_for_chinese(client):
    factories.CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")

    page = client.get("/portal/register/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    admin_sign_in = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert ">Fiji</option>" in page and "斐济" not in page
    assert 'lang="zh-hans"' in admin_sign_in
