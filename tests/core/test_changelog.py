"""The changelog is made of towncrier fragments in changes/ (README, "Contributing")."""

import re
import tomllib
from pathlib import Path

from config.mkdocs_hooks import unreleased

ROOT = Path(__file__).resolve().parents[2]
TYPES = {
    entry["directory"] for entry in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["towncrier"]["type"]
}


class TestChangelog:
    def test_changelog_md_has_no_unreleased_section_to_edit_by_hand(self):
        text = (ROOT / "CHANGELOG.md").read_text()

        assert not re.search(r"^## Unreleased", text, re.MULTILINE), (
            "Add a fragment in changes/ instead of an Unreleased entry in CHANGELOG.md (README, Contributing)."
        )

    def test_every_fragment_has_a_known_type_and_some_text(self):
        fragments = [path for path in (ROOT / "changes").iterdir() if path.name != ".gitignore"]

        assert fragments
        for path in fragments:
            kind = path.name.removesuffix(".md").rsplit(".", 1)[-1]
            assert path.name.endswith(".md") and kind in TYPES, f"{path.name}: name it +<slug>.<{'|'.join(TYPES)}>.md"
            assert path.read_text().strip(), f"{path.name} is empty"

    def test_the_unreleased_fragments_render_for_the_docs_site(self):
        rendered = unreleased()

        assert rendered.startswith("## Unreleased\n")
        assert "### Added" in rendered
