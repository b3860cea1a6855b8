"""The rules a team change can break, raised by ``apps.partners.services.teams`` (the errors of an invitation
link are ``apps.partners.selectors.teams``'s). The portal shows a ``TeamError`` beside its ``field``."""

from apps.core.errors import ApplicationError, error_type


class TeamError(ApplicationError):
    """A team rule refused the change. ``field`` names the form field it belongs to, if any."""

    code = "team_rule"
    status = 409
    title = "Team change refused"
    field: str | None = None


def _team_error(name: str, code: str, detail: str, *, status: int = 409, field: str | None = None) -> type[TeamError]:
    return error_type(name, code, status, TeamError.title, detail, base=TeamError, field=field)


LastOwner = _team_error(
    "LastOwner",
    "last_owner",
    "A team must keep at least one owner: transfer ownership or make someone else owner first.",
)
NotPermitted = _team_error("NotPermitted", "role_not_permitted", "Your role cannot make this change.", status=403)
InvalidRole = _team_error("InvalidRole", "role_invalid", "Choose admin, developer or viewer.", status=400, field="role")
AlreadyMember = _team_error(
    "AlreadyMember", "already_member", "This person is already a member of the team.", field="email"
)
InvitationAlreadyOpen = _team_error(
    "InvitationAlreadyOpen",
    "invitation_open",
    "This address already has an open invitation; revoke it first to send a new one.",
    field="email",
)
InvitationClosed = _team_error(
    "InvitationClosed", "invitation_closed", "This invitation was already accepted or revoked."
)
UseLeave = _team_error("UseLeave", "cannot_remove_self", "To remove yourself, leave the team instead.")
TransferToSelf = _team_error("TransferToSelf", "transfer_to_self", "Choose another member to transfer ownership to.")
AlreadyOwner = _team_error("AlreadyOwner", "already_owner", "This member is already an owner.")


WrongAccount = error_type(
    "WrongAccount",
    "invitation_wrong_account",
    403,
    "Invitation for another address",
    "This invitation was sent to another e-mail address than the one you are logged in with.",
)
AccountExists = error_type(
    "AccountExists",
    "account_exists",
    409,
    "Account exists",
    "An account already exists for this address: log in to accept the invitation.",
)
