"""Portal team pages: the member list, invitations and their accept page, roles, removal, leaving, transfer."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from apps.partners.models import AuditEvent, Invitation, Membership
from apps.partners.services import teams
from tests.core.factories import UserFactory
from tests.partners.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/portal/team/invitations/(?P<token>[^/\s]+)/")


def _invite(owner, email="invitee@example.test", role="developer"):
    """Invite through the service; returns the token the e-mail would carry."""
    return teams.invitation_create(partner=owner.partner, email=email, role=role, invited_by=owner.user).token


def _accept_url(token):
    return f"/portal/team/invitations/{token}/"


def _actions():
    # Logging the test clients in records user.signed_in; these tests care about the team's own rows.
    return list(AuditEvent.objects.exclude(action__startswith="user.").values_list("action", flat=True))


def _messages(response):
    return [str(m) for m in response.context["messages"]]


class TestTeamPage:
    def test_an_owner_sees_members_invitations_and_the_invite_form(self, owner, member):
        dev = member("developer", partner=owner.partner)
        _invite(owner, email="pending@example.test", role="viewer")

        response = owner.client.get("/portal/team/")

        assert response.status_code == 200
        body = response.content.decode()
        assert owner.user.email in body and dev.user.email in body
        assert "pending@example.test" in body
        assert 'action="/portal/team/invitations/"' in body
        assert f"/portal/team/members/{dev.membership.public_id}/remove/" in body
        assert f"/portal/team/members/{dev.membership.public_id}/transfer/" in body

    def test_a_viewer_sees_the_members_but_no_form_or_actions(self, owner, member):
        viewer = member("viewer", partner=owner.partner)

        response = viewer.client.get("/portal/team/")

        assert response.status_code == 200
        body = response.content.decode()
        assert owner.user.email in body
        assert 'action="/portal/team/invitations/"' not in body
        assert "/remove/" not in body and "/role/" not in body and "/transfer/" not in body

    def test_an_admin_gets_no_actions_on_the_owner(self, owner, member):
        admin = member("admin", partner=owner.partner)

        body = admin.client.get("/portal/team/").content.decode()

        assert f"/portal/team/members/{owner.membership.public_id}/" not in body
        assert '<option value="owner"' not in body

    def test_anonymous_visitors_are_sent_to_log_in(self, client: Client):
        response = client.get("/portal/team/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestInvite:
    def test_inviting_sends_the_link_by_email_and_stores_only_the_digest(
        self, owner, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = owner.client.post("/portal/team/invitations/", {"email": "New@Acme.test", "role": "admin"})

        assert response.status_code == 302
        assert response["Location"] == "/portal/team/"
        [message] = mailoutbox
        assert message.to == ["new@acme.test"]
        token = LINK.search(message.body)["token"]
        invitation = Invitation.objects.get()
        assert invitation.token_digest == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(Invitation.objects.values().get())
        assert (invitation.email, invitation.role) == ("new@acme.test", "admin")
        assert _actions() == ["member.invited"]

    def test_an_admin_can_invite(self, owner, member):
        admin = member("admin", partner=owner.partner)

        response = admin.client.post("/portal/team/invitations/", {"email": "a@acme.test", "role": "viewer"})

        assert response.status_code == 302
        assert Invitation.objects.get().invited_by == admin.user

    def test_a_second_invitation_to_an_open_address_is_refused_with_a_form_error(self, owner):
        _invite(owner, email="dup@acme.test")

        response = owner.client.post("/portal/team/invitations/", {"email": "DUP@acme.test", "role": "viewer"})

        assert response.status_code == 409
        assert "open invitation" in response.context["invite_form"].errors["email"][0]
        assert Invitation.objects.count() == 1
        assert _actions() == ["member.invited"]

    def test_inviting_an_existing_member_is_refused(self, owner, member):
        dev = member("developer", partner=owner.partner)

        response = owner.client.post("/portal/team/invitations/", {"email": dev.user.email, "role": "viewer"})

        assert response.status_code == 409
        assert "already a member" in response.context["invite_form"].errors["email"][0]
        assert Invitation.objects.count() == 0

    @pytest.mark.parametrize("role", ["developer", "viewer"])
    def test_developers_and_viewers_cannot_invite(self, member, role, mailoutbox):
        m = member(role)

        response = m.client.post("/portal/team/invitations/", {"email": "x@acme.test", "role": "viewer"})

        assert response.status_code == 403
        assert Invitation.objects.count() == 0
        assert mailoutbox == []

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"email": "not-an-email", "role": "developer"}, "email"),
            ({"email": "", "role": "developer"}, "email"),
            ({"email": ("a" * 250) + "@acme.test", "role": "developer"}, "email"),
            ({"email": "ok@acme.test", "role": "superuser"}, "role"),
            ({"email": "ok@acme.test", "role": "owner"}, "role"),
        ],
    )
    def test_bad_input_re_renders_with_errors_and_writes_nothing(self, owner, data, field, mailoutbox):
        response = owner.client.post("/portal/team/invitations/", data)

        assert response.status_code == 400
        assert field in response.context["invite_form"].errors
        assert 'class="errorlist' in response.content.decode()
        assert Invitation.objects.count() == 0
        assert _actions() == []
        assert mailoutbox == []


class TestRevokeInvitation:
    def test_an_owner_revokes_an_open_invitation_and_its_link_stops_working(self, owner, client: Client):
        token = _invite(owner)
        invitation = Invitation.objects.get()

        response = owner.client.post(f"/portal/team/invitations/{invitation.public_id}/revoke/")

        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        assert "invitation.revoked" in _actions()
        assert client.get(_accept_url(token)).status_code == 410

    def test_another_partners_invitation_is_not_found(self, owner, member):
        other = member("owner")
        _invite(other)
        invitation = Invitation.objects.get()

        response = owner.client.post(f"/portal/team/invitations/{invitation.public_id}/revoke/")

        assert response.status_code == 404
        invitation.refresh_from_db()
        assert invitation.revoked_at is None

    def test_a_developer_cannot_revoke(self, owner, member):
        dev = member("developer", partner=owner.partner)
        _invite(owner)
        invitation = Invitation.objects.get()

        response = dev.client.post(f"/portal/team/invitations/{invitation.public_id}/revoke/")

        assert response.status_code == 403
        invitation.refresh_from_db()
        assert invitation.revoked_at is None


class TestAcceptAsLoggedInInvitee:
    def test_confirming_creates_the_membership_switches_team_and_is_audited(self, owner, member):
        invitee = member("owner")  # already owns another team
        token = _invite(owner, email=invitee.user.email.upper(), role="viewer")

        page = invitee.client.get(_accept_url(token))
        response = invitee.client.post(_accept_url(token))

        assert page.status_code == 200
        assert page.context["state"] == "confirm"
        assert response.status_code == 302
        assert response["Location"] == "/portal/team/"
        joined = Membership.objects.get(partner=owner.partner, user=invitee.user)
        assert joined.role == "viewer"
        assert Invitation.objects.get().accepted_at is not None
        assert invitee.client.session["portal_partner"] == owner.partner.public_id
        assert invitee.client.get("/portal/team/").context["portal"].partner == owner.partner
        event = AuditEvent.objects.get(action="member.joined")
        assert (event.partner, event.actor, event.target_id) == (owner.partner, invitee.user, joined.public_id)

    def test_someone_logged_in_with_another_address_is_refused(self, owner, member):
        stranger = member("owner")
        token = _invite(owner, email="invited@acme.test")

        page = stranger.client.get(_accept_url(token))
        response = stranger.client.post(_accept_url(token))

        assert page.status_code == 403
        assert "invited@acme.test" in page.content.decode()
        assert response.status_code == 403
        assert not Membership.objects.filter(partner=owner.partner, user=stranger.user).exists()
        assert Invitation.objects.get().accepted_at is None
        assert "member.joined" not in _actions()


class TestAcceptBySigningUp:
    def test_the_page_offers_a_sign_up_form_for_an_address_without_an_account(self, owner, client: Client):
        token = _invite(owner, email="fresh@acme.test")

        response = client.get(_accept_url(token))

        assert response.status_code == 200
        assert response.context["state"] == "sign_up"
        assert "password2" in response.content.decode()

    def test_signing_up_creates_a_verified_user_logs_in_and_joins(self, owner, client: Client):
        token = _invite(owner, email="fresh@acme.test", role="developer")

        response = client.post(_accept_url(token), {"password1": "a-long-pass-9876", "password2": "a-long-pass-9876"})

        assert response.status_code == 302
        assert response["Location"] == "/portal/team/"
        user = get_user_model().objects.get(email="fresh@acme.test")
        assert user.username == "fresh@acme.test"
        assert EmailAddress.objects.filter(user=user, email="fresh@acme.test", verified=True, primary=True).exists()
        assert Membership.objects.get(user=user).role == "developer"
        assert int(client.session["_auth_user_id"]) == user.pk
        assert client.session["portal_partner"] == owner.partner.public_id
        assert client.get("/portal/team/").status_code == 200
        assert "member.joined" in _actions()

    @pytest.mark.parametrize(
        ("password1", "password2", "field"),
        [
            ("a-long-pass-9876", "another-pass-9876", "password2"),
            ("short", "short", "password1"),
            ("1234567890123", "1234567890123", "password1"),
            ("", "", "password1"),
        ],
    )
    def test_a_bad_password_re_renders_with_errors_and_writes_nothing(
        self, owner, client: Client, password1, password2, field
    ):
        token = _invite(owner, email="fresh@acme.test")

        response = client.post(_accept_url(token), {"password1": password1, "password2": password2})

        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert not get_user_model().objects.filter(email="fresh@acme.test").exists()
        assert Invitation.objects.get().accepted_at is None
        assert "_auth_user_id" not in client.session

    def test_an_address_with_an_account_is_sent_to_log_in_and_back(self, owner, client: Client):
        UserFactory(email="known@acme.test", username="known@acme.test")
        token = _invite(owner, email="known@acme.test")

        page = client.get(_accept_url(token))
        response = client.post(_accept_url(token), {"password1": "a-long-pass-9876", "password2": "a-long-pass-9876"})

        assert page.status_code == 200
        assert page.context["state"] == "log_in"
        login = f"/accounts/login/?next=%2Fportal%2Fteam%2Finvitations%2F{token}%2F"
        assert login.replace("&", "&amp;") in page.content.decode()
        assert response.status_code == 302
        assert response["Location"] == login
        assert Invitation.objects.get().accepted_at is None
        assert get_user_model().objects.filter(email="known@acme.test").count() == 1


class TestUnusableInvitationLinks:
    def test_an_expired_link_is_gone(self, owner, client: Client):
        token = _invite(owner, email="fresh@acme.test")

        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            page = client.get(_accept_url(token))
            response = client.post(
                _accept_url(token), {"password1": "a-long-pass-9876", "password2": "a-long-pass-9876"}
            )

        assert page.status_code == response.status_code == 410
        assert "expired" in page.content.decode()
        assert not get_user_model().objects.filter(email="fresh@acme.test").exists()

    def test_a_revoked_link_is_gone(self, owner, client: Client):
        token = _invite(owner, email="fresh@acme.test")
        teams.invitation_revoke(partner=owner.partner, public_id=Invitation.objects.get().public_id, actor=owner.user)

        response = client.post(_accept_url(token), {"password1": "a-long-pass-9876", "password2": "a-long-pass-9876"})

        assert response.status_code == 410
        assert "withdrawn" in response.content.decode()
        assert not get_user_model().objects.filter(email="fresh@acme.test").exists()

    def test_a_used_link_is_gone(self, owner, member):
        invitee = member("owner")
        token = _invite(owner, email=invitee.user.email)
        invitee.client.post(_accept_url(token))

        response = invitee.client.post(_accept_url(token))

        assert response.status_code == 410
        assert "already been accepted" in response.content.decode()
        assert _actions().count("member.joined") == 1

    def test_an_unknown_link_is_not_found(self, client: Client):
        response = client.get(_accept_url("made-up-token"))

        assert response.status_code == 404
        assert "not valid" in response.content.decode()


class TestMemberRole:
    def test_an_owner_changes_a_role_and_it_is_audited(self, owner, member):
        dev = member("developer", partner=owner.partner)

        response = owner.client.post(f"/portal/team/members/{dev.membership.public_id}/role/", {"role": "admin"})

        assert response.status_code == 302
        dev.membership.refresh_from_db()
        assert dev.membership.role == "admin"
        event = AuditEvent.objects.get(action="member.role_changed")
        assert event.metadata == {"email": dev.user.email, "from": "developer", "to": "admin"}

    def test_an_admin_cannot_change_the_owner(self, owner, member):
        admin = member("admin", partner=owner.partner)

        response = admin.client.post(f"/portal/team/members/{owner.membership.public_id}/role/", {"role": "viewer"})

        assert response.status_code == 403
        owner.membership.refresh_from_db()
        assert owner.membership.role == "owner"
        assert "member.role_changed" not in _actions()

    def test_an_admin_cannot_make_someone_owner(self, owner, member):
        admin = member("admin", partner=owner.partner)
        dev = member("developer", partner=owner.partner)

        response = admin.client.post(f"/portal/team/members/{dev.membership.public_id}/role/", {"role": "owner"})

        assert response.status_code == 403
        dev.membership.refresh_from_db()
        assert dev.membership.role == "developer"

    def test_the_last_owner_cannot_be_demoted(self, owner):
        response = owner.client.post(f"/portal/team/members/{owner.membership.public_id}/role/", {"role": "admin"})

        assert response.status_code == 409
        assert any("last owner" in m for m in _messages(response))
        owner.membership.refresh_from_db()
        assert owner.membership.role == "owner"

    def test_an_unknown_role_re_renders_with_the_error_and_writes_nothing(self, owner, member):
        dev = member("developer", partner=owner.partner)

        response = owner.client.post(f"/portal/team/members/{dev.membership.public_id}/role/", {"role": "superuser"})

        assert response.status_code == 400
        [row] = [r for r in response.context["rows"] if r["membership"].pk == dev.membership.pk]
        assert "role" in row["role_form"].errors
        assert 'class="errorlist' in response.content.decode()
        dev.membership.refresh_from_db()
        assert dev.membership.role == "developer"
        assert _actions() == []

    def test_another_partners_member_is_not_found(self, owner, member):
        stranger = member("developer")

        response = owner.client.post(f"/portal/team/members/{stranger.membership.public_id}/role/", {"role": "viewer"})

        assert response.status_code == 404
        stranger.membership.refresh_from_db()
        assert stranger.membership.role == "developer"

    @pytest.mark.parametrize("role", ["developer", "viewer"])
    def test_developers_and_viewers_cannot_change_roles(self, owner, member, role):
        m = member(role, partner=owner.partner)
        other = member("viewer", partner=owner.partner)

        response = m.client.post(f"/portal/team/members/{other.membership.public_id}/role/", {"role": "admin"})

        assert response.status_code == 403
        other.membership.refresh_from_db()
        assert other.membership.role == "viewer"


class TestMemberRemove:
    def test_an_admin_removes_a_developer_who_then_no_longer_sees_the_team(self, owner, member):
        admin = member("admin", partner=owner.partner)
        dev = member("developer", partner=owner.partner)

        response = admin.client.post(f"/portal/team/members/{dev.membership.public_id}/remove/")

        assert response.status_code == 302
        assert not Membership.objects.filter(pk=dev.membership.pk).exists()
        event = AuditEvent.objects.get(action="member.removed")
        assert (event.actor, event.target_id) == (admin.user, dev.membership.public_id)
        after = dev.client.get("/portal/team/")
        assert after.status_code == 302
        assert after["Location"] == "/portal/welcome/"

    def test_a_removed_member_with_another_team_lands_on_it(self, owner, member):
        dev = member("developer", partner=owner.partner)
        elsewhere = MembershipFactory(user=dev.user, role="viewer")
        session = dev.client.session
        session["portal_partner"] = owner.partner.public_id
        session.save()

        owner.client.post(f"/portal/team/members/{dev.membership.public_id}/remove/")

        assert dev.client.get("/portal/team/").context["portal"].partner == elsewhere.partner

    def test_an_admin_cannot_remove_the_owner(self, owner, member):
        admin = member("admin", partner=owner.partner)

        response = admin.client.post(f"/portal/team/members/{owner.membership.public_id}/remove/")

        assert response.status_code == 403
        assert Membership.objects.filter(pk=owner.membership.pk, role="owner").exists()
        assert "member.removed" not in _actions()

    def test_the_owner_cannot_remove_themselves(self, owner):
        response = owner.client.post(f"/portal/team/members/{owner.membership.public_id}/remove/")

        assert response.status_code == 409
        assert Membership.objects.filter(pk=owner.membership.pk).exists()

    def test_another_partners_member_is_not_found(self, owner, member):
        stranger = member("developer")

        response = owner.client.post(f"/portal/team/members/{stranger.membership.public_id}/remove/")

        assert response.status_code == 404
        assert Membership.objects.filter(pk=stranger.membership.pk).exists()

    def test_a_developer_cannot_remove(self, owner, member):
        dev = member("developer", partner=owner.partner)
        viewer = member("viewer", partner=owner.partner)

        response = dev.client.post(f"/portal/team/members/{viewer.membership.public_id}/remove/")

        assert response.status_code == 403
        assert Membership.objects.filter(pk=viewer.membership.pk).exists()


class TestLeave:
    def test_a_member_leaves_and_lands_on_onboarding(self, owner, member):
        viewer = member("viewer", partner=owner.partner)

        response = viewer.client.post("/portal/team/leave/")

        assert response.status_code == 302
        assert not Membership.objects.filter(pk=viewer.membership.pk).exists()
        assert AuditEvent.objects.get(action="member.left").actor == viewer.user
        assert viewer.client.get("/portal/team/")["Location"] == "/portal/welcome/"

    def test_the_last_owner_cannot_leave(self, owner):
        response = owner.client.post("/portal/team/leave/")

        assert response.status_code == 409
        assert any("last owner" in m for m in _messages(response))
        assert Membership.objects.filter(pk=owner.membership.pk, role="owner").exists()
        assert "member.left" not in _actions()


class TestTransferOwnership:
    def test_the_owner_confirms_and_roles_swap(self, owner, member):
        dev = member("developer", partner=owner.partner)
        url = f"/portal/team/members/{dev.membership.public_id}/transfer/"

        page = owner.client.get(url)
        response = owner.client.post(url)

        assert page.status_code == 200
        assert dev.user.email in page.content.decode()
        assert response.status_code == 302
        owner.membership.refresh_from_db()
        dev.membership.refresh_from_db()
        assert (owner.membership.role, dev.membership.role) == ("admin", "owner")
        event = AuditEvent.objects.get(action="ownership.transferred")
        assert event.metadata["to"] == dev.user.email

    def test_an_admin_cannot_transfer_ownership(self, owner, member):
        admin = member("admin", partner=owner.partner)
        dev = member("developer", partner=owner.partner)

        response = admin.client.post(f"/portal/team/members/{dev.membership.public_id}/transfer/")

        assert response.status_code == 403
        assert Membership.objects.get(partner=owner.partner, role="owner") == owner.membership

    def test_another_partners_member_is_not_found(self, owner, member):
        stranger = member("developer")

        response = owner.client.post(f"/portal/team/members/{stranger.membership.public_id}/transfer/")

        assert response.status_code == 404
        stranger.membership.refresh_from_db()
        assert stranger.membership.role == "developer"
        assert "ownership.transferred" not in _actions()

    def test_transferring_to_oneself_is_refused(self, owner):
        response = owner.client.post(f"/portal/team/members/{owner.membership.public_id}/transfer/")

        assert response.status_code == 409
        owner.membership.refresh_from_db()
        assert owner.membership.role == "owner"
