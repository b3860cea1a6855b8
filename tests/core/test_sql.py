"""apps.core.sql.new: rows built without Model.__init__, as Model(**values) would build them."""

import pytest

from apps.core import clock, sql
from apps.wallets.models import Entry, Journal


class TestNew:
    def test_it_builds_what_the_model_would(self, partner):
        kwargs = {"kind": "transfer", "description": "Dinner", "environment": "sandbox", "partner": partner}
        built, expected = sql.new(Journal, **kwargs), Journal(**kwargs)
        names = [field.attname for field in Journal._meta.concrete_fields]
        assert [getattr(built, name) for name in names] == [getattr(expected, name) for name in names]
        assert built.partner is partner and built.partner_id == partner.pk
        assert built._state.adding and built._state.db is None and built.pk is None

    def test_missing_fields_take_their_defaults(self):
        entry = sql.new(Entry, amount=5, currency="USD")
        assert entry.journal_id is None and entry.account_id is None and entry.amount == 5

    def test_a_key_can_be_given_by_its_column_attribute(self, partner):
        journal = sql.new(Journal, kind="transfer", environment="sandbox", partner_id=partner.pk)
        assert journal.partner_id == partner.pk and journal.partner == partner

    def test_an_unknown_keyword_is_refused(self):
        with pytest.raises(TypeError, match="no field"):
            sql.new(Journal, kind="transfer", colour="blue")

    def test_a_built_row_saves_like_any_other(self, partner):
        journal = sql.new(Journal, kind="transfer", environment="sandbox", partner=partner, posted_at=clock.now())
        sql.insert([journal])
        assert Journal.objects.get(pk=journal.pk).partner_id == partner.pk
