"""Team services: invitations, role changes, removal, leaving and ownership transfer, and the last-owner rule."""

import hashlib
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from apps.core.errors import NotFound
from apps.partners.models import AuditEvent, Invitation, Membership
from apps.partners.services import teams
from tests.core.factories import UserFactory
from tests.partners.factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """A partner with an owner, an admin, a developer and a viewer (each a Membership)."""
    partner = PartnerFactory()
    return {role: MembershipFactory(partner=partner, role=role) for role in ("owner", "admin", "developer", "viewer")}


def _invite(team, email="new@example.test", role="developer", by="owner"):
    return teams.invitation_create(partner=team[by].partner, email=email, role=role, invited_by=team[by].user)


def _audit(action):
    return list(AuditEvent.objects.filter(action=action))


class TestInvitationCreate:
    def test_an_invitation_stores_only_the_token_digest_and_expires_in_seven_days(self, team):
        issued = _invite(team)

        invitation = Invitation.objects.get()
        assert invitation.token_digest == hashlib.sha256(issued.token.encode()).hexdigest()
        assert issued.token not in {invitation.token_digest, invitation.email, invitation.public_id}
        assert invitation.expires_at - invitation.created_at == pytest.approx(
            timedelta(days=7), abs=timedelta(seconds=5)
        )
        assert invitation.role == "developer"
        assert invitation.invited_by == team["owner"].user

    def test_the_email_with_the_accept_link_is_sent_after_commit(
        self, team, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        settings.BASE_URL = "https://portal.causeway.test"

        with django_capture_on_commit_callbacks(execute=True):
            issued = _invite(team, email="New@Example.TEST")
            assert mailoutbox == []

        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert message.to == ["new@example.test"]
        assert team["owner"].partner.name in message.subject
        assert f"https://portal.causeway.test/portal/team/invitations/{issued.token}/" in message.body

    def test_the_address_is_stored_lower_cased_and_audited_without_the_token(self, team):
        issued = _invite(team, email="  Someone@Example.TEST ")

        assert Invitation.objects.get().email == "someone@example.test"
        [row] = _audit("member.invited")
        assert row.partner == team["owner"].partner
        assert row.actor == team["owner"].user
        assert row.target_id == issued.invitation.public_id
        assert row.metadata == {"email": "someone@example.test", "role": "developer"}
        assert issued.token not in str(row.metadata)

    def test_an_address_with_an_open_invitation_cannot_be_invited_again_in_any_case(self, team):
        _invite(team, email="dup@example.test")

        with pytest.raises(teams.InvitationAlreadyOpen):
            _invite(team, email="DUP@example.test", role="admin")

        assert Invitation.objects.count() == 1

    def test_a_concurrent_duplicate_caught_by_the_constraint_is_the_same_error(self, team, monkeypatch):
        _invite(team, email="race@example.test")
        # As if the other request's row were committed between our check and our insert.
        monkeypatch.setattr(teams, "invitation_open_list", lambda *, partner: Invitation.objects.none())

        with pytest.raises(teams.InvitationAlreadyOpen):
            _invite(team, email="race@example.test")

        assert Invitation.objects.count() == 1
        assert len(_audit("member.invited")) == 1

    def test_an_expired_invitation_is_closed_and_replaced(self, team):
        first = _invite(team, email="late@example.test")

        with time_machine.travel(timezone.now() + timedelta(days=8)):
            second = _invite(team, email="late@example.test")

        first.invitation.refresh_from_db()
        assert first.invitation.revoked_at is not None
        assert second.invitation.revoked_at is None
        assert Invitation.objects.count() == 2

    def test_the_same_address_can_be_invited_by_another_partner(self, team):
        other = MembershipFactory(role="owner")
        _invite(team, email="both@example.test")

        teams.invitation_create(partner=other.partner, email="both@example.test", role="viewer", invited_by=other.user)

        assert Invitation.objects.filter(email="both@example.test").count() == 2

    def test_an_existing_member_cannot_be_invited(self, team):
        with pytest.raises(teams.AlreadyMember):
            _invite(team, email=team["viewer"].user.email.upper())

        assert Invitation.objects.count() == 0

    @pytest.mark.parametrize("role", ["owner", "superuser", ""])
    def test_only_admin_developer_and_viewer_can_be_invited(self, team, role):
        with pytest.raises(teams.InvalidRole):
            _invite(team, role=role)

        assert Invitation.objects.count() == 0

    @pytest.mark.parametrize("by", ["developer", "viewer"])
    def test_developers_and_viewers_cannot_invite(self, team, by):
        with pytest.raises(teams.NotPermitted):
            _invite(team, by=by)

        assert Invitation.objects.count() == 0

    def test_an_admin_can_invite(self, team):
        _invite(team, by="admin", role="admin")

        assert Invitation.objects.get().role == "admin"


class TestInvitationRevoke:
    def test_revoking_closes_the_invitation_and_is_audited(self, team):
        issued = _invite(team)

        teams.invitation_revoke(
            partner=team["admin"].partner, public_id=issued.invitation.public_id, actor=team["admin"].user
        )

        issued.invitation.refresh_from_db()
        assert issued.invitation.revoked_at is not None
        [row] = _audit("invitation.revoked")
        assert row.actor == team["admin"].user
        with pytest.raises(teams.InvitationRevoked):
            teams.invitation_get_by_token(token=issued.token)

    def test_another_partners_invitation_is_not_found(self, team):
        other = MembershipFactory(role="owner")
        issued = teams.invitation_create(
            partner=other.partner, email="x@example.test", role="viewer", invited_by=other.user
        )

        with pytest.raises(NotFound):
            teams.invitation_revoke(
                partner=team["owner"].partner, public_id=issued.invitation.public_id, actor=team["owner"].user
            )

        issued.invitation.refresh_from_db()
        assert issued.invitation.revoked_at is None

    def test_a_developer_cannot_revoke(self, team):
        issued = _invite(team)

        with pytest.raises(teams.NotPermitted):
            teams.invitation_revoke(
                partner=team["owner"].partner, public_id=issued.invitation.public_id, actor=team["developer"].user
            )

        issued.invitation.refresh_from_db()
        assert issued.invitation.revoked_at is None


class TestInvitationAccept:
    def test_the_invited_user_becomes_a_member_with_the_role_and_it_is_audited(self, team):
        user = UserFactory(email="joiner@example.test", username="joiner@example.test")
        issued = _invite(team, email="joiner@example.test", role="viewer")

        membership = teams.invitation_accept(token=issued.token, user=user)

        assert membership.partner == team["owner"].partner
        assert membership.role == "viewer"
        issued.invitation.refresh_from_db()
        assert issued.invitation.accepted_at is not None
        [row] = _audit("member.joined")
        assert row.actor == user
        assert row.target_id == membership.public_id
        assert row.metadata["invitation"] == issued.invitation.public_id

    def test_the_address_matches_case_insensitively(self, team):
        user = UserFactory(email="Mixed.Case@Example.test", username="mixed.case@example.test")
        issued = _invite(team, email="mixed.case@example.test")

        teams.invitation_accept(token=issued.token, user=user)

        assert Membership.objects.filter(user=user).exists()

    def test_a_user_with_another_address_is_refused(self, team):
        stranger = UserFactory()
        issued = _invite(team, email="invited@example.test")

        with pytest.raises(teams.WrongAccount):
            teams.invitation_accept(token=issued.token, user=stranger)

        assert not Membership.objects.filter(user=stranger).exists()
        issued.invitation.refresh_from_db()
        assert issued.invitation.accepted_at is None

    def test_an_accepted_token_cannot_be_used_again(self, team):
        user = UserFactory(email="once@example.test", username="once@example.test")
        issued = _invite(team, email="once@example.test")
        teams.invitation_accept(token=issued.token, user=user)

        with pytest.raises(teams.InvitationUsed) as raised:
            teams.invitation_accept(token=issued.token, user=user)

        assert raised.value.status == 410

    def test_an_expired_token_is_refused(self, team):
        user = UserFactory(email="slow@example.test", username="slow@example.test")
        issued = _invite(team, email="slow@example.test")

        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)), pytest.raises(teams.InvitationExpired):
            teams.invitation_accept(token=issued.token, user=user)

        assert not Membership.objects.filter(user=user).exists()

    @pytest.mark.parametrize("token", ["not-a-token", "x" * 500])
    def test_an_unknown_token_is_not_found(self, team, token):
        with pytest.raises(teams.InvitationUnusable) as raised:
            teams.invitation_get_by_token(token=token)

        assert raised.value.status == 404


class TestInvitationAcceptWithSignup:
    def test_it_creates_a_verified_user_for_the_invited_address_and_a_membership(self, team):
        issued = _invite(team, email="brand.new@example.test", role="admin")

        membership = teams.invitation_accept_with_signup(token=issued.token, password="a-long-pass-9876")

        user = membership.user
        assert user.username == user.email == "brand.new@example.test"
        assert user.check_password("a-long-pass-9876")
        assert EmailAddress.objects.filter(
            user=user, email="brand.new@example.test", verified=True, primary=True
        ).exists()
        assert membership.role == "admin"
        assert len(_audit("member.joined")) == 1

    def test_an_existing_account_must_log_in_instead(self, team):
        UserFactory(email="exists@example.test", username="exists@example.test")
        issued = _invite(team, email="exists@example.test")

        with pytest.raises(teams.AccountExists):
            teams.invitation_accept_with_signup(token=issued.token, password="a-long-pass-9876")

        assert get_user_model().objects.filter(email="exists@example.test").count() == 1
        assert Membership.objects.filter(partner=team["owner"].partner).count() == 4


class TestMemberRoleChange:
    def _change(self, team, target, role, by="owner"):
        return teams.member_role_change(
            partner=team[by].partner, public_id=team[target].public_id, role=role, actor=team[by].user
        )

    def test_an_owner_changes_a_role_and_it_is_audited(self, team):
        self._change(team, "developer", "admin")

        team["developer"].refresh_from_db()
        assert team["developer"].role == "admin"
        [row] = _audit("member.role_changed")
        assert row.metadata == {"email": team["developer"].user.email, "from": "developer", "to": "admin"}

    def test_an_admin_changes_a_developer_to_viewer(self, team):
        self._change(team, "developer", "viewer", by="admin")

        team["developer"].refresh_from_db()
        assert team["developer"].role == "viewer"

    def test_an_admin_cannot_change_an_owner(self, team):
        with pytest.raises(teams.NotPermitted):
            self._change(team, "owner", "developer", by="admin")

        team["owner"].refresh_from_db()
        assert team["owner"].role == "owner"

    def test_an_admin_cannot_make_someone_owner(self, team):
        with pytest.raises(teams.NotPermitted):
            self._change(team, "developer", "owner", by="admin")

        team["developer"].refresh_from_db()
        assert team["developer"].role == "developer"

    @pytest.mark.parametrize("by", ["developer", "viewer"])
    def test_developers_and_viewers_cannot_change_roles(self, team, by):
        with pytest.raises(teams.NotPermitted):
            self._change(team, "viewer", "admin", by=by)

        assert not _audit("member.role_changed")

    def test_the_last_owner_cannot_be_demoted(self, team):
        with pytest.raises(teams.LastOwner) as raised:
            self._change(team, "owner", "admin")

        assert raised.value.code == "last_owner"
        team["owner"].refresh_from_db()
        assert team["owner"].role == "owner"

    def test_an_owner_can_step_down_once_there_is_another_owner(self, team):
        self._change(team, "admin", "owner")

        self._change(team, "owner", "developer")

        assert list(Membership.objects.filter(role="owner")) == [team["admin"]]

    def test_an_unknown_role_is_refused(self, team):
        with pytest.raises(teams.InvalidRole):
            self._change(team, "developer", "superuser")

    def test_another_partners_member_is_not_found(self, team):
        stranger = MembershipFactory(role="developer")

        with pytest.raises(NotFound):
            teams.member_role_change(
                partner=team["owner"].partner, public_id=stranger.public_id, role="viewer", actor=team["owner"].user
            )

        stranger.refresh_from_db()
        assert stranger.role == "developer"


class TestMemberRemove:
    def _remove(self, team, target, by="owner"):
        teams.member_remove(partner=team[by].partner, public_id=team[target].public_id, actor=team[by].user)

    def test_an_admin_removes_a_developer_and_it_is_audited(self, team):
        self._remove(team, "developer", by="admin")

        assert not Membership.objects.filter(pk=team["developer"].pk).exists()
        [row] = _audit("member.removed")
        assert row.target_id == team["developer"].public_id
        assert row.metadata == {"email": team["developer"].user.email, "role": "developer"}

    def test_an_admin_cannot_remove_the_owner(self, team):
        with pytest.raises(teams.NotPermitted):
            self._remove(team, "owner", by="admin")

        assert Membership.objects.filter(pk=team["owner"].pk, role="owner").exists()

    def test_an_owner_can_remove_another_owner(self, team):
        teams.member_role_change(
            partner=team["owner"].partner, public_id=team["admin"].public_id, role="owner", actor=team["owner"].user
        )

        self._remove(team, "owner", by="admin")

        assert list(Membership.objects.filter(role="owner")) == [team["admin"]]

    def test_members_cannot_remove_themselves(self, team):
        with pytest.raises(teams.UseLeave):
            self._remove(team, "admin", by="admin")

        assert Membership.objects.filter(pk=team["admin"].pk).exists()

    @pytest.mark.parametrize("by", ["developer", "viewer"])
    def test_developers_and_viewers_cannot_remove(self, team, by):
        with pytest.raises(teams.NotPermitted):
            self._remove(team, "viewer" if by == "developer" else "developer", by=by)

        assert Membership.objects.count() == 4

    def test_another_partners_member_is_not_found(self, team):
        stranger = MembershipFactory(role="developer")

        with pytest.raises(NotFound):
            teams.member_remove(partner=team["owner"].partner, public_id=stranger.public_id, actor=team["owner"].user)

        assert Membership.objects.filter(pk=stranger.pk).exists()


class TestMemberLeave:
    def test_a_member_leaves_and_it_is_audited(self, team):
        teams.member_leave(partner=team["viewer"].partner, user=team["viewer"].user)

        assert not Membership.objects.filter(pk=team["viewer"].pk).exists()
        [row] = _audit("member.left")
        assert row.actor == team["viewer"].user

    def test_the_last_owner_cannot_leave(self, team):
        with pytest.raises(teams.LastOwner):
            teams.member_leave(partner=team["owner"].partner, user=team["owner"].user)

        assert Membership.objects.filter(pk=team["owner"].pk, role="owner").exists()
        assert not _audit("member.left")

    def test_an_owner_can_leave_when_another_owner_remains(self, team):
        MembershipFactory(partner=team["owner"].partner, role="owner")

        teams.member_leave(partner=team["owner"].partner, user=team["owner"].user)

        assert not Membership.objects.filter(pk=team["owner"].pk).exists()


class TestOwnershipTransfer:
    def test_the_member_becomes_owner_and_the_previous_owner_admin(self, team):
        teams.ownership_transfer(
            partner=team["owner"].partner, public_id=team["developer"].public_id, actor=team["owner"].user
        )

        roles = {m.pk: m.role for m in Membership.objects.all()}
        assert roles[team["developer"].pk] == "owner"
        assert roles[team["owner"].pk] == "admin"
        [row] = _audit("ownership.transferred")
        assert row.target_id == team["developer"].public_id
        assert row.metadata["from"] == team["owner"].user.email
        assert row.metadata["to"] == team["developer"].user.email

    def test_an_admin_cannot_transfer_ownership(self, team):
        with pytest.raises(teams.NotPermitted):
            teams.ownership_transfer(
                partner=team["owner"].partner, public_id=team["admin"].public_id, actor=team["admin"].user
            )

        assert Membership.objects.get(role="owner") == team["owner"]

    def test_the_owner_cannot_transfer_to_themselves(self, team):
        with pytest.raises(teams.TransferToSelf):
            teams.ownership_transfer(
                partner=team["owner"].partner, public_id=team["owner"].public_id, actor=team["owner"].user
            )

        assert Membership.objects.get(role="owner") == team["owner"]

    def test_another_partners_member_is_not_found(self, team):
        stranger = MembershipFactory(role="developer")

        with pytest.raises(NotFound):
            teams.ownership_transfer(
                partner=team["owner"].partner, public_id=stranger.public_id, actor=team["owner"].user
            )

        stranger.refresh_from_db()
        assert stranger.role == "developer"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestLastOwnerUnderConcurrency:
    def test_two_owners_leaving_at_once_leave_one_owner(self, monkeypatch):
        partner = PartnerFactory()
        owners = [MembershipFactory(partner=partner, role="owner") for _ in range(2)]
        original = teams._locked_memberships

        def slow_lock(partner):
            rows = original(partner)
            # Hold the lock long enough that, without it, both requests would read "two owners".
            time.sleep(0.3)
            return rows

        monkeypatch.setattr(teams, "_locked_memberships", slow_lock)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def leave(membership):
            try:
                barrier.wait()
                teams.member_leave(partner=partner, user=membership.user)
                outcomes.append("left")
            except teams.LastOwner:
                outcomes.append("last_owner")
            finally:
                connection.close()

        threads = [threading.Thread(target=leave, args=(m,)) for m in owners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(outcomes) == ["last_owner", "left"]
        assert Membership.objects.filter(partner=partner, role="owner").count() == 1
