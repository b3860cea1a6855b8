"""``/docs/``: the built docs site, served by Django with DEBUG off as on (apps/core/docs_site.py)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings, tmp_path):
    settings.DOCS_SITE_DIR = tmp_path
    (tmp_path / "index.html").write_text("<h1>Causeway developer docs</h1>")
    (tmp_path / "errors").mkdir()
    (tmp_path / "errors" / "index.html").write_text('<a id="insufficient_funds"></a>')
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "site.css").write_text("body {}")
    (tmp_path.parent / "secret.txt").write_text("not part of the site")
    return tmp_path


class TestDocsSite:
    def test_the_home_page_and_a_directory_page_are_served_with_debug_off(self, client, site, settings):
        assert settings.DEBUG is False

        home = client.get("/docs/")
        errors = client.get("/docs/errors/")

        assert home.status_code == 200
        assert b"Causeway developer docs" in b"".join(home.streaming_content)
        assert errors.status_code == 200
        assert home["Content-Type"].startswith("text/html")

    def test_an_asset_is_served_with_its_type(self, client, site):
        response = client.get("/docs/assets/site.css")

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/css")

    def test_a_directory_without_its_slash_is_redirected_to_it(self, client, site):
        response = client.get("/docs/errors")

        assert response.status_code == 302
        assert response["Location"] == "/docs/errors/"

    @pytest.mark.parametrize("path", ["/docs/nothing-here/", "/docs/../secret.txt", "/docs/%2e%2e/secret.txt"])
    def test_a_missing_page_or_a_path_out_of_the_site_is_404(self, client, site, path):
        assert client.get(path).status_code == 404

    def test_a_post_is_refused(self, client, site):
        assert client.post("/docs/").status_code == 405

    def test_an_unbuilt_site_is_404_naming_the_command(self, client, settings, tmp_path):
        settings.DOCS_SITE_DIR = tmp_path / "missing"

        response = client.get("/docs/")

        assert response.status_code == 404
