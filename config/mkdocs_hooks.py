"""mkdocs hooks (mkdocs.yml): the changelog page shows the unreleased towncrier fragments of changes/ above the
released history of CHANGELOG.md, so the site's changelog is current at every build."""

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- changelog: rendered by config/mkdocs_hooks.py -->"


def unreleased() -> str:
    """The fragments as towncrier renders them, under an "Unreleased" heading (no date: nothing is released)."""
    draft = subprocess.run(
        [sys.executable, "-m", "towncrier", "build", "--draft", "--version", "Unreleased"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rendered = draft[draft.index("## Unreleased") :] if "## Unreleased" in draft else ""
    return re.sub(r"^## Unreleased.*$", "## Unreleased", rendered, count=1, flags=re.MULTILINE)


def released() -> str:
    text = (ROOT / "CHANGELOG.md").read_text()
    start = "<!-- towncrier release notes start -->"
    return text.split(start, 1)[1].strip() if start in text else ""


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, f"{unreleased().strip()}\n\n{released()}".strip())
