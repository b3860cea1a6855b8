from collections.abc import Iterator

import pytest

from apps.risk.selectors import matcher_cache_clear


@pytest.fixture(autouse=True)
def _fresh_matchers() -> Iterator[None]:
    """A matcher built in one test must not outlive its rolled-back lists."""
    matcher_cache_clear()
    yield
    matcher_cache_clear()
