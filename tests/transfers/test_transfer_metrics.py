"""Transfer outcomes on /metrics: ``causeway_transfer_statuses_total`` moves when a status change commits."""

import pytest

from apps.transfers.models import Transfer
from tests.helpers import metric, post_transfer, scrape_metrics
from tests.transfers.factories import run_rail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]

STATUSES = "causeway_transfer_statuses_total"


def transfer_counts() -> dict:
    return {key: value for key, value in scrape_metrics().items() if key[0] == STATUSES}


def moved(before: dict, after: dict, **labels: str) -> float:
    return metric(after, STATUSES, **labels) - metric(before, STATUSES, **labels)


@pytest.fixture
def committed(sandbox_client, django_capture_on_commit_callbacks):
    """``committed(body, then=None)``: post a transfer (and run ``then``) with its on-commit work run, as a real
    commit would."""

    def send(body: dict, then=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_transfer(sandbox_client, {"currency": "USD", **body})
            if then is not None:
                then()
        return response

    return send


class TestTransferStatusMetrics:
    def test_a_p2p_transfer_counts_as_succeeded_once_committed(self, committed, usd, grace_usd):
        before = transfer_counts()

        response = committed(
            {"type": "p2p", "source": usd.public_id, "destination": grace_usd.public_id, "amount": 100}
        )

        assert response.status_code == 201, response.content
        assert moved(before, transfer_counts(), type="p2p", status="succeeded") == 1

    def test_a_refused_transfer_counts_nothing(self, committed, usd, grace_usd):
        before = transfer_counts()

        response = committed(
            {"type": "p2p", "source": usd.public_id, "destination": grace_usd.public_id, "amount": 10**9}
        )

        assert response.status_code == 422
        assert transfer_counts() == before

    def test_a_top_up_counts_each_status_it_reaches(self, committed, usd, bank):
        before = transfer_counts()

        response = committed(
            {"type": "top_up", "source": bank.public_id, "destination": usd.public_id, "amount": 700},
            then=lambda: run_rail(Transfer.objects.get()),
        )
        after = transfer_counts()

        assert response.status_code == 201, response.content
        assert moved(before, after, type="top_up", status="processing") == 1
        assert moved(before, after, type="top_up", status="succeeded") == 1
