"""The transfers tests start from the seeded reference tables and with empty in-process caches."""

import pytest

from apps.transfers.fx import fx_rates_cache_clear
from apps.transfers.limits import limits_cache_clear
from tests.transfers.factories import seed_reference_data


@pytest.fixture(autouse=True)
def _reference_tables(request: pytest.FixtureRequest):
    """Empty the FX rate and limit rule caches around every test (a cached table would outlive the test's
    rollback), and, for database tests, restore the seeded rows a transactional test's flush removed."""
    fx_rates_cache_clear()
    limits_cache_clear()
    if request.node.get_closest_marker("django_db") is not None:
        seed_reference_data()
    yield
    fx_rates_cache_clear()
    limits_cache_clear()
