"""``alert_raise``, the one door into case management: an alert lands on the holder's one open case (opening it
when there is none), raising the same ``dedupe_key`` twice is a no-op, and the database keeps one open case per
holder, also when transactions race."""

import threading

import pytest
from django.db import IntegrityError, transaction

from apps.core import clock
from apps.risk.models import Alert, Case
from apps.risk.services import alert_raise
from tests.threads import run_threads
from tests.wallets.factories import make_holder


def raise_for(holder, key: str, kind: str = "structuring") -> Alert:
    return alert_raise(
        holder=holder,
        kind=kind,
        summary="Nine cash deposits just under the reporting threshold",
        evidence={"transactions": ["txn_1", "txn_2"], "reasons": ["below_threshold_repeats"]},
        dedupe_key=key,
    )


@pytest.mark.django_db
class TestAlertRaise:
    def test_the_first_alert_opens_a_case_for_the_holder(self, partner):
        holder = make_holder(partner=partner)

        alert = raise_for(holder, "structuring:1")

        case = alert.case
        assert (case.holder, case.environment, case.status, case.assignee) == (holder, "sandbox", "open", None)
        assert case.public_id.startswith("case_") and alert.public_id.startswith("alr_")
        assert alert.evidence == {"transactions": ["txn_1", "txn_2"], "reasons": ["below_threshold_repeats"]}

    def test_a_second_alert_joins_the_open_case(self, partner):
        holder = make_holder(partner=partner)

        first = raise_for(holder, "structuring:1")
        second = raise_for(holder, "rapid:1", kind="rapid_movement")

        assert second.case_id == first.case_id
        assert Case.objects.filter(holder=holder).count() == 1

    def test_raising_the_same_key_again_returns_the_first_alert(self, partner):
        holder = make_holder(partner=partner)

        first = raise_for(holder, "structuring:1")
        again = raise_for(holder, "structuring:1")

        assert again.pk == first.pk
        assert Alert.objects.count() == 1

    def test_an_alert_after_the_case_closed_opens_a_new_case(self, partner):
        holder = make_holder(partner=partner)
        first = raise_for(holder, "structuring:1")
        Case.objects.filter(pk=first.case_id).update(status="cleared", closed_at=clock.now())

        second = raise_for(holder, "structuring:2")

        assert second.case_id != first.case_id
        assert second.case.status == "open"

    def test_an_info_requested_case_still_takes_alerts(self, partner):
        holder = make_holder(partner=partner)
        first = raise_for(holder, "structuring:1")
        Case.objects.filter(pk=first.case_id).update(status="info_requested")

        assert raise_for(holder, "structuring:2").case_id == first.case_id

    def test_unknown_kinds_and_evidence_keys_are_refused(self, partner):
        holder = make_holder(partner=partner)

        with pytest.raises(ValueError):
            raise_for(holder, "x:1", kind="gut_feeling")
        with pytest.raises(ValueError):
            alert_raise(holder=holder, kind="risk_review", summary="s", evidence={"names": []}, dedupe_key="x:2")
        assert not Case.objects.exists()

    def test_inside_a_failing_transaction_nothing_remains(self, partner):
        holder = make_holder(partner=partner)

        with pytest.raises(RuntimeError), transaction.atomic():
            raise_for(holder, "structuring:1")
            raise RuntimeError

        assert not Case.objects.exists() and not Alert.objects.exists()

    def test_the_database_refuses_a_second_open_case_for_a_holder(self, partner):
        holder = make_holder(partner=partner)
        raise_for(holder, "structuring:1")

        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.create(holder=holder, environment="sandbox", status="info_requested", opened_at=clock.now())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestAlertRaiseConcurrently:
    def test_racing_alerts_share_one_case_and_one_alert_per_key(self, partner):
        holder = make_holder(partner=partner)
        barrier = threading.Barrier(8)

        def raiser(index: int):
            def run() -> None:
                barrier.wait()
                with transaction.atomic():
                    raise_for(holder, f"structuring:{index % 2}")

            return run

        raised = run_threads({f"t{i}": raiser(i) for i in range(8)})

        assert raised == {}
        assert Case.objects.filter(holder=holder).count() == 1
        assert sorted(Alert.objects.values_list("dedupe_key", flat=True)) == ["structuring:0", "structuring:1"]
