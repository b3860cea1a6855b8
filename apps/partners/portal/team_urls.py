"""Team pages under /portal/team/ (names ``team`` and ``team-*`` in the ``portal`` namespace)."""

from django.urls import path

from apps.partners.portal import team

urlpatterns = [
    path("", team.TeamView.as_view(), name="team"),
    path("invitations/", team.InviteView.as_view(), name="team-invite"),
    path("invitations/<str:invitation_id>/revoke/", team.InvitationRevokeView.as_view(), name="team-invitation-revoke"),
    path("invitations/<str:token>/", team.InvitationAcceptView.as_view(), name="team-invitation-accept"),
    path("members/<str:member_id>/role/", team.MemberRoleView.as_view(), name="team-member-role"),
    path("members/<str:member_id>/remove/", team.MemberRemoveView.as_view(), name="team-member-remove"),
    path("members/<str:member_id>/transfer/", team.TransferOwnershipView.as_view(), name="team-transfer"),
    path("leave/", team.LeaveView.as_view(), name="team-leave"),
]
