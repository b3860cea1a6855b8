import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db


class TestApiReference:
    def test_the_schema_is_openapi_3_1_and_documents_every_public_operation(self, api_client):
        response = api_client.get("/v1/schema/?format=json")

        assert response.status_code == 200
        schema = response.json()
        assert schema["openapi"].startswith("3.1")
        operation_ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
        assert {"api_root", "partner_retrieve", "event_list", "event_retrieve"} <= operation_ids
        assert schema["components"]["securitySchemes"]["secretKey"]["scheme"] == "bearer"

    def test_the_schema_validates_without_warnings(self, tmp_path):
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

        assert "partner_retrieve" in (tmp_path / "schema.yaml").read_text()

    @pytest.mark.parametrize("path", ["/v1/docs/", "/v1/redoc/"])
    def test_the_reference_pages_load_every_asset_from_this_server(self, api_client, path):
        response = api_client.get(path)

        assert response.status_code == 200
        html = response.content.decode()
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert any(asset.endswith(".js") for asset in assets), "the page should reference its script"
        for asset in assets:
            assert asset.startswith("/static/"), f"{asset} is not served locally"
            assert api_client.get(asset).status_code == 200
        assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE) == []

    def test_the_served_schema_names_the_server_it_was_fetched_from(self, api_client):
        response = api_client.get("/v1/schema/?format=json", HTTP_HOST="127.0.0.1:8123")

        assert response.json()["servers"] == [{"url": "http://127.0.0.1:8123", "description": "This server"}]

    def test_the_committed_schema_names_no_server_so_it_is_the_same_on_every_machine(self):
        text = (Path(settings.BASE_DIR) / "docs" / "openapi.yaml").read_text()

        assert not re.search(r"^servers:", text, re.MULTILINE)  # a top-level key (parsing 10k lines of YAML is slow)

    @pytest.mark.parametrize("path", ["/v1/docs/", "/v1/redoc/"])
    def test_the_reference_pages_may_load_images_fonts_and_data_from_this_server_only(self, api_client, path):
        policy = api_client.get(path)["Content-Security-Policy"]

        assert {"img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'"} == set(policy.split("; "))

    def test_the_api_root_needs_no_credential_and_points_at_the_docs(self, api_client):
        response = api_client.get("/v1/")

        assert response.status_code == 200
        body = response.json()
        assert body["object"] == "api"
        assert body["docs"].endswith("/v1/docs/")
        assert body["schema"].endswith("/v1/schema/")
