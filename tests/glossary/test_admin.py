"""Staff keep the glossary in the admin, in Chinese."""

import pytest
from django.urls import reverse

from glossary.models import Term
from glossary.seed import load_glossary
from glossary.selectors import synonyms
from pti_bridge.audit import audit_trail
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    sign_in_staff(client, staff)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("admin:index")})
    return client


def test_the_changelist_reads_in_chinese_and_searches_every_form(staff_client):
    load_glossary()
    url = reverse("admin:glossary_term_changelist")
    content = staff_client.get(url).content.decode()
    assert "术语" in content and "同义词（中文）" in content and "HS 品目" in content
    assert "卡瓦" in content and "诺丽" in content
    for q in ["卡法胡椒", "kawa", "KAVA root", "卡瓦"]:
        response = staff_client.get(url, {"q": q})
        assert list(response.context["cl"].result_list) == [Term.objects.get(term_en="kava")], q
    response = staff_client.get(url, {"is_active__exact": "1", "hs_heading": "0905"})
    assert [term.term_en for term in response.context["cl"].result_list] == ["vanilla beans"]


def test_the_index_lists_the_glossary(staff_client):
    content = staff_client.get(reverse("admin:index")).content.decode()
    assert "术语表" in content


def test_staff_add_a_term_through_the_services(staff_client, staff):
    url = reverse("admin:glossary_term_add")
    page = staff_client.get(url).content.decode()
    assert "术语（英文）" in page and "留空时根据中文术语自动生成。" in page
    data = {
        "term_en": "noni",
        "term_zh_hans": "诺丽",
        "pinyin": "",
        "synonyms_en": "",
        "synonyms_zh_hans": "海巴戟，海巴戟 ",
        "hs_heading": "",
        "notes": "",
        "is_active": "on",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    term = Term.objects.get()
    assert (term.pinyin, term.synonyms_zh_hans) == ("nuoli", "海巴戟")
    assert [(entry.action, entry.actor) for entry in audit_trail(term)] == [("create", staff)]

    response = staff_client.post(url, {**data, "term_en": "NONI"})
    assert response.status_code == 200
    assert "术语表中已有这组英文和中文术语。" in response.content.decode()

    change = reverse("admin:glossary_term_change", args=[term.pk])
    response = staff_client.post(change, {**data, "hs_heading": "2009"})
    assert response.status_code == 302
    assert [entry.action for entry in audit_trail(term)] == ["update", "create"]
    assert "记录" in staff_client.get(change).content.decode()


def test_the_glossary_is_staff_only(client, alice):
    client.force_login(alice)
    response = client.get(reverse("admin:glossary_term_changelist"))
    assert response.status_code == 302


def test_deleting_terms_from_the_list_makes_cached_synonyms_stale(staff_client, django_capture_on_commit_callbacks):
    load_glossary()
    assert "海巴戟" in synonyms("noni")  # read once: now in the cache
    noni = list(Term.objects.filter(term_en__startswith="noni").values_list("pk", flat=True))
    assert len(noni) == 2
    data = {"action": "delete_selected", "_selected_action": noni, "post": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:glossary_term_changelist"), data)
    assert response.status_code == 302
    assert not Term.objects.filter(pk__in=noni).exists()
    assert synonyms("noni") == set()
