"""Translation aids for staff (glossary.aids): glossary terms in both directions, translation
memory from the catalogue (and any registered source, such as inquiry messages), and the
machine suggestion through its stand-in on loopback."""

import time

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from catalogue import services
from glossary import aids
from glossary.aids import CHINESE, ENGLISH, MemoryAid, TermAid, Translator, aids_for
from glossary.services import term_create
from inquiries.models import Message
from tests.factories import MessageFactory, ProductFactory, ProductImageFactory
from tests.machine_translation import machine_translation  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kava():
    return term_create(term_en="kava", term_zh_hans="卡瓦", synonyms_zh_hans="卡法胡椒")


# Glossary terms, both directions.


def test_english_text_gets_the_agreed_chinese_of_its_terms(kava):
    term_create(term_en="noni", term_zh_hans="诺丽")
    assert aids_for("Kava powder, noni-free", target=CHINESE).terms == [
        TermAid("kava", "卡瓦"),
        TermAid("noni", "诺丽"),
    ]


def test_chinese_text_gets_the_agreed_english_of_its_terms(kava):
    assert aids_for("请问卡法胡椒粉的价格？", target=ENGLISH).terms == [TermAid("卡瓦", "kava")]


def test_a_term_without_the_other_language_is_no_aid():
    term_create(term_en="tanoa")
    assert aids_for("A wooden tanoa bowl", target=CHINESE).terms == []


def test_no_text_no_aids(kava):
    assert not aids_for("  ", target=CHINESE)


# Translation memory.


@pytest.fixture
def reviewed(verified_exporter):
    product = ProductFactory(
        exporter=verified_exporter,
        published=True,
        reviewed_at="2026-11-01T00:00:00Z",
        packaging="1 kg vacuum bags, 10 per carton",
        packaging_zh_hans="1公斤真空袋，每箱10袋",
        description_en="Grown on small family plots. Cured for six months in the sun.",
        description_zh_hans="种植于家庭小园地。在阳光下熟化六个月。",
    )
    ProductImageFactory(product=product, alt_text="Vanilla pods on a tray", alt_text_zh_hans="托盘上的香草荚")
    return product


def test_the_same_text_is_offered_with_its_translation(reviewed):
    memory = aids_for("1 kg vacuum bags, 10 per carton", target=CHINESE).memory
    assert memory[0] == MemoryAid("1 kg vacuum bags, 10 per carton", "1公斤真空袋，每箱10袋", 100)


def test_a_near_text_is_offered_with_its_similarity(reviewed):
    memory = aids_for("1 kg vacuum bags, 12 per carton", target=CHINESE).memory
    assert memory[0].translation == "1公斤真空袋，每箱10袋" and 80 <= memory[0].similarity < 100


def test_sentences_are_remembered_one_by_one(reviewed):
    memory = aids_for("Hand-picked pods. Cured for six months in the sun.", target=CHINESE).memory
    assert MemoryAid("Cured for six months in the sun.", "在阳光下熟化六个月。", 100) in memory


def test_photo_descriptions_are_remembered(reviewed):
    assert aids_for("Vanilla pods on a tray", target=CHINESE).memory[0].translation == "托盘上的香草荚"


def test_a_far_text_gets_no_memory(reviewed):
    assert aids_for("Frozen skipjack tuna, whole round", target=CHINESE).memory == []


def test_chinese_to_english_reads_the_same_memory_backwards(reviewed):
    memory = aids_for("1公斤真空袋，每箱12袋", target=ENGLISH).memory
    assert memory[0].translation == "1 kg vacuum bags, 10 per carton"


def test_an_out_of_date_text_is_remembered_with_the_english_its_chinese_translates(reviewed, alice, staff):
    services.product_update(product=reviewed, data={"packaging": "25 kg paper sacks"}, actor=alice)
    services.product_apply_pending_changes(product=reviewed, actor=staff)

    # The Chinese still says 1 kg bags: it is no translation of "25 kg paper sacks".
    assert aids_for("25 kg paper sacks", target=CHINESE).memory == []
    assert aids_for("1 kg vacuum bags, 10 per carton", target=CHINESE).memory[0].translation == "1公斤真空袋，每箱10袋"


def test_a_products_earlier_chinese_is_offered_when_its_english_changed_a_little():
    earlier = ("1 kg vacuum bags, 10 per carton", "1公斤真空袋，每箱10袋")
    memory = Translator(CHINESE).remembered("1 kg vacuum bags, 20 per carton", earlier=earlier)
    assert memory[0] == MemoryAid(*earlier, memory[0].similarity, earlier=True) and memory[0].similarity > 80


def test_inquiry_translations_serve_as_memory_once_registered(monkeypatch, verified_exporter):
    """The inquiries app registers its translated messages like this (InquiriesConfig.ready)."""

    def message_pairs():
        for text, language, translation in Message.objects.exclude(translation="").values_list(
            "text", "language", "translation"
        ):
            yield (text, translation) if language == Message.Language.EN else (translation, text)

    monkeypatch.setattr(aids, "_sources", [*aids._sources, message_pairs])
    MessageFactory(text="请问每公斤的到岸价是多少？", translation="What is the CIF price per kg?")

    assert (
        aids_for("请问每公斤的离岸价是多少？", target=ENGLISH).memory[0].translation == "What is the CIF price per kg?"
    )
    assert (
        aids_for("What is the CIF price per kg?", target=CHINESE).memory[0].translation == "请问每公斤的到岸价是多少？"
    )


def test_a_page_reads_the_memory_once(reviewed, django_assert_num_queries):
    translator = Translator(CHINESE)
    translator.remembered("1 kg vacuum bags")
    with django_assert_num_queries(0):
        translator.remembered("Vanilla pods on a tray")
        translator.remembered("Cured for six months")


def test_the_include_shows_terms_and_memory_in_chinese(reviewed, kava):
    from django.utils import translation

    template = Template('{% load translation_aids %}{% translation_aids text target="zh-hans" box="id_box" %}')
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        html = template.render(Context({"request": request, "text": "Kava in 1 kg vacuum bags, 10 per carton"}))
    assert "术语表" in html and "卡瓦" in html and "翻译记忆" in html and "1公斤真空袋，每箱10袋" in html
    assert 'data-box="id_box"' in html and "采用" in html


# The machine suggestion: one small interface, a stand-in on loopback, never a failure shown.


def test_no_setting_no_suggestion_and_no_call(machine_translation, settings):  # noqa: F811
    settings.MACHINE_TRANSLATION_URL = ""
    assert aids_for("Vanilla pods", target=CHINESE).suggestion == ""
    assert machine_translation.requests == []


def test_the_suggestion_comes_from_the_service(machine_translation):  # noqa: F811
    assert aids_for("Vanilla pods", target=CHINESE).suggestion == "[MT zh-hans] Vanilla pods"
    assert machine_translation.requests == [{"text": "Vanilla pods", "source": "en", "target": "zh-hans"}]


@pytest.mark.parametrize("mode", ["error", "nonsense", "slow"])
def test_a_failing_or_slow_service_gives_no_suggestion_in_time(machine_translation, mode):  # noqa: F811
    machine_translation.mode = mode
    started = time.monotonic()
    translator = Translator(ENGLISH)

    first = translator.aids("香草荚")
    second = translator.aids("卡瓦")

    assert (first.suggestion, second.suggestion) == ("", "")
    assert len(machine_translation.requests) == 1  # after one failure the page asks no more
    assert time.monotonic() - started < 1.5  # the timeout is 0.5 s


def test_a_down_service_gives_no_suggestion(machine_translation):  # noqa: F811
    machine_translation.shutdown()
    machine_translation.server_close()
    assert aids_for("Vanilla pods", target=CHINESE).suggestion == ""


def test_memory_offering_what_the_box_already_holds_is_left_out(reviewed):
    translator = Translator(CHINESE)
    assert translator.aids("1 kg vacuum bags, 10 per carton", current="1公斤真空袋，每箱10袋").memory == []
    assert translator.aids("1 kg vacuum bags, 10 per carton", current="").memory != []
