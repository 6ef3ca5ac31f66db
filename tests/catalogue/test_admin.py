"""The catalogue back office: every status change goes through catalogue.services."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalogue.models import CollectionItem, Product
from pti_bridge.models import AuditEntry
from tests import factories
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalogue_product_changelist")


def messages_of(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def act(client, action, products, **extra):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [p.pk for p in products], **extra})


def form_data(response):
    """The POST body a browser would send back for an admin change page, as rendered."""
    data = {}
    forms = [response.context["adminform"].form]
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{name}": management[name].value() for name in management.fields})
        forms.extend(formset.formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled or name not in form.fields:
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif hasattr(value, "name") and not isinstance(value, str):
                continue  # files: a browser sends nothing when no new file is chosen
            else:
                data[key] = str(value)
    return data


@pytest.fixture
def submitted(verified_exporter):
    return factories.ProductFactory(exporter=verified_exporter, submitted=True, name_en="Vanilla beans A")


@pytest.fixture
def staff_client(client, staff):
    sign_in_staff(client, staff)
    return client


# Publishing.


def test_publish_publishes_the_good_ones_and_names_each_refusal(
    staff_client, staff, verified_exporter, pending_exporter
):
    good = factories.ProductFactory(exporter=verified_exporter, submitted=True, name_en="Vanilla beans A")
    also_good = factories.ProductFactory(exporter=verified_exporter, submitted=True, name_en="Vanilla beans B")
    unverified = factories.ProductFactory(exporter=pending_exporter, submitted=True, name_en="Coconut oil")
    untranslated = factories.ProductFactory(
        exporter=verified_exporter, submitted=True, untranslated=True, name_en="Kava root"
    )
    draft = factories.ProductFactory(exporter=verified_exporter, name_en="Noni juice")

    response = act(staff_client, "publish_selected", [good, also_good, unverified, untranslated, draft])

    assert response.status_code == 302
    assert sorted(messages_of(response)) == sorted(
        [
            (
                "error",
                "“Coconut oil”: Bula Coconut Ltd is not verified; verify the company before publishing its products.",
            ),
            (
                "error",
                "“Kava root”: “Kava root” needs its Chinese name and Chinese summary before it can be published.",
            ),
            ("error", "“Noni juice”: “Noni juice” is draft and cannot be published."),
            ("success", "2 products published."),
        ]
    )
    statuses = dict(Product.objects.values_list("name_en", "status"))
    assert statuses == {
        "Vanilla beans A": "published",
        "Vanilla beans B": "published",
        "Coconut oil": "submitted",
        "Kava root": "submitted",
        "Noni juice": "draft",
    }
    good.refresh_from_db()
    assert good.reviewed_by == staff and good.published_at is not None
    assert list(
        AuditEntry.objects.filter(action="publish").values_list("object_repr", flat=True).order_by("object_repr")
    ) == [
        "Vanilla beans A",
        "Vanilla beans B",
    ]


# Rejecting: an intermediate page asks for the reason.


def test_reject_asks_for_a_reason_first(staff_client, submitted):
    response = act(staff_client, "reject_selected", [submitted])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/action_reason.html"
    content = response.content.decode()
    assert "Vanilla beans A" in content
    assert 'name="reason"' in content and 'value="reject_selected"' in content
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_reject_with_an_empty_reason_shows_an_error_and_changes_nothing(staff_client, submitted):
    response = act(staff_client, "reject_selected", [submitted], post="yes", reason="   ")
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert submitted.rejection_reason == ""
    assert not AuditEntry.objects.filter(action="reject").exists()


def test_reject_stores_the_reason(staff_client, staff, submitted, verified_exporter):
    published = factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Cocoa nibs")
    response = act(staff_client, "reject_selected", [submitted, published], post="yes", reason="Photos are blurry.")
    assert response.status_code == 302
    assert sorted(messages_of(response)) == [
        ("error", "“Cocoa nibs”: “Cocoa nibs” is published and cannot be rejected."),
        ("success", "1 product rejected."),
    ]
    submitted.refresh_from_db()
    published.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason, submitted.reviewed_by) == (
        "rejected",
        "Photos are blurry.",
        staff,
    )
    assert (published.status, published.rejection_reason) == ("published", "")
    entry = AuditEntry.objects.get(action="reject")
    assert (entry.object_repr, entry.note, entry.actor) == ("Vanilla beans A", "Photos are blurry.", staff)


# Featuring and archiving.


def test_feature_and_unfeature(staff_client, verified_exporter, submitted):
    published = factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Cocoa nibs")
    response = act(staff_client, "feature_selected", [published, submitted])
    assert sorted(messages_of(response)) == [
        (
            "error",
            "“Vanilla beans A”: Only published products can be featured; “Vanilla beans A” is submitted for review.",
        ),
        ("success", "1 product featured."),
    ]
    assert list(Product.objects.filter(is_featured=True)) == [published]
    staff_client.get(CHANGELIST)  # shows (and so consumes) the messages above

    response = act(staff_client, "unfeature_selected", [published])
    assert messages_of(response) == [("success", "1 product no longer featured.")]
    published.refresh_from_db()
    assert not published.is_featured
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["feature", "unfeature"]


def test_archive(staff_client, verified_exporter, submitted):
    published = factories.ProductFactory(
        exporter=verified_exporter, published=True, is_featured=True, name_en="Cocoa nibs"
    )
    response = act(staff_client, "archive_selected", [published, submitted])
    assert sorted(messages_of(response)) == [
        ("error", "“Vanilla beans A”: “Vanilla beans A” is submitted for review and cannot be archived."),
        ("success", "1 product archived."),
    ]
    published.refresh_from_db()
    submitted.refresh_from_db()
    assert (published.status, published.is_featured) == ("archived", False)
    assert submitted.status == "submitted"


@pytest.mark.parametrize("action", ["publish_selected", "feature_selected", "archive_selected", "reject_selected"])
@pytest.mark.parametrize("who", ["alice", "anonymous"])
def test_actions_refuse_non_staff_and_change_nothing(client, alice, verified_exporter, action, who):
    product = factories.ProductFactory(exporter=verified_exporter, submitted=True)
    published = factories.ProductFactory(exporter=verified_exporter, published=True)
    if who == "alice":
        client.force_login(alice)
    response = act(client, action, [product, published], post="yes", reason="No.")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    product.refresh_from_db()
    published.refresh_from_db()
    assert (product.status, published.status, published.is_featured) == ("submitted", "published", False)
    assert not AuditEntry.objects.exists()


# The change page: bilingual fields, read-only status, buttons, audit trail, photos.


def test_change_page_pairs_languages_and_keeps_status_read_only(staff_client, submitted):
    submitted.pending_changes = {"summary_en": "Grade A Tahitensis, 16 cm+"}
    submitted.save()
    response = staff_client.get(reverse("admin:catalogue_product_change", args=[submitted.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "status" not in form.fields and "is_featured" not in form.fields and "rejection_reason" not in form.fields
    assert {"name_en", "name_zh_hans", "summary_en", "summary_zh_hans"} <= set(form.fields)
    rows = [fieldset for fieldset in response.context["adminform"].fieldsets]
    text_rows = dict(rows)[next(title for title, _ in rows if str(title).startswith("Text"))]["fields"]
    assert text_rows[0] == ("name_en", "name_zh_hans")
    content = response.content.decode()
    assert "Grade A Tahitensis, 16 cm+" in content  # the pending change is visible
    assert 'name="_publish"' in content
    assert reverse("admin:catalogue_product_reject", args=[submitted.pk]) in content


def test_staff_translate_and_publish_from_the_change_page(staff_client, staff, verified_exporter):
    product = factories.ProductFactory(
        exporter=verified_exporter, submitted=True, untranslated=True, name_en="Kava root"
    )
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    data = form_data(staff_client.get(url))
    data.update({"name_zh_hans": "卡瓦根", "summary_zh_hans": "汤加传统卡瓦根。", "_publish": "Save and publish"})

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert response["Location"] == url
    product.refresh_from_db()
    assert (product.name_zh_hans, product.status, product.reviewed_by) == ("卡瓦根", "published", staff)
    assert list(AuditEntry.objects.order_by("id").values_list("action", "note")) == [
        ("edit", "name_zh_hans, summary_zh_hans"),
        ("publish", ""),
    ]
    page = staff_client.get(url).content.decode()
    assert 'class="audit-trail"' in page
    assert "publish" in page and "Submitted for review → Published" in page and str(staff) in page


def test_publish_button_refusal_is_a_message_and_status_stays(staff_client, verified_exporter):
    product = factories.ProductFactory(
        exporter=verified_exporter, submitted=True, untranslated=True, name_en="Kava root"
    )
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    data = form_data(staff_client.get(url))
    data["_publish"] = "Save and publish"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "error",
        "“Kava root”: “Kava root” needs its Chinese name and Chinese summary before it can be published.",
    )
    product.refresh_from_db()
    assert product.status == "submitted"


def test_reject_page_of_one_product(staff_client, submitted):
    url = reverse("admin:catalogue_product_reject", args=[submitted.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"post": "yes", "reason": ""})
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    response = staff_client.post(url, {"post": "yes", "reason": "Add the shelf life."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == ("rejected", "Add the shelf life.")


def test_reject_page_refuses_non_staff(client, alice, submitted):
    client.force_login(alice)
    response = client.post(
        reverse("admin:catalogue_product_reject", args=[submitted.pk]), {"post": "yes", "reason": "x"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def rendition(name, width=240, height=180):
    return {"name": name, "width": width, "height": height, "bytes": 1000}


def test_thumbnails_show_renditions_never_the_original(staff_client, submitted):
    image = factories.ProductImageFactory(
        product=submitted,
        renditions={
            "thumb": {"webp": rendition("renditions/abc_thumb.webp"), "jpeg": rendition("renditions/abc_thumb.jpg")}
        },
    )
    without = factories.ProductFactory(name_en="No photo yet")
    factories.ProductImageFactory(product=without)  # renditions not made yet

    page = staff_client.get(CHANGELIST).content.decode()
    assert page.count('class="pti-thumb"') == 1
    assert 'src="/media/renditions/abc_thumb.webp"' in page
    assert image.original.name not in page

    change = staff_client.get(reverse("admin:catalogue_product_change", args=[submitted.pk])).content.decode()
    assert 'src="/media/renditions/abc_thumb.webp"' in change
    assert image.original.name not in change


def test_changelist_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries, verified_exporter):
    for _n in range(3):
        factories.ProductImageFactory(product=factories.ProductFactory(exporter=verified_exporter))
    with django_assert_max_num_queries(20) as few:
        staff_client.get(CHANGELIST)
    for _n in range(12):
        factories.ProductImageFactory(product=factories.ProductFactory(exporter=verified_exporter))
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(CHANGELIST)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vanilla", ["Vanilla beans A"]),
        ("香草", ["Vanilla beans A"]),
        ("汤加", ["Kava root"]),
        ("0905", ["Vanilla beans A"]),
    ],
)
def test_search_in_english_and_chinese_across_relations(staff_client, submitted, other_exporter, query, expected):
    other_exporter.name_zh_hans = "汤加卡瓦种植者"
    other_exporter.save()
    factories.ProductFactory(exporter=other_exporter, name_en="Kava root", name_zh_hans="卡瓦根", hs_code="1211.90")
    response = staff_client.get(CHANGELIST, {"q": query})
    assert [p.name_en for p in response.context["cl"].result_list] == expected


def test_needs_translation_filter(staff_client, verified_exporter, submitted):
    factories.ProductFactory(exporter=verified_exporter, untranslated=True, name_en="Kava root")
    response = staff_client.get(CHANGELIST, {"needs_translation": "yes"})
    assert [p.name_en for p in response.context["cl"].result_list] == ["Kava root"]
    response = staff_client.get(CHANGELIST, {"needs_translation": "no"})
    assert [p.name_en for p in response.context["cl"].result_list] == ["Vanilla beans A"]


def test_product_changelist_speaks_chinese(staff_client, submitted):
    response = staff_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans")
    content = response.content.decode()
    assert '<html lang="zh-hans"' in content
    for label in [
        "产品",
        "名称（英文）",
        "名称（中文）",
        "状态",
        "出口商",
        "发布所选产品",
        "需要中文翻译",
        "已提交待审核",
    ]:
        assert label in content, label


def test_publish_messages_speak_chinese(staff_client, pending_exporter):
    product = factories.ProductFactory(exporter=pending_exporter, submitted=True, name_en="Coconut oil")
    response = staff_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [product.pk]}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert messages_of(response) == [
        ("error", "“Coconut oil”：Bula Coconut Ltd 尚未通过认证；请先认证该公司，再发布其产品。")
    ]


# Categories as a tree.


def test_categories_are_listed_as_a_tree_with_counts(staff_client):
    food = factories.CategoryFactory(slug="food", name_en="Food", name_zh_hans="食品", position=1)
    crafts = factories.CategoryFactory(slug="crafts", name_en="Crafts", name_zh_hans="手工艺品", position=2)
    spices = factories.CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料", parent=food, position=2)
    factories.CategoryFactory(slug="fruit", name_en="Fruit", name_zh_hans="水果", parent=food, position=1)
    vanilla = factories.CategoryFactory(slug="vanilla", name_en="Vanilla", name_zh_hans="香草", parent=spices)
    factories.ProductFactory(category=vanilla)
    factories.ProductFactory(category=vanilla)
    response = staff_client.get(reverse("admin:catalogue_category_changelist"))
    result = response.context["cl"].result_list
    assert [(c.slug, c.tree_depth) for c in result] == [
        ("food", 0),
        ("fruit", 1),
        ("spices", 1),
        ("vanilla", 2),
        ("crafts", 0),
    ]
    assert {c.slug: c.product_total for c in result}["vanilla"] == 2
    assert crafts.pk and '<span class="pti-tree pti-tree-2" lang="en">└ Vanilla</span>' in response.content.decode()


# Collections: the inline goes through the collection services.


def collection_post(staff_client, collection, rows, deleted=()):
    url = reverse("admin:catalogue_collection_change", args=[collection.pk])
    data = form_data(staff_client.get(url))
    existing = list(collection.items.order_by("position", "id"))
    for key in [k for k in data if k.startswith("items-")]:
        del data[key]
    data.update(
        {
            "items-TOTAL_FORMS": str(len(rows)),
            "items-INITIAL_FORMS": str(len(existing)),
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        }
    )
    for index, (item, product, position) in enumerate(rows):
        data[f"items-{index}-collection"] = str(collection.pk)
        if item is not None:
            data[f"items-{index}-id"] = str(item.pk)
        if product is not None:
            data[f"items-{index}-product"] = str(product.pk)
        data[f"items-{index}-position"] = str(position)
        if item in deleted:
            data[f"items-{index}-DELETE"] = "on"
    return staff_client.post(url, data)


def test_collection_inline_refuses_unpublished_products(staff_client, verified_exporter, submitted):
    collection = factories.CollectionFactory(title_en="Spring fair")
    published = factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Cocoa nibs")
    response = collection_post(staff_client, collection, [(None, published, 1), (None, submitted, 2)])
    assert response.status_code == 302
    assert (
        "error",
        "“Vanilla beans A”: Only published products can join a collection; “Vanilla beans A” is submitted for review.",
    ) in messages_of(response)
    assert list(collection.items.values_list("product__name_en", flat=True)) == ["Cocoa nibs"]
    assert list(AuditEntry.objects.filter(action="add_product").values_list("note", flat=True)) == ["Cocoa nibs"]


def test_collection_inline_reorders_and_removes_through_the_services(staff_client, verified_exporter):
    collection = factories.CollectionFactory()
    a, b, c = (factories.ProductFactory(exporter=verified_exporter, published=True, name_en=name) for name in "ABC")
    items = [
        factories.CollectionItemFactory(collection=collection, product=p, position=i)
        for i, p in enumerate((a, b, c), 1)
    ]
    response = collection_post(
        staff_client, collection, [(items[0], a, 3), (items[1], b, 1), (items[2], c, 2)], deleted=[items[1]]
    )
    assert response.status_code == 302
    assert list(collection.items.order_by("position").values_list("product__name_en", "position")) == [
        ("C", 1),
        ("A", 2),
    ]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["remove_product", "reorder"]


def test_collection_autocomplete_offers_only_published_products(staff_client, verified_exporter, submitted):
    factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Vanilla beans B")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalogue", "model_name": "collectionitem", "field_name": "product", "term": "vanilla"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Vanilla beans B"]


def test_collection_change_page_shows_its_audit_trail(staff_client, staff, verified_exporter):
    from catalogue.services import collection_add_product

    collection = factories.CollectionFactory()
    product = factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Cocoa nibs")
    collection_add_product(collection=collection, product=product, actor=staff)
    page = staff_client.get(reverse("admin:catalogue_collection_change", args=[collection.pk])).content.decode()
    assert 'class="audit-trail"' in page and "add_product" in page and "Cocoa nibs" in page
    assert CollectionItem.objects.count() == 1


def test_category_filter_takes_the_whole_subtree(staff_client):
    food = factories.CategoryFactory(slug="food", name_en="Food", position=1)
    spices = factories.CategoryFactory(slug="spices", name_en="Spices", parent=food)
    crafts = factories.CategoryFactory(slug="crafts", name_en="Crafts", position=2)
    factories.ProductFactory(category=spices, name_en="Vanilla")
    factories.ProductFactory(category=food, name_en="Honey")
    factories.ProductFactory(category=crafts, name_en="Tapa cloth")
    response = staff_client.get(CHANGELIST, {"category": str(food.pk)})
    assert sorted(p.name_en for p in response.context["cl"].result_list) == ["Honey", "Vanilla"]
    response = staff_client.get(CHANGELIST, {"category": str(spices.pk)})
    assert [p.name_en for p in response.context["cl"].result_list] == ["Vanilla"]
    assert "\u2003Spices" in response.content.decode()  # indented under Food in the filter


def test_staff_add_a_photo_through_the_inline_pipeline(staff_client, submitted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:catalogue_product_change", args=[submitted.pk])
    data = form_data(staff_client.get(url))
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-product": str(submitted.pk),
            "images-0-original": SimpleUploadedFile(
                "IMG_0001.jpg", factories.image_bytes(size=(320, 240)), "image/jpeg"
            ),
            "images-0-alt_text": "Pods on a tray",
            "images-0-position": "1",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"][0].formset.errors
    image = submitted.images.get()
    assert image.alt_text == "Pods on a tray" and (image.width, image.height) == (320, 240)
    assert "IMG_0001" not in image.original.name
    page = staff_client.get(url).content.decode()
    assert image.original.name not in page


def test_a_bad_photo_is_a_form_error_and_nothing_is_stored(staff_client, submitted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:catalogue_product_change", args=[submitted.pk])
    data = form_data(staff_client.get(url))
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-product": str(submitted.pk),
            "images-0-original": SimpleUploadedFile("notes.jpg", b"not an image at all", "image/jpeg"),
            "images-0-position": "1",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["original"]
    assert not submitted.images.exists()


def test_waiting_changes_are_shown_and_applied_through_the_service(staff_client, staff, alice, verified_exporter):
    from catalogue.services import product_update

    published = factories.ProductFactory(
        exporter=verified_exporter, published=True, name_en="Cocoa nibs", moq_unit="kg"
    )
    product_update(
        product=published, data={"summary_en": "Roasted Samoan cocoa nibs.", "moq_unit": "carton"}, actor=alice
    )
    untouched = factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Honey")

    page = staff_client.get(reverse("admin:catalogue_product_change", args=[published.pk])).content.decode()
    assert "Roasted Samoan cocoa nibs." in page
    assert "<td>kg</td><td>carton</td>" in page  # published and proposed unit, in words

    response = act(staff_client, "apply_changes_selected", [published, untouched])
    assert sorted(messages_of(response)) == [
        ("error", "“Honey”: “Honey” has no changes waiting for review."),
        ("success", "Waiting changes applied to 1 product."),
    ]
    published.refresh_from_db()
    assert (published.summary_en, published.moq_unit, published.pending_changes) == (
        "Roasted Samoan cocoa nibs.",
        "carton",
        {},
    )
    assert AuditEntry.objects.filter(action="apply_changes", actor=staff).count() == 1


def test_waiting_changes_can_be_discarded_with_a_reason(staff_client, staff, alice, verified_exporter):
    from catalogue.services import product_update

    published = factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Cocoa nibs")
    product_update(product=published, data={"summary_en": "Best cocoa in the world!!!"}, actor=alice)
    page = act(staff_client, "discard_changes_selected", [published])
    assert page.status_code == 200
    published.refresh_from_db()
    assert published.pending_changes == {"summary_en": "Best cocoa in the world!!!"}

    response = act(
        staff_client, "discard_changes_selected", [published], post="yes", reason="Claims we cannot vouch for."
    )
    assert messages_of(response) == [("success", "Waiting changes discarded for 1 product.")]
    published.refresh_from_db()
    assert (published.summary_en, published.pending_changes) == ("Hand-cured Tahitensis vanilla beans.", {})
    assert AuditEntry.objects.get(action="discard_changes").note == "Claims we cannot vouch for."


def test_deleting_a_photo_in_the_inline_removes_its_files_after_commit(
    staff_client, submitted, django_capture_on_commit_callbacks
):
    from catalogue.models import ProductImage
    from pti_bridge.storage import private_storage

    image = factories.ProductImageFactory(product=submitted)
    assert private_storage.exists(image.original.name)
    url = reverse("admin:catalogue_product_change", args=[submitted.pk])
    data = form_data(staff_client.get(url))
    data["images-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302
    assert not ProductImage.objects.exists()
    assert not private_storage.exists(image.original.name)


def test_change_page_speaks_chinese_with_audit_actions_and_localized_names(staff_client, staff, verified_exporter):
    from catalogue.services import product_publish

    product = factories.ProductFactory(exporter=verified_exporter, submitted=True, name_en="Vanilla beans")
    product_publish(product=product, actor=staff)
    page = staff_client.get(
        reverse("admin:catalogue_product_change", args=[product.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "<td>发布</td>" in page  # the audit action "publish"
    assert "文字（英文和中文）" in page and "审计记录" in page
    listing = staff_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<td class="field-origin_country_name">斐济</td>' in listing


def test_a_new_collection_row_without_a_position_goes_to_the_end(staff_client, verified_exporter):
    collection = factories.CollectionFactory()
    a, b, c = (factories.ProductFactory(exporter=verified_exporter, published=True, name_en=name) for name in "ABC")
    items = [
        factories.CollectionItemFactory(collection=collection, product=p, position=i) for i, p in enumerate((a, b), 1)
    ]
    response = collection_post(staff_client, collection, [(items[0], a, 1), (items[1], b, 2), (None, c, 0)])
    assert response.status_code == 302
    assert list(collection.items.order_by("position").values_list("product__name_en", "position")) == [
        ("A", 1),
        ("B", 2),
        ("C", 3),
    ]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["add_product"]


def test_category_filter_reads_in_chinese_for_staff_working_in_chinese(staff_client):
    food = factories.CategoryFactory(slug="food", name_en="Food", name_zh_hans="食品", position=1)
    factories.CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料", parent=food)

    page = staff_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "\u2003香料" in page and "Spices" not in page
