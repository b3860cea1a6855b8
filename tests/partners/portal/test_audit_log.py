from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.partners.models import AuditEvent
from apps.partners.portal.audit import PAGE_SIZE

pytestmark = pytest.mark.django_db

URL = "/portal/audit/"


@pytest.fixture
def team(member):
    """``member`` without the ``user.signed_in`` row its log-in writes, so each test owns every row it sees."""

    def make(role="owner", **kwargs):
        m = member(role, **kwargs)
        AuditEvent.objects.filter(partner=m.partner, action="user.signed_in").delete()
        return m

    return make


@pytest.fixture
def owner(team):
    return team("owner")


def _event(partner, action, *, email="", when=None, **fields):
    return AuditEvent.objects.create(
        partner=partner,
        action=action,
        actor_email=email,
        created_at=when or datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
        **fields,
    )


def _actions(response):
    return [event.action for event in response.context["events"]]


class TestAuditLogAccess:
    @pytest.mark.parametrize("role", ["owner", "admin"])
    def test_owners_and_admins_see_the_log(self, team, role):
        m = team(role)
        _event(m.partner, "partner.created")

        response = m.client.get(URL)

        assert response.status_code == 200
        assert _actions(response) == ["partner.created"]

    @pytest.mark.parametrize("role", ["developer", "viewer"])
    def test_developers_and_viewers_are_refused(self, team, role):
        m = team(role)
        _event(m.partner, "partner.created")

        response = m.client.get(URL)

        assert response.status_code == 403
        assert b"partner.created" not in response.content

    @pytest.mark.parametrize(("role", "shown"), [("admin", True), ("developer", False)])
    def test_the_nav_links_the_log_only_for_those_who_may_see_it(self, member, role, shown):
        response = member(role).client.get("/portal/")

        assert (b'href="/portal/audit/"' in response.content) is shown

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get(URL)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestAuditLogList:
    def test_events_are_listed_newest_first_with_every_column(self, owner):
        _event(owner.partner, "partner.created", email="first@acme.test")
        _event(
            owner.partner,
            "api_key.created",
            email="dev@acme.test",
            target_type="api_key",
            target_id="key_abc123",
            environment="sandbox",
            ip_address="198.51.100.7",
            metadata={"name": "CI key"},
        )

        response = owner.client.get(URL)

        assert _actions(response) == ["api_key.created", "partner.created"]
        body = response.content.decode()
        for text in ("2026-11-20 12:00:00", "dev@acme.test", "api_key.created", "key_abc123", "sandbox",
                     "198.51.100.7", "CI key"):  # fmt: skip
            assert text in body

    def test_another_partners_events_never_appear_even_when_filtered(self, owner, team):
        other = team("owner")
        _event(owner.partner, "api_key.created", email=owner.user.email)
        _event(other.partner, "api_key.revoked", email=owner.user.email, target_id="key_theirs")
        _event(None, "user.sign_in_failed", email=owner.user.email)

        for params in ({}, {"action": "api_key."}, {"actor": owner.user.email}, {"action": "user."}):
            response = owner.client.get(URL, params)
            assert set(_actions(response)) <= {"api_key.created"}
        assert b"key_theirs" not in owner.client.get(URL).content

    def test_the_action_filter_matches_a_prefix(self, owner):
        for action in ("api_key.created", "api_key.revoked", "app.created", "member.invited"):
            _event(owner.partner, action)

        response = owner.client.get(URL, {"action": "api_key."})

        assert _actions(response) == ["api_key.revoked", "api_key.created"]

    def test_the_action_filter_with_a_full_action_matches_that_action(self, owner):
        _event(owner.partner, "live_access.requested")
        _event(owner.partner, "live_access.approved")

        assert _actions(owner.client.get(URL, {"action": " Live_Access.Approved "})) == ["live_access.approved"]

    def test_the_actor_filter_matches_part_of_the_email(self, owner):
        _event(owner.partner, "user.signed_in", email="alice@acme.test")
        _event(owner.partner, "user.signed_in", email="bob@acme.test")

        response = owner.client.get(URL, {"actor": "ALICE@"})

        assert [e.actor_email for e in response.context["events"]] == ["alice@acme.test"]

    def test_the_date_range_includes_both_whole_days(self, owner):
        for day, hour in ((9, 23), (10, 0), (11, 23), (12, 0)):
            _event(owner.partner, f"user.signed_in.{day}", when=datetime(2026, 11, day, hour, 30, tzinfo=UTC))

        response = owner.client.get(URL, {"since": "2026-11-10", "until": "2026-11-11"})

        assert _actions(response) == ["user.signed_in.11", "user.signed_in.10"]

    def test_an_end_before_the_start_re_renders_with_an_error_and_no_events(self, owner):
        _event(owner.partner, "partner.created")

        response = owner.client.get(URL, {"since": "2026-11-12", "until": "2026-11-10"})

        assert response.status_code == 400
        assert "until" in response.context["form"].errors
        assert _actions(response) == []
        assert b"The end date is before the start date." in response.content

    def test_a_malformed_date_is_a_field_error(self, owner):
        response = owner.client.get(URL, {"since": "last tuesday"})

        assert response.status_code == 400
        assert "since" in response.context["form"].errors

    def test_an_empty_log_says_so(self, owner):
        response = owner.client.get(URL)

        assert b'data-testid="audit-empty"' in response.content


class TestAuditLogPagination:
    def test_pages_follow_the_older_link_without_gaps_or_repeats_and_keep_the_filters(self, owner):
        for i in range(PAGE_SIZE + 10):
            _event(owner.partner, f"api_key.created.{i:03d}")
            _event(owner.partner, "user.signed_in")

        first = owner.client.get(URL, {"action": "api_key."})
        assert len(first.context["events"]) == PAGE_SIZE
        older = first.context["next_before"]
        assert older is not None
        assert f"action=api_key.&amp;before={older}" in first.content.decode()

        second = owner.client.get(URL, {"action": "api_key.", "before": older})
        assert second.context["next_before"] is None

        seen = _actions(first) + _actions(second)
        assert seen == [f"api_key.created.{i:03d}" for i in reversed(range(PAGE_SIZE + 10))]

    def test_a_cursor_from_another_partner_shows_only_this_partners_events(self, owner, team):
        mine = _event(owner.partner, "partner.created")
        theirs = _event(team("owner").partner, "partner.created")

        response = owner.client.get(URL, {"before": theirs.public_id})

        assert [e.pk for e in response.context["events"]] == [mine.pk]

    def test_a_malformed_cursor_is_refused(self, owner):
        assert owner.client.get(URL, {"before": "abc"}).status_code == 400

    def test_the_page_costs_the_same_queries_whatever_the_number_of_rows(self, owner):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert owner.client.get(URL).status_code == 200
            return len(captured)

        _event(owner.partner, "partner.created", email="a@acme.test", metadata={"name": "x"})
        one_row = queries()
        for i in range(30):
            _event(owner.partner, "api_key.created", email=f"dev{i}@acme.test", metadata={"name": str(i)})

        assert queries() == one_row
