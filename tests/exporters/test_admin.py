"""The exporters back office: verification through exporters.services, private documents."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from exporters.models import Exporter
from pti_bridge.models import AuditEntry
from tests import factories
from tests.conftest import sign_in_staff
from tests.exporters.paperwork import accept_required_documents

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:exporters_exporter_changelist")


def messages_of(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def act(client, action, exporters, **extra):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [e.pk for e in exporters], **extra})


@pytest.fixture
def staff_client(client, staff):
    sign_in_staff(client, staff)
    return client


def test_verify_verifies_pending_and_names_the_refused(staff_client, staff, pending_exporter, verified_exporter):
    accept_required_documents(pending_exporter, staff)
    response = act(staff_client, "verify_selected", [pending_exporter, verified_exporter])
    assert response.status_code == 302
    assert sorted(messages_of(response)) == [
        ("error", "“Vanua Vanilla Co”: Vanua Vanilla Co is already verified."),
        ("success", "1 exporter verified."),
    ]
    pending_exporter.refresh_from_db()
    assert (pending_exporter.verification_status, pending_exporter.verified_by) == ("verified", staff)
    assert list(AuditEntry.objects.values_list("object_repr", "action", "actor")) == [
        ("Bula Coconut Ltd", "verify", staff.pk)
    ]


def test_suspend_asks_for_an_optional_reason_then_suspends(staff_client, staff, verified_exporter, other_exporter):
    page = act(staff_client, "suspend_selected", [verified_exporter])
    assert page.status_code == 200
    assert page.templates[0].name == "admin/action_reason.html"
    verified_exporter.refresh_from_db()
    assert verified_exporter.verification_status == "verified"

    response = act(
        staff_client, "suspend_selected", [verified_exporter, other_exporter], post="yes", reason="Licence expired."
    )
    assert response.status_code == 302
    assert messages_of(response) == [("success", "2 exporters suspended.")]
    assert set(Exporter.objects.values_list("verification_status", flat=True)) == {"suspended"}
    assert set(AuditEntry.objects.values_list("action", "note")) == {("suspend", "Licence expired.")}


@pytest.mark.parametrize("who", ["alice", "anonymous"])
def test_verify_refuses_non_staff_and_changes_nothing(client, alice, pending_exporter, who):
    if who == "alice":
        client.force_login(alice)
    response = act(client, "verify_selected", [pending_exporter])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    pending_exporter.refresh_from_db()
    assert pending_exporter.verification_status == "pending"
    assert not AuditEntry.objects.exists()


def test_changelist_counts_products_without_a_query_per_row(
    staff_client, verified_exporter, other_exporter, django_assert_max_num_queries
):
    factories.ProductFactory.create_batch(3, exporter=verified_exporter)
    response = staff_client.get(CHANGELIST)
    counts = {e.name: e.product_total for e in response.context["cl"].result_list}
    assert counts == {"Vanua Vanilla Co": 3, "Tonga Kava Growers": 0}
    with django_assert_max_num_queries(12) as few:
        staff_client.get(CHANGELIST)
    factories.ExporterFactory.create_batch(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(CHANGELIST)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("vanua", ["Vanua Vanilla Co"]), ("香草", ["Vanua Vanilla Co"]), ("alice@", ["Vanua Vanilla Co"])],
)
def test_search_in_english_and_chinese(staff_client, alice, verified_exporter, other_exporter, query, expected):
    verified_exporter.name_zh_hans = "瓦努阿香草公司"
    verified_exporter.save()
    response = staff_client.get(CHANGELIST, {"q": query})
    assert [e.name for e in response.context["cl"].result_list] == expected


def test_documents_are_served_only_through_the_staff_view(staff_client, client, alice, verified_exporter, settings):
    document = factories.ExporterDocumentFactory(exporter=verified_exporter)
    page = staff_client.get(reverse("admin:exporters_exporter_change", args=[verified_exporter.pk])).content.decode()
    download = reverse("admin:exporters_exporter_document", args=[verified_exporter.pk, document.pk])
    assert download in page
    assert document.file.name not in page  # no storage URL or path of the private file

    response = staff_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 licence"
    assert response["Content-Disposition"].startswith("attachment;")

    client.force_login(alice)
    response = client.get(download)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_document_of_another_exporter_is_not_found(staff_client, verified_exporter, other_exporter):
    document = factories.ExporterDocumentFactory(exporter=other_exporter)
    response = staff_client.get(reverse("admin:exporters_exporter_document", args=[verified_exporter.pk, document.pk]))
    assert response.status_code == 404


def test_exporter_change_page_shows_audit_trail_and_read_only_status(staff_client, staff, pending_exporter):
    from exporters.services import exporter_verify

    exporter_verify(exporter=pending_exporter, actor=staff, note="Licence checked.")
    response = staff_client.get(reverse("admin:exporters_exporter_change", args=[pending_exporter.pk]))
    assert "verification_status" not in response.context["adminform"].form.fields
    content = response.content.decode()
    assert (
        'class="audit-trail"' in content
        and "Pending verification → Verified" in content
        and "Licence checked." in content
    )


def test_countries_are_editable_in_the_list(staff_client, fiji, tonga):
    response = staff_client.post(
        reverse("admin:exporters_country_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-code": "FJ",
            "form-0-name_en": "Fiji",
            "form-0-name_zh_hans": "斐济",
            "form-0-is_active": "on",
            "form-1-code": "TO",
            "form-1-name_en": "Tonga",
            "form-1-name_zh_hans": "汤加王国",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    fiji.refresh_from_db()
    tonga.refresh_from_db()
    assert (fiji.is_active, tonga.is_active, tonga.name_zh_hans) == (True, False, "汤加王国")
