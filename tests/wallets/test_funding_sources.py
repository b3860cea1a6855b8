"""Funding sources: validation tables, encrypted storage, card-number refusal, and the add / remove / reorder /
fallback services."""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, models

from apps.core.errors import NotFound
from apps.wallets import crypto
from apps.wallets.funding_sources import (
    MAX_ACTIVE_SOURCES,
    FundingSourceLimitReached,
    FundingSourceOrderIncomplete,
    bank_account_details,
    funding_source_add,
    funding_source_fallback,
    funding_source_get,
    funding_source_list,
    funding_source_prepare,
    funding_source_remove,
    funding_source_reorder,
    masked,
)
from apps.wallets.ledger import InvalidStateTransition
from apps.wallets.models import FundingSource, WalletHolder
from apps.wallets.validators import (
    IBAN_PATTERN,
    BankAccountDetails,
    CardDetails,
    FundingSourceInvalid,
    IbanRefused,
    _Invalid,
    validate_account_number,
    validate_iban,
    validate_sort_code,
)
from tests.wallets.factories import make_holder

PAN = "4242424242424242"
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def iban_account(iban: str = "GB82WEST12345698765432", **kwargs) -> BankAccountDetails:
    return BankAccountDetails(account_holder_name=kwargs.pop("name", "Ada Lovelace"), iban=iban, **kwargs)


def uk_account(sort_code: str = "12-34-56", number: str = "12345678", **kwargs) -> BankAccountDetails:
    return BankAccountDetails(
        account_holder_name=kwargs.pop("name", "Ada Lovelace"), sort_code=sort_code, account_number=number, **kwargs
    )


def card(**overrides) -> CardDetails:
    values = {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030, "holder_name": ""}
    return CardDetails(**{**values, **overrides})


def errors_of(failure: pytest.ExceptionInfo) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in failure.value.errors]


def text_columns(source: FundingSource) -> str:
    """Every stored value of the row, as one string, to search for what must not be there."""
    row = FundingSource.objects.filter(pk=source.pk).values().get()
    return " ".join(str(value) for value in row.values())


# --- Validation tables ------------------------------------------------------------------------------------------
class TestIbanValidation:
    @pytest.mark.parametrize(
        ("raw", "normalised"),
        [
            ("GB82WEST12345698765432", "GB82WEST12345698765432"),
            ("gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
            ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
            ("FR1420041010050500013M02606", "FR1420041010050500013M02606"),
            ("NL91ABNA0417164300", "NL91ABNA0417164300"),
            ("NO9386011117947", "NO9386011117947"),
            ("MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S"),
            ("LC55HEMM000100010012001200023015", "LC55HEMM000100010012001200023015"),
            ("GB97WEST12345600000053", "GB97WEST12345600000053"),
        ],
    )
    def test_valid_ibans_are_normalised(self, raw, normalised):
        assert validate_iban(raw) == normalised

    @pytest.mark.parametrize(
        ("raw", "reason"),
        [
            ("GB82WEST12345698765433", "check digits do not match"),
            ("GB28WEST12345698765432", "check digits do not match"),
            ("GB82WEST1234569876543", "from GB has 22 characters; this one has 21"),
            ("DE8937040044053201300000", "from DE has 22 characters; this one has 24"),
            ("US64SVBKUS6S3300958879", "not one that issues IBANs"),
            # 00 and 01 pass the mod-97 test where 97 and 98 are right, but the algorithm never produces them.
            ("GB00WEST12345600000053", "check digits do not match"),
            ("GB01WEST12345600000035", "check digits do not match"),
        ],
    )
    def test_ibans_of_the_right_shape_that_are_not_real_are_refused_with_the_reason(self, raw, reason):
        assert re.fullmatch(IBAN_PATTERN, raw), "the schema allows it: only the registry and check digits refuse it"
        with pytest.raises(_Invalid) as failure:
            validate_iban(raw)

        assert failure.value.code == "iban_invalid"
        assert reason in failure.value.message
        assert raw not in failure.value.message

    @pytest.mark.parametrize("raw", ["GBXXWEST12345698765432", "GB82-WEST-1234-5698-7654-32", "82GBWEST12345698765432"])
    def test_malformed_ibans_are_refused_as_the_schema_pattern_says(self, raw):
        assert not re.fullmatch(IBAN_PATTERN, raw)
        with pytest.raises(_Invalid) as failure:
            validate_iban(raw)

        assert failure.value.code == "parameter_invalid"
        assert "country code, two check digits" in failure.value.message

    def test_an_empty_iban_is_missing(self):
        with pytest.raises(_Invalid) as failure:
            validate_iban("  ")

        assert failure.value.code == "parameter_missing"


class TestUkAccountValidation:
    @pytest.mark.parametrize("raw", ["123456", "12-34-56", "12 34 56", " 12-34-56 "])
    def test_sort_codes_in_the_usual_forms_are_accepted(self, raw):
        assert validate_sort_code(raw) == "123456"

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("12345", "sort_code_invalid"),
            ("1234567", "sort_code_invalid"),
            ("12-3456", "sort_code_invalid"),
            ("12-34 56", "sort_code_invalid"),
            ("12-34-5a", "sort_code_invalid"),
            ("ab-cd-ef", "sort_code_invalid"),
            ("", "parameter_missing"),
        ],
    )
    def test_malformed_sort_codes_are_refused(self, raw, code):
        with pytest.raises(_Invalid) as failure:
            validate_sort_code(raw)

        assert failure.value.code == code

    @pytest.mark.parametrize("raw", ["12345678", "1234 5678", "00000001"])
    def test_eight_digit_account_numbers_are_accepted(self, raw):
        assert validate_account_number(raw) == raw.replace(" ", "")

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("1234567", "account_number_invalid"),
            ("123456789", "account_number_invalid"),
            ("1234567a", "account_number_invalid"),
            ("12-345678", "account_number_invalid"),
            ("", "parameter_missing"),
        ],
    )
    def test_other_account_numbers_are_refused(self, raw, code):
        with pytest.raises(_Invalid) as failure:
            validate_account_number(raw)

        assert failure.value.code == code


@pytest.mark.django_db
class TestBankAccountDetails:
    @pytest.mark.parametrize(
        ("details", "errors"),
        [
            (iban_account(name=""), [("bank_account.account_holder_name", "parameter_missing")]),
            (iban_account(name="   "), [("bank_account.account_holder_name", "parameter_missing")]),
            (iban_account(name=PAN), [("bank_account.account_holder_name", "card_number_refused")]),
            (iban_account("GB82-WEST"), [("bank_account.iban", "parameter_invalid")]),
            (
                iban_account("GB82WEST12345698765433", name=""),
                [("bank_account.account_holder_name", "parameter_missing"), ("bank_account.iban", "iban_invalid")],
            ),
            (uk_account("12-34-5"), [("bank_account.sort_code", "sort_code_invalid")]),
            (uk_account(number="1234"), [("bank_account.account_number", "account_number_invalid")]),
            (uk_account(number=""), [("bank_account.account_number", "parameter_missing")]),
            (uk_account(sort_code=""), [("bank_account.sort_code", "parameter_missing")]),
            (
                uk_account("1", "2"),
                [
                    ("bank_account.sort_code", "sort_code_invalid"),
                    ("bank_account.account_number", "account_number_invalid"),
                ],
            ),
            (BankAccountDetails(account_holder_name="Ada"), [("bank_account", "parameter_missing")]),
            (
                BankAccountDetails(
                    account_holder_name="Ada",
                    iban="GB82WEST12345698765432",
                    sort_code="123456",
                    account_number="12345678",
                ),
                [("bank_account", "parameter_invalid")],
            ),
            (iban_account(currency="XPT"), [("bank_account.currency", "currency_unsupported")]),
            (iban_account(currency="ABC"), [("bank_account.currency", "currency_unsupported")]),
            (iban_account(currency="usd"), [("bank_account.currency", "currency_unsupported")]),
        ],
        ids=[
            "no-name",
            "blank-name",
            "card-number-as-name",
            "iban-shape",
            "iban-checksum-beside-a-missing-name",
            "short-sort-code",
            "short-account-number",
            "account-number-missing",
            "sort-code-missing",
            "both-uk-fields-bad",
            "neither-iban-nor-uk",
            "iban-and-uk",
            "points-currency",
            "unknown-currency",
            "lower-case-currency",
        ],
    )
    def test_invalid_bank_accounts_are_refused_with_field_errors(self, holder, details, errors):
        with pytest.raises(FundingSourceInvalid) as failure:
            funding_source_add(holder=holder, kind="bank_account", bank_account=details)

        assert failure.value.status == 400 and failure.value.code == "parameter_invalid"
        assert errors_of(failure) == errors
        assert not FundingSource.objects.exists()

    def test_a_real_looking_iban_with_wrong_check_digits_alone_is_a_422(self, holder):
        with pytest.raises(IbanRefused) as failure:
            funding_source_add(holder=holder, kind="bank_account", bank_account=iban_account("GB82WEST12345698765433"))

        assert (failure.value.status, failure.value.code) == (422, "iban_invalid")
        assert errors_of(failure) == [("bank_account.iban", "iban_invalid")]
        assert not FundingSource.objects.exists()

    @pytest.mark.parametrize(
        ("details", "country", "currency", "last4"),
        [
            (iban_account("DE89 3704 0044 0532 0130 00"), "DE", "EUR", "3000"),
            (iban_account("gb82west12345698765432"), "GB", "GBP", "5432"),
            (iban_account("FR1420041010050500013M02606", currency="USD"), "FR", "USD", "2606"),
            (iban_account("LC55HEMM000100010012001200023015"), "LC", "", "3015"),
            (uk_account("12-34-56", "87654321"), "GB", "GBP", "4321"),
        ],
    )
    def test_valid_accounts_derive_country_currency_and_last_four(self, holder, details, country, currency, last4):
        source = funding_source_add(holder=holder, kind="bank_account", bank_account=details)

        assert (source.bank_country, source.currency, source.last4) == (country, currency, last4)
        assert masked(source) == f"••••{last4}"


@pytest.mark.django_db
class TestCardDetails:
    @pytest.mark.parametrize(
        ("overrides", "errors"),
        [
            ({"brand": "diners"}, [("card.brand", "parameter_invalid")]),
            ({"last4": "424"}, [("card.last4", "parameter_invalid")]),
            ({"last4": "42424"}, [("card.last4", "parameter_invalid")]),
            ({"last4": "abcd"}, [("card.last4", "parameter_invalid")]),
            ({"exp_month": 0}, [("card.exp_month", "parameter_invalid")]),
            ({"exp_month": 13}, [("card.exp_month", "parameter_invalid")]),
            ({"exp_year": 30}, [("card.exp_year", "parameter_invalid")]),
            ({"exp_year": 2099}, [("card.exp_year", "parameter_invalid")]),
            ({"exp_month": 5, "exp_year": 2026}, [("card.exp_month", "card_expired")]),
            ({"exp_month": 12, "exp_year": 2025}, [("card.exp_year", "card_expired")]),
            ({"holder_name": f"card {PAN}"}, [("card.holder_name", "card_number_refused")]),
        ],
    )
    def test_invalid_cards_are_refused_with_field_errors(self, holder, overrides, errors):
        with time_machine.travel(NOW), pytest.raises(FundingSourceInvalid) as failure:
            funding_source_add(holder=holder, kind="card", card=card(**overrides))

        assert errors_of(failure) == errors
        assert not FundingSource.objects.exists()

    def test_a_card_expiring_this_month_is_still_valid(self, holder):
        with time_machine.travel(NOW):
            source = funding_source_add(holder=holder, kind="card", card=card(exp_month=6, exp_year=2026))

        assert (source.exp_month, source.exp_year) == (6, 2026)

    def test_expiry_is_judged_by_the_sandbox_clock(self, holder, sandbox):
        sandbox.clock_offset = timedelta(days=30)
        sandbox.save(update_fields=["clock_offset"])

        with time_machine.travel(NOW), pytest.raises(FundingSourceInvalid) as failure:
            funding_source_add(holder=holder, kind="card", card=card(exp_month=6, exp_year=2026))

        assert errors_of(failure) == [("card.exp_month", "card_expired")]

    def test_brand_is_case_insensitive_and_the_card_is_stored_without_account_details(self, holder):
        source = funding_source_add(holder=holder, kind="card", card=card(brand="MasterCard", holder_name="A LOVELACE"))

        assert (source.kind, source.brand, source.last4, source.account_encrypted) == ("card", "mastercard", "4242", "")
        assert source.account_holder_name == "A LOVELACE"
        assert masked(source) == "••••4242"

    @pytest.mark.parametrize(
        "pan", [PAN, "4242 4242 4242 4242", "4242-4242-4242-4242", "378282246310005", "4222222222222", "1234567890123"]
    )
    def test_a_full_card_number_in_last4_is_refused_and_never_stored_or_repeated(self, holder, pan):
        with pytest.raises(FundingSourceInvalid) as failure:
            funding_source_add(holder=holder, kind="card", card=card(last4=pan))

        assert errors_of(failure) == [("card.last4", "card_number_refused")]
        digits = pan.replace(" ", "").replace("-", "")
        assert digits not in str(failure.value.detail) + str(failure.value.errors)
        assert pan not in str(failure.value.detail) + str(failure.value.errors)
        assert not FundingSource.objects.exists()

    def test_card_details_never_show_the_last_four_in_their_repr(self):
        assert "4242" not in repr(card())
        assert "GB82WEST" not in repr(iban_account())
        assert "12345678" not in repr(uk_account())


@pytest.mark.django_db
class TestEncryptedStorage:
    def test_an_iban_is_stored_only_encrypted(self, holder):
        source = funding_source_add(holder=holder, kind="bank_account", bank_account=iban_account())

        stored = text_columns(source)
        assert "GB82WEST12345698765432" not in stored
        assert "WEST12345698" not in stored
        assert crypto.decrypt_json(source.account_encrypted) == {"scheme": "iban", "iban": "GB82WEST12345698765432"}
        assert bank_account_details(FundingSource.objects.get(pk=source.pk))["iban"] == "GB82WEST12345698765432"

    def test_a_uk_account_is_stored_only_encrypted(self, holder):
        source = funding_source_add(holder=holder, kind="bank_account", bank_account=uk_account("12-34-56", "87654321"))

        stored = text_columns(source)
        assert "87654321" not in stored and "123456" not in stored
        assert bank_account_details(source) == {
            "scheme": "sort_code",
            "sort_code": "123456",
            "account_number": "87654321",
        }

    def test_cards_have_no_account_details_to_decrypt(self, holder):
        source = funding_source_add(holder=holder, kind="card", card=card())

        with pytest.raises(ValueError):
            bank_account_details(source)

    def test_an_unknown_kind_is_refused(self, holder):
        with pytest.raises(FundingSourceInvalid) as failure:
            funding_source_prepare(holder=holder, kind="crypto_wallet", position=1)

        assert errors_of(failure) == [("type", "parameter_invalid")]

    def test_a_kind_without_its_details_is_refused(self, holder):
        with pytest.raises(FundingSourceInvalid) as failure:
            funding_source_add(holder=holder, kind="card", bank_account=iban_account())

        assert errors_of(failure) == [("card", "parameter_missing")]


# --- Services ---------------------------------------------------------------------------------------------------
def positions(holder: WalletHolder) -> list[tuple[str, int]]:
    return [(s.public_id, s.position) for s in funding_source_list(holder=holder)]


@pytest.fixture
def three(holder):
    """A UK account, an IBAN account and a card, added in that order."""
    return [
        funding_source_add(holder=holder, kind="bank_account", bank_account=uk_account()),
        funding_source_add(holder=holder, kind="bank_account", bank_account=iban_account()),
        funding_source_add(holder=holder, kind="card", card=card()),
    ]


@pytest.mark.django_db
class TestFundingSourceAdd:
    def test_sources_are_appended_to_the_end_of_the_order(self, holder, three):
        assert positions(holder) == [(three[0].public_id, 1), (three[1].public_id, 2), (three[2].public_id, 3)]

    def test_positions_continue_after_a_removal(self, holder, three):
        funding_source_remove(funding_source=three[0])

        added = funding_source_add(holder=holder, kind="card", card=card(last4="1111"))

        assert [p for _, p in positions(holder)] == [1, 2, 3]
        assert positions(holder)[-1] == (added.public_id, 3)

    def test_a_holder_has_at_most_the_maximum_number_of_active_sources(self, holder):
        for _ in range(MAX_ACTIVE_SOURCES):
            funding_source_add(holder=holder, kind="card", card=card())

        with pytest.raises(FundingSourceLimitReached):
            funding_source_add(holder=holder, kind="card", card=card())
        assert FundingSource.objects.count() == MAX_ACTIVE_SOURCES

    def test_a_closed_holder_cannot_add_sources(self, holder):
        WalletHolder.objects.filter(pk=holder.pk).update(status="closed")

        with pytest.raises(InvalidStateTransition):
            funding_source_add(holder=holder, kind="card", card=card())
        assert not FundingSource.objects.exists()

    def test_no_column_of_any_source_holds_a_card_number_after_refusals(self, holder, three):
        for bad in (card(last4=PAN), card(holder_name=PAN)):
            with pytest.raises(FundingSourceInvalid):
                funding_source_add(holder=holder, kind="card", card=bad)

        text_fields = [
            f.name for f in FundingSource._meta.get_fields() if isinstance(f, models.CharField | models.TextField)
        ]
        for field_name in text_fields:
            assert not FundingSource.objects.filter(**{f"{field_name}__contains": "42424242"}).exists(), field_name
        assert FundingSource.objects.count() == 3


@pytest.mark.django_db
class TestFundingSourceRemove:
    def test_removing_keeps_the_row_and_closes_the_gap(self, holder, three):
        removed = funding_source_remove(funding_source=three[1])

        assert (removed.status, removed.position) == ("removed", 0)
        assert FundingSource.objects.filter(pk=three[1].pk, status="removed").exists()
        assert positions(holder) == [(three[0].public_id, 1), (three[2].public_id, 2)]

    def test_a_removed_source_cannot_be_removed_again_or_fetched(self, holder, three):
        funding_source_remove(funding_source=three[0])

        with pytest.raises(InvalidStateTransition):
            funding_source_remove(funding_source=three[0])
        with pytest.raises(Exception, match="No such funding source"):
            funding_source_get(holder=holder, funding_source_id=three[0].public_id)


@pytest.mark.django_db
class TestFundingSourceReorder:
    def test_a_permutation_sets_the_order(self, holder, three):
        order = [three[2].public_id, three[0].public_id, three[1].public_id]

        result = funding_source_reorder(holder=holder, order=order)

        assert [s.public_id for s in result] == order
        assert positions(holder) == [(order[0], 1), (order[1], 2), (order[2], 3)]

    @pytest.mark.parametrize(
        ("make_order", "message"),
        [
            (lambda ids, other, removed: ids[:2], "missing"),
            (lambda ids, other, removed: [*ids, ids[0]], "only once"),
            (lambda ids, other, removed: [ids[0], ids[1], ids[1]], "only once"),
            (lambda ids, other, removed: [*ids, other], "not active funding sources"),
            (lambda ids, other, removed: [*ids[:2], other], "not active funding sources"),
            (lambda ids, other, removed: [*ids, removed], "not active funding sources"),
            (lambda ids, other, removed: [], "missing"),
        ],
        ids=[
            "missing-one",
            "repeated",
            "repeated-instead-of-one",
            "extra-foreign",
            "foreign-instead",
            "removed",
            "empty",
        ],
    )
    def test_anything_but_a_permutation_is_refused_and_changes_nothing(
        self, holder, three, partner, make_order, message
    ):
        other_holder = make_holder(partner=partner, name="Other")
        other = funding_source_add(holder=other_holder, kind="card", card=card()).public_id
        gone = funding_source_add(holder=holder, kind="card", card=card())
        funding_source_remove(funding_source=gone)
        before = positions(holder)
        # An id that is not one of the holder's active sources is not found (404); leaving one out is a conflict
        # with the holder's sources now (409); a repeated one is malformed (400).
        error, code = {
            "not active funding sources": (NotFound, "resource_missing"),
            "missing": (FundingSourceOrderIncomplete, "order_incomplete"),
        }.get(message, (FundingSourceInvalid, "order_invalid"))

        with pytest.raises(error) as failure:
            funding_source_reorder(holder=holder, order=make_order([s.public_id for s in three], other, gone.public_id))

        assert errors_of(failure) == [("order", code)]
        assert message in failure.value.errors[0]["message"]
        assert other not in failure.value.errors[0]["message"]
        assert positions(holder) == before


@pytest.mark.django_db
class TestFundingSourceFallback:
    def test_sources_are_tried_in_order_until_one_succeeds(self, holder, three):
        tried = []

        def attempt(source):
            tried.append(source.public_id)
            return source.public_id == three[1].public_id

        chosen = funding_source_fallback(holder=holder, attempt=attempt)

        assert chosen == three[1]
        assert tried == [three[0].public_id, three[1].public_id]

    def test_the_walk_follows_a_reordered_list(self, holder, three):
        funding_source_reorder(holder=holder, order=[three[2].public_id, three[1].public_id, three[0].public_id])
        tried = []

        chosen = funding_source_fallback(holder=holder, attempt=lambda s: tried.append(s.public_id) or False)

        assert chosen is None
        assert tried == [three[2].public_id, three[1].public_id, three[0].public_id]

    def test_removed_sources_and_expired_cards_are_skipped(self, holder, three):
        funding_source_remove(funding_source=three[0])
        tried = []

        with time_machine.travel(datetime(2031, 1, 1, tzinfo=UTC)):  # the card expired at the end of 12/2030
            chosen = funding_source_fallback(holder=holder, attempt=lambda s: tried.append(s.public_id) or False)

        assert chosen is None
        assert tried == [three[1].public_id]

    def test_a_holder_without_sources_gets_none_without_any_attempt(self, holder):
        def attempt(source):
            raise AssertionError("nothing to try")

        assert funding_source_fallback(holder=holder, attempt=attempt) is None

    def test_an_exception_from_the_attempt_stops_the_walk(self, holder, three):
        tried = []

        def attempt(source):
            tried.append(source.public_id)
            raise RuntimeError("processor down")

        with pytest.raises(RuntimeError):
            funding_source_fallback(holder=holder, attempt=attempt)
        assert tried == [three[0].public_id]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestConcurrentChanges:
    def test_parallel_adds_and_a_removal_leave_a_packed_order(self, partner):
        holder = make_holder(partner=partner)
        first = funding_source_add(holder=holder, kind="card", card=card(last4="0000"))
        barrier = threading.Barrier(6)
        failures: list[BaseException] = []

        def run(action):
            try:
                barrier.wait(timeout=10)
                action()
            except BaseException as error:  # reported below
                failures.append(error)
            finally:
                connection.close()

        actions = [
            lambda i=i: funding_source_add(holder=holder, kind="card", card=card(last4=f"{i:04d}")) for i in range(1, 6)
        ]
        actions.append(lambda: funding_source_remove(funding_source=first))
        threads = [threading.Thread(target=run, args=(action,)) for action in actions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert failures == []
        assert [p for _, p in positions(holder)] == [1, 2, 3, 4, 5]
        assert FundingSource.objects.get(pk=first.pk).status == "removed"
