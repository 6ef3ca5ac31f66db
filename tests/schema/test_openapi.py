"""The served OpenAPI schema: it describes every catalogue endpoint of docs/api.md with every
response (errors included), and the running API keeps to it (schemathesis over HTTP,
signed in as a buyer, with all of its checks)."""

import re
from decimal import Decimal

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient

from buyers.services import buyer_consent, buyer_sign_in, favourite_add
from catalogue.models import Product
from inquiries.services import inquiry_create
from tests.factories import CategoryFactory, CollectionFactory, CollectionItemFactory, ProductFactory

# The catalogue's part of docs/api.md: paths and methods are fixed by the contract.
CATALOGUE_OPERATIONS = {
    ("/api/v1/home/", "get"),
    ("/api/v1/categories/", "get"),
    ("/api/v1/countries/", "get"),
    ("/api/v1/products/", "get"),
    ("/api/v1/search/suggestions/", "get"),
    ("/api/v1/products/{id}/", "get"),
    ("/api/v1/exporters/{id}/", "get"),
    ("/api/v1/collections/", "get"),
    ("/api/v1/collections/{slug}/", "get"),
}
CARD_FIELDS = {"id", "name", "summary", "thumbnail", "category", "country", "exporter", "price", "moq", "featured"}
DETAIL_FIELDS = CARD_FIELDS | {
    "description",
    "images",
    "hs_code",
    "moq",
    "packaging",
    "shelf_life",
    "supply_capacity",
    "lead_time",
    "price",
    "certifications",
    "market_access",
    "exporter",
    "is_favourite",
}


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _resolve(schema, node) -> dict:
    while "$ref" in node or "allOf" in node:
        node = node["allOf"][0] if "allOf" in node else node
        if "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _props(schema, node) -> dict:
    return _resolve(schema, node).get("properties", {})


def _response_schema(schema, path, status="200"):
    return _resolve(schema, schema["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"])


def test_the_schema_has_every_catalogue_operation_of_api_md(schema):
    operations = {(path, method) for path, item in schema["paths"].items() for method in item if method != "parameters"}

    assert CATALOGUE_OPERATIONS <= operations


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"] == "#/components/schemas/ErrorDetail"
    assert set(schema["components"]["schemas"]["ErrorDetail"]["required"]) == {"code", "message"}
    for path, method in CATALOGUE_OPERATIONS:
        responses = schema["paths"][path][method]["responses"]
        assert "429" in responses, path
        assert "304" in responses, path  # If-None-Match
        assert "ETag" in responses["200"]["headers"], path
        assert "If-None-Match" in {p["name"] for p in schema["paths"][path][method]["parameters"]}, path
        if "{" in path:
            assert "404" in responses, path
        if path in ("/api/v1/products/", "/api/v1/search/suggestions/"):
            assert "400" in responses
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_schema_names_the_fields_api_md_fixes(schema):
    products = _response_schema(schema, "/api/v1/products/")
    assert set(_props(schema, products)) == {"count", "next", "previous", "results", "did_you_mean"}
    assert "did_you_mean" in products["required"]
    assert set(_props(schema, products["properties"]["results"]["items"])) == CARD_FIELDS
    assert DETAIL_FIELDS <= set(_props(schema, _response_schema(schema, "/api/v1/products/{id}/")))
    assert {"name", "country", "description", "logo", "founded", "certifications", "product_count", "verified"} <= set(
        _props(schema, _response_schema(schema, "/api/v1/exporters/{id}/"))
    )
    assert set(_props(schema, _response_schema(schema, "/api/v1/home/"))) == {
        "featured",
        "collections",
        "categories",
        "countries",
    }
    category = _response_schema(schema, "/api/v1/categories/")["properties"]["results"]["items"]
    assert set(_props(schema, category)) == {"id", "slug", "name", "parent", "icon", "product_count"}
    country = _response_schema(schema, "/api/v1/countries/")["properties"]["results"]["items"]
    assert set(_props(schema, country)) == {"code", "name", "product_count"}
    parameters = {p["name"] for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert {
        "q",
        "category",
        "country",
        "exporter",
        "collection",
        "certification",
        "featured",
        "ordering",
        "page",
        "page_size",
    } <= parameters
    page_size = next(p for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"] if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 50


def test_the_schema_describes_the_gacc_registration_number(schema):
    profile = _resolve(schema, _response_schema(schema, "/api/v1/exporters/{id}/"))
    detail = _response_schema(schema, "/api/v1/products/{id}/")
    card = _response_schema(schema, "/api/v1/products/")["properties"]["results"]["items"]
    product_exporter = _resolve(schema, _props(schema, detail)["exporter"])

    for exporter in (profile, product_exporter):
        field = exporter["properties"]["gacc_registration_number"]
        assert field["type"] == "string"
        assert "GACC" in field["description"]
        assert "gacc_registration_number" in exporter["required"]
        assert not field.get("nullable")
    assert "gacc_registration_number" not in _props(schema, _props(schema, card)["exporter"])


def test_the_schema_describes_suggestions_and_the_app_config(schema):
    suggestions = _response_schema(schema, "/api/v1/search/suggestions/")
    assert suggestions["type"] == "array"
    item = _resolve(schema, suggestions["items"])
    assert set(item["properties"]) == set(item["required"]) == {"text", "kind"}
    assert _resolve(schema, item["properties"]["kind"])["enum"] == [
        "product",
        "category",
        "country",
        "exporter",
        "term",
    ]
    [q] = [p for p in schema["paths"]["/api/v1/search/suggestions/"]["get"]["parameters"] if p["name"] == "q"]
    assert (q["in"], q.get("required", False)) == ("query", False)
    assert max(option["maxLength"] for option in q["schema"]["oneOf"]) == 100

    config = _response_schema(schema, "/api/v1/app-config/")
    assert (
        set(config["properties"])
        == set(config["required"])
        == {
            "subscribe_templates",
            "privacy_policy_version",
            "support",
        }
    )
    assert config["properties"]["subscribe_templates"]["additionalProperties"] == {"type": "string"}
    assert config["properties"]["privacy_policy_version"]["nullable"] is True
    assert set(_props(schema, config["properties"]["support"])) == {"email", "phone", "hours"}
    assert (
        "security" not in schema["paths"]["/api/v1/app-config/"]["get"]
        or {} in (schema["paths"]["/api/v1/app-config/"]["get"]["security"])
    )


@pytest.mark.parametrize(
    ("path", "item"), [("/api/v1/favourites/", "ProductCard"), ("/api/v1/inquiries/", "InquiryList")]
)
def test_the_buyer_lists_are_declared_as_the_page_envelope_they_answer(schema, path, item):
    answer = _response_schema(schema, path)

    assert set(answer["required"]) == {"count", "next", "previous", "results"}
    assert answer["properties"]["results"]["items"] == {"$ref": f"#/components/schemas/{item}"}
    assert {"page", "page_size"} <= {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
    assert {"400", "404"} <= set(schema["paths"][path]["get"]["responses"])  # a bad page number, past the end


def test_every_operation_declares_the_language_header_as_it_is_read(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            [language] = [p for p in operation["parameters"] if p["name"] == "Accept-Language"]
            # Any value is read (zh-CN, "en;q=0.9, zh", a language the API lacks falls back to zh-hans).
            assert language["in"] == "header" and language["schema"] == {"type": "string"}, (method, path)


def test_the_avatar_is_declared_as_each_body_can_carry_it(schema):
    content = schema["paths"]["/api/v1/me/"]["patch"]["requestBody"]["content"]
    form = _props(schema, content["multipart/form-data"]["schema"])["avatar"]
    json_body = _props(schema, content["application/json"]["schema"])["avatar"]

    assert (form["format"], form.get("nullable", False)) == ("binary", False)
    assert (json_body["nullable"], json_body["maxLength"]) == (True, 0)


def test_text_a_buyer_sends_is_declared_without_nul_as_the_api_reads_it(schema, sign_in):
    client, buyer, token = sign_in("wang")
    content = schema["paths"]["/api/v1/me/"]["patch"]["requestBody"]["content"]["application/json"]["schema"]

    display_name = _props(schema, content)["display_name"]
    [text, blank] = display_name["oneOf"]  # allow_blank: any text without NUL, or ""
    assert re.fullmatch(text["pattern"], "王") and not re.fullmatch(text["pattern"], "王\x00")
    assert blank == {"type": "string", "maxLength": 0}
    response = client.patch("/api/v1/me/", {"display_name": "王\x00"}, format="json")
    assert response.status_code == 400
    buyer.refresh_from_db()
    assert buyer.display_name == ""


def test_docs_are_served_from_our_own_static_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "//" not in html.split("<script", 1)[1].split("/static/", 1)[0]


# Schemathesis: every operation, generated inputs, over real HTTP against the live server.


@pytest.fixture
def api_schema(live_server, transactional_db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
    category = CategoryFactory(slug="spices")
    CategoryFactory(slug="vanilla", parent=category)
    for index in range(3):
        product = ProductFactory(published=True, category=category)
        CollectionItemFactory(collection=CollectionFactory(slug=f"expo-{index}"), product=product)
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")


@pytest.fixture
def buyer_token(api_schema, policy) -> str:
    """A signed-in buyer (through the WeChat stand-in) who consented and has a favourite and
    an inquiry, so the signed-in operations answer with their real bodies, not only 401."""
    buyer, plain, _token, _created = buyer_sign_in(code="valid-schemathesis#1")
    buyer = buyer_consent(buyer=buyer, policy_version=policy.version)
    product = Product.objects.published().first()
    favourite_add(buyer=buyer, product=product)
    inquiry_create(buyer=buyer, product=product, quantity=Decimal(10), unit="kg", message="请报价")
    return plain


# Operations whose body names something that must exist (a code WeChat issued, the policy
# version in force, a product in the catalogue): a well-formed name that does not exist (what
# generated data gives) is the documented 400, so "schema-valid data is accepted" cannot hold.
REFERENCE_OPERATIONS = {
    ("POST", "/api/v1/auth/wechat/"),  # wx.login() code: `wechat_invalid_code`
    ("POST", "/api/v1/me/phone/"),  # getPhoneNumber code: `wechat_invalid_code`
    ("POST", "/api/v1/me/consent/"),  # only the version in force
    ("POST", "/api/v1/inquiries/"),  # `product`: "This product is not available."
}


def _is_image_upload(case) -> bool:
    # Generated bytes are no image: the image pipeline's 400, not the schema's to promise.
    body = case.body if isinstance(case.body, dict) else {}
    return (case.media_type or "").startswith("multipart/") and body.get("avatar") is not None


MAX_EXAMPLES = 20  # 24 operations: about half a minute on a busy two-core machine


def _exercise(operation, statuses: list[int], headers: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        excluded = []
        if (operation.method.upper(), operation.path) in REFERENCE_OPERATIONS or _is_image_upload(case):
            excluded = [schemathesis.specs.openapi.checks.positive_data_acceptance]
        statuses.append(case.call_and_validate(headers=headers, excluded_checks=excluded).status_code)

    run()


# Deleting the account ends the buyer's token: exercised last.
LAST = "DELETE /api/v1/me/"


def test_the_api_keeps_to_its_schema(api_schema, buyer_token):
    """Every operation of the schema, with generated inputs, signed in as a buyer; every
    check of schemathesis: no server error, documented status codes, content types and
    headers, bodies that match the schema, schema-valid data accepted, a method the
    schema does not name refused. (Driven by hand rather than schemathesis' pytest plugin,
    which does not run on pytest 9.)"""
    headers = {"Authorization": f"Bearer {buyer_token}"}
    operations = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations[f"{operation.method.upper()} {operation.path}"] = operation
    exercised, failures = {}, {}
    for name in sorted(operations, key=lambda name: name == LAST):
        statuses = []
        try:
            _exercise(operations[name], statuses, headers)
        except BaseException as failure:  # collected, so one run names every failing operation
            if isinstance(failure, KeyboardInterrupt):
                raise
            failures[name] = str(failure)[:1500]
        exercised[name] = statuses

    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())
    assert {f"GET {path}" for path, _method in CATALOGUE_OPERATIONS} <= set(exercised)
    for name, statuses in exercised.items():
        assert statuses, name
        assert all(status < 500 for status in statuses), name
    # Generated inputs reach real answers, not only refusals, signed-in operations included.
    for name in (
        "GET /api/v1/products/",
        "GET /api/v1/search/suggestions/",
        "GET /api/v1/app-config/",
        "GET /api/v1/favourites/",
        "GET /api/v1/inquiries/",
        "PATCH /api/v1/me/",
    ):
        assert 200 in exercised[name], name
    assert 204 in exercised[LAST]
