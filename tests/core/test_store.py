"""The row store (apps.core.store): what a write leaves in the database and on the instances, the same through
every route it can take. On PostgreSQL each behaviour runs through both routes (one statement, and one statement
after another); elsewhere there is one route."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core import clock, store
from apps.core.models import IdempotencyKey
from apps.events.models import Event
from apps.wallets.models import Entry, Journal, Wallet
from tests.wallets.factories import make_holder, make_wallet

ROUTES = [store.STATEMENT, store.SEQUENTIAL]


@pytest.fixture(params=ROUTES)
def route(request, settings):
    if request.param != store.SEQUENTIAL and connection.vendor != "postgresql":
        pytest.skip("one route off PostgreSQL")
    settings.STORE_ROUTE = request.param
    return request.param


@pytest.fixture
def wallet(partner):
    return make_wallet(holder=make_holder(partner=partner, name="Ada"), currency="USD")


def _journal(partner):
    return store.new(Journal, kind="transfer", environment="sandbox", partner=partner, posted_at=clock.now())


def _event(partner, sandbox, object_id, kind="thing.updated"):
    return store.new(
        Event,
        partner=partner,
        environment=sandbox,
        type=kind,
        api_version=partner.api_version,
        object_type="thing",
        object_id=object_id,
        data={"object": {"id": object_id}},
    )


def _gone():
    return LookupError("gone")


def _claim(key="k"):
    now = clock.now()
    return store.new(
        IdempotencyKey,
        scope="p:sandbox",
        key=key,
        fingerprint="f",
        method="POST",
        path="/v1/x",
        lease_token="mine",
        locked_until=now + timedelta(minutes=1),
        created_at=now,
    )


@pytest.mark.django_db(transaction=True)
class TestWrite:
    def test_rows_that_name_each_other_are_written_with_their_keys(self, route, partner, wallet):
        journal = _journal(partner)
        entries = [
            store.new(Entry, journal=journal, account=wallet.account, amount=amount, currency="USD")
            for amount in (-5, 5)
        ]
        with transaction.atomic():
            store.write(store.Insert([journal]), store.Insert(entries))
        assert journal.pk is not None and not journal._state.adding
        stored = list(Entry.objects.filter(journal=journal).order_by("pk").values_list("pk", "amount"))
        assert stored == [(entries[0].pk, -5), (entries[1].pk, 5)]
        assert all(entry.journal_id == journal.pk for entry in entries)

    def test_keys_ascend_in_the_order_the_rows_were_given(self, route, partner, wallet):
        journal = _journal(partner)
        entries = [
            store.new(Entry, journal=journal, account=wallet.account, amount=n, currency="USD") for n in (1, 2, 3, -6)
        ]
        with transaction.atomic():
            store.write(store.Insert([journal]), store.Insert(entries))
        keys = [entry.pk for entry in entries]
        assert keys == sorted(keys) and len(set(keys)) == 4

    def test_a_lone_insert_takes_the_keys_the_database_gives(self, route):
        claims = [_claim(f"k{n}") for n in range(3)]
        store.write(store.Insert(claims))
        stored = IdempotencyKey.objects.order_by("pk").values_list("pk", "key")
        assert [(claim.pk, claim.key) for claim in claims] == list(stored)

    def test_an_update_writes_the_fields_named_and_only_those(self, route, wallet):
        wallet.available_balance, wallet.ledger_balance, wallet.status = 7, 7, "frozen"
        with transaction.atomic():
            store.write(store.Update([wallet], ("ledger_balance", "available_balance")))
        assert Wallet.objects.values_list("ledger_balance", "available_balance", "status").get(pk=wallet.pk) == (
            7,
            7,
            "active",
        )

    def test_a_guarded_update_writes_when_its_row_matches(self, route):
        claim = _claim()
        store.write(store.Insert([claim]))
        released = store.new(IdempotencyKey, id=claim.pk, locked_until=None)
        with transaction.atomic():
            store.write(store.Update([released], ("locked_until",), guard={"lease_token": "mine"}, on_miss=_gone))
        assert IdempotencyKey.objects.get(pk=claim.pk).locked_until is None

    def test_a_guarded_update_that_finds_no_row_raises_and_nothing_of_the_write_stays(self, route, partner):
        claim = _claim()
        store.write(store.Insert([claim]))
        released = store.new(IdempotencyKey, id=claim.pk, locked_until=None)
        with pytest.raises(LookupError, match="gone"), transaction.atomic():
            store.write(
                store.Insert([_claim("other")]),
                store.Update([released], ("locked_until",), guard={"lease_token": "theirs"}, on_miss=_gone),
            )
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["k"]
        assert IdempotencyKey.objects.get(pk=claim.pk).locked_until is not None

    def test_a_database_error_is_raised_by_the_write_and_nothing_of_it_stays(self, route, partner):
        store.write(store.Insert([_claim("same")]))
        with pytest.raises(DatabaseError), transaction.atomic():
            store.write(store.Insert([_claim("before")]), store.Insert([_claim("same")]))
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["same"]

    def test_a_row_naming_an_unsaved_row_outside_the_write_is_refused(self, route, partner, wallet):
        entry = store.new(Entry, journal=_journal(partner), account=wallet.account, amount=1, currency="USD")
        with pytest.raises(ValueError, match="unsaved"), transaction.atomic():
            store.write(store.Insert([entry]), store.Insert([_journal(partner)]))


@pytest.mark.django_db(transaction=True)
class TestIncrement:
    def test_counters_are_created_then_grown(self, route, partner):
        from apps.transfers.models import TransferUsage

        holder = make_holder(partner=partner, name="Ada")
        start = clock.now().replace(minute=0, second=0, microsecond=0)

        def bucket(span, amount):
            return store.new(
                TransferUsage, holder=holder, span=span, period_start=start, currency="USD", amount=amount, count=1
            )

        def add(*buckets):
            with transaction.atomic():
                store.write(
                    store.Insert([_claim(f"k{len(buckets)}{buckets[0].amount}")]),
                    store.Increment(
                        list(buckets), key=("holder", "span", "period_start", "currency"), add=("amount", "count")
                    ),
                )

        add(bucket("hour", 100), bucket("day", 100))
        add(bucket("hour", 25), bucket("day", 25))
        stored = TransferUsage.objects.filter(holder=holder).order_by("span").values_list("span", "amount", "count")
        assert list(stored) == [("day", 125, 2), ("hour", 125, 2)]


@pytest.mark.django_db(transaction=True)
class TestNumbered:
    def test_rows_are_numbered_per_group_after_the_last_stored_number(self, route, partner, sandbox):
        numbered = store.Numbered("sequence", ("environment", "object_id"))
        first = [_event(partner, sandbox, "thg_a"), _event(partner, sandbox, "thg_a")]
        with transaction.atomic():
            store.write(store.Insert(first, numbered=numbered))
        later = [_event(partner, sandbox, o) for o in ("thg_a", "thg_b", "thg_a")]
        with transaction.atomic():
            store.write(store.Insert([_claim()]), store.Insert(later, numbered=numbered))
        assert [e.sequence for e in first] == [1, 2]
        assert [e.sequence for e in later] == [3, 1, 4]
        stored = Event.objects.order_by("pk").values_list("object_id", "sequence")
        assert list(stored) == [("thg_a", 1), ("thg_a", 2), ("thg_a", 3), ("thg_b", 1), ("thg_a", 4)]


@pytest.mark.django_db
class TestStatements:
    @pytest.mark.postgres
    def test_on_postgresql_a_write_is_its_keys_and_one_statement(self, settings, partner, wallet):
        settings.STORE_ROUTE = store.STATEMENT

        def write():
            journal = _journal(partner)
            entries = [
                store.new(Entry, journal=journal, account=wallet.account, amount=n, currency="USD") for n in (1, -1)
            ]
            store.write(store.Insert([journal]), store.Insert(entries), store.Update([wallet], ("updated_at",)))

        write()  # the sequences' names are looked up once per process
        with CaptureQueriesContext(connection) as captured:
            write()
        kinds = [query["sql"].split(None, 1)[0] for query in captured.captured_queries]
        assert [kind for kind in kinds if kind not in ("SAVEPOINT", "RELEASE")] == ["SELECT", "WITH"]


@pytest.mark.django_db
class TestCompiled:
    def test_a_compiled_query_runs_with_each_calls_values_and_converts_like_the_orm(self, partner):
        other_holder = make_holder(partner=partner, name="Grace")
        first = make_wallet(holder=make_holder(partner=partner, name="Ada"), currency="USD")
        second = make_wallet(holder=other_holder, currency="EUR")
        sentinel = -(10**15)
        query = store.compile(
            Wallet.objects.filter(holder_id=sentinel).values_list("public_id", "currency", "created_at"), [sentinel]
        )
        assert store.run(query, [first.holder_id]) == [[first.public_id, "USD", first.created_at]]
        assert store.run(query, [other_holder.pk]) == [[second.public_id, "EUR", second.created_at]]
        assert store.run(query, [-1]) == []


class TestNew:
    def test_it_builds_what_the_model_would(self, partner):
        kwargs = {"kind": "transfer", "description": "Dinner", "environment": "sandbox", "partner": partner}
        built, expected = store.new(Journal, **kwargs), Journal(**kwargs)
        names = [field.attname for field in Journal._meta.concrete_fields]
        assert [getattr(built, name) for name in names] == [getattr(expected, name) for name in names]
        assert built.partner is partner and built.partner_id == partner.pk
        assert built._state.adding and built._state.db is None and built.pk is None

    def test_public_ids_and_creation_times_are_filled_in_as_they_will_be_stored(self, partner, sandbox):
        event = _event(partner, sandbox, "thg_a")
        assert event.public_id.startswith("evt_") and event.created_at is not None

    def test_an_unknown_keyword_is_refused(self):
        with pytest.raises(TypeError, match="no field"):
            store.new(Journal, kind="transfer", colour="blue")
