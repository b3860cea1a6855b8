from collections.abc import Iterator

import pytest

from apps.risk.selectors import matcher_cache_clear
from tests.risk.monitoring import now
from tests.wallets.factories import make_holder, make_wallet


@pytest.fixture(autouse=True)
def _fresh_matchers() -> Iterator[None]:
    """A matcher built in one test must not outlive its rolled-back lists."""
    matcher_cache_clear()
    yield
    matcher_cache_clear()


@pytest.fixture
def at():
    """The time the monitoring tests' windows end at; their history is booked before it."""
    return now()


@pytest.fixture
def holder_named(partner):
    """``holder_named(name)``: a new holder in the partner's sandbox."""

    def make(name: str = "Stan Ructure"):
        return make_holder(partner=partner, name=name)

    return make


@pytest.fixture
def wallet(holder_named):
    """A USD wallet of a new holder, empty."""
    return make_wallet(holder=holder_named())
