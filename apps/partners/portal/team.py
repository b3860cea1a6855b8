"""Portal team pages: members and invitations, role changes, removal, leaving, ownership transfer, and the
page an invitation link opens (which works before the invitee belongs to any team)."""

from typing import Any
from urllib.parse import urlencode

from allauth.account.utils import perform_login
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from apps.core import clock
from apps.partners.models import Invitation, Membership
from apps.partners.portal.mixins import SESSION_ENVIRONMENT, SESSION_PARTNER, PortalMixin
from apps.partners.roles import can
from apps.partners.selectors import teams as team_selectors
from apps.partners.services import teams
from apps.partners.services.team_errors import AccountExists, AlreadyMember, TeamError, WrongAccount

ROLE_LABELS: dict[str, str] = {
    Membership.Role.OWNER: "Owner",
    Membership.Role.ADMIN: "Admin",
    Membership.Role.DEVELOPER: "Developer",
    Membership.Role.VIEWER: "Viewer",
}

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in Membership.Role.values]

# --- Forms --------------------------------------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254, label="E-mail address")
    role = forms.ChoiceField(
        choices=[(r, ROLE_LABELS[r]) for r in teams.INVITABLE_ROLES],
        initial=Membership.Role.DEVELOPER,
        help_text="Owners are made by transferring ownership.",
    )

    def clean_email(self) -> str:
        return team_selectors.normalise_email(self.cleaned_data["email"])


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")


class InvitationSignupForm(forms.Form):
    """The account an invitee creates on the invitation page; the address is the invited one."""

    password1 = forms.CharField(label="Password", strip=False, max_length=4096, widget=forms.PasswordInput)
    password2 = forms.CharField(label="Password (again)", strip=False, max_length=4096, widget=forms.PasswordInput)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match.")
        elif first:
            # An unsaved user, so the similarity validator compares against the address.
            candidate = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(first, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


# --- The team page ------------------------------------------------------------------------------------------


def _rows(portal: Any, bound_role_form: tuple[str, RoleForm] | None) -> list[dict[str, Any]]:
    acting = portal.membership
    manages = can(acting, "manage_members")
    transfers = can(acting, "transfer_ownership")
    rows = []
    for membership in team_selectors.member_list(partner=portal.partner):
        is_self = membership.pk == acting.pk
        # What the page offers mirrors the service rules; the services decide anyway.
        editable = manages and (acting.role == Membership.Role.OWNER or membership.role != Membership.Role.OWNER)
        form = None
        if editable:
            if bound_role_form is not None and bound_role_form[0] == membership.public_id:
                form = bound_role_form[1]
            else:
                form = RoleForm(initial={"role": membership.role}, auto_id=f"id_{membership.public_id}_%s")
            form.fields["role"].widget.attrs["aria-label"] = f"Role of {membership.user.email}"
            if acting.role != Membership.Role.OWNER:
                role_field = form.fields["role"]
                assert isinstance(role_field, forms.ChoiceField)
                role_field.choices = [c for c in ROLE_CHOICES if c[0] != Membership.Role.OWNER]
        rows.append(
            {
                "membership": membership,
                "role_label": ROLE_LABELS.get(membership.role, membership.role),
                "is_self": is_self,
                "role_form": form,
                "can_remove": editable and not is_self,
                "can_transfer": transfers and not is_self and membership.role != Membership.Role.OWNER,
            }
        )
    return rows


def render_team(
    request: HttpRequest,
    portal: Any,
    *,
    invite_form: InviteForm | None = None,
    bound_role_form: tuple[str, RoleForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    invitations = [
        {"invitation": i, "role_label": ROLE_LABELS.get(i.role, i.role), "expired": i.expires_at <= now}
        for i in team_selectors.invitation_open_list(partner=portal.partner)
    ]
    context = {
        "rows": _rows(portal, bound_role_form),
        "invitations": invitations,
        "invite_form": invite_form or InviteForm(),
        "can_manage": can(portal.membership, "manage_members"),
        "is_last_owner": portal.membership.role == Membership.Role.OWNER
        and not Membership.objects.filter(partner=portal.partner, role=Membership.Role.OWNER)
        .exclude(pk=portal.membership.pk)
        .exists(),
    }
    return render(request, "portal/team/team.html", context, status=status)


def _refused(request: HttpRequest, portal: Any, error: TeamError) -> HttpResponse:
    messages.error(request, error.detail)
    return render_team(request, portal, status=error.status)


class TeamView(PortalMixin, View):
    """Members and open invitations; owners and admins also get the invite form and member actions."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render_team(request, self.portal)


class InviteView(PortalMixin, View):
    required_permission = "manage_members"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InviteForm(request.POST)
        if not form.is_valid():
            return render_team(request, self.portal, invite_form=form, status=400)
        try:
            issued = teams.invitation_create(
                partner=self.portal.partner,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                request=request,
            )
        except TeamError as exc:
            form.add_error(exc.field, exc.detail)
            return render_team(request, self.portal, invite_form=form, status=exc.status)
        messages.success(request, f"Invitation sent to {issued.invitation.email}.")
        return redirect("portal:team")


class InvitationRevokeView(PortalMixin, View):
    required_permission = "manage_members"

    def post(self, request: HttpRequest, invitation_id: str) -> HttpResponse:
        try:
            invitation = teams.invitation_revoke(
                partner=self.portal.partner, public_id=invitation_id, actor=request.user, request=request
            )
        except TeamError as exc:
            return _refused(request, self.portal, exc)
        messages.success(request, f"The invitation to {invitation.email} was revoked.")
        return redirect("portal:team")


class MemberRoleView(PortalMixin, View):
    required_permission = "manage_members"

    def post(self, request: HttpRequest, member_id: str) -> HttpResponse:
        target = team_selectors.member_get(partner=self.portal.partner, public_id=member_id)
        form = RoleForm(request.POST, auto_id=f"id_{target.public_id}_%s")
        if not form.is_valid():
            return render_team(request, self.portal, bound_role_form=(target.public_id, form), status=400)
        try:
            teams.member_role_change(
                partner=self.portal.partner,
                public_id=target.public_id,
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
            )
        except TeamError as exc:
            return _refused(request, self.portal, exc)
        messages.success(request, f"{target.user.email} is now {ROLE_LABELS[form.cleaned_data['role']].lower()}.")
        return redirect("portal:team")


class MemberRemoveView(PortalMixin, View):
    required_permission = "manage_members"

    def post(self, request: HttpRequest, member_id: str) -> HttpResponse:
        try:
            target = team_selectors.member_get(partner=self.portal.partner, public_id=member_id)
            teams.member_remove(
                partner=self.portal.partner, public_id=target.public_id, actor=request.user, request=request
            )
        except TeamError as exc:
            return _refused(request, self.portal, exc)
        messages.success(request, f"{target.user.email} was removed from the team.")
        return redirect("portal:team")


class LeaveView(PortalMixin, View):
    """Any member may leave; the page they land on is their other team, or onboarding."""

    def post(self, request: HttpRequest) -> HttpResponse:
        partner = self.portal.partner
        try:
            teams.member_leave(partner=partner, user=request.user, request=request)
        except TeamError as exc:
            return _refused(request, self.portal, exc)
        if request.session.get(SESSION_PARTNER) == partner.public_id:
            del request.session[SESSION_PARTNER]
            request.session[SESSION_ENVIRONMENT] = "sandbox"
        messages.success(request, f"You left {partner.name}.")
        return redirect("portal:home")


class TransferOwnershipView(PortalMixin, View):
    """A confirmation page, then the transfer: the member becomes owner and you become admin."""

    required_permission = "transfer_ownership"

    def _target(self, member_id: str) -> Membership:
        return team_selectors.member_get(partner=self.portal.partner, public_id=member_id)

    def get(self, request: HttpRequest, member_id: str) -> HttpResponse:
        target = self._target(member_id)
        return render(request, "portal/team/transfer.html", {"target": target})

    def post(self, request: HttpRequest, member_id: str) -> HttpResponse:
        target = self._target(member_id)
        try:
            teams.ownership_transfer(
                partner=self.portal.partner, public_id=target.public_id, actor=request.user, request=request
            )
        except TeamError as exc:
            messages.error(request, exc.detail)
            return render(request, "portal/team/transfer.html", {"target": target}, status=exc.status)
        messages.success(request, f"{target.user.email} is now the owner; you are an admin.")
        return redirect("portal:team")


# --- Accepting an invitation --------------------------------------------------------------------------------


def _invalid(request: HttpRequest, error: Any) -> HttpResponse:
    return render(request, "portal/team/invitation_invalid.html", {"error": error}, status=error.status)


class InvitationAcceptView(View):
    """The page an invitation link opens. No PortalMixin: the invitee may not belong to any team yet.

    Logged in as the invited address: a confirm button. Logged in as someone else: refused. Logged out: a
    log-in link back here when the address has an account, otherwise a form to create one (which accepts).
    """

    template_name = "portal/team/invitation_accept.html"

    def _context(self, request: HttpRequest, invitation: Invitation, **extra: Any) -> dict[str, Any]:
        user = request.user
        if user.is_authenticated:
            if not team_selectors.invitation_is_for(invitation=invitation, user=user):
                state = "wrong_account"
            elif Membership.objects.filter(partner=invitation.partner, user=user).exists():
                state = "already_member"
            else:
                state = "confirm"
        elif team_selectors.account_exists_for(email=invitation.email):
            state = "log_in"
        else:
            state = "sign_up"
        return {
            "invitation": invitation,
            "role_label": ROLE_LABELS.get(invitation.role, invitation.role),
            "state": state,
            "login_url": reverse("account_login") + "?" + urlencode({"next": request.path}),
            **extra,
        }

    def _load(self, token: str) -> Invitation:
        return team_selectors.invitation_get_by_token(token=token)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = self._load(token)
        except team_selectors.InvitationUnusable as exc:
            return _invalid(request, exc)
        context = self._context(request, invitation)
        if context["state"] == "sign_up":
            context["form"] = InvitationSignupForm(email=invitation.email)
        status = 403 if context["state"] == "wrong_account" else 200
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = self._load(token)
        except team_selectors.InvitationUnusable as exc:
            return _invalid(request, exc)
        context = self._context(request, invitation)
        state = context["state"]
        if state == "wrong_account":
            return render(request, self.template_name, context, status=403)
        if state == "already_member":
            return render(request, self.template_name, context, status=409)
        if state == "log_in":
            return redirect(context["login_url"])
        try:
            if state == "confirm":
                membership = teams.invitation_accept(token=token, user=request.user, request=request)
                response = redirect("portal:team")
            else:
                form = InvitationSignupForm(request.POST, email=invitation.email)
                if not form.is_valid():
                    return render(request, self.template_name, {**context, "form": form}, status=400)
                membership = teams.invitation_accept_with_signup(
                    token=token, password=form.cleaned_data["password1"], request=request
                )
                # They proved the address by following the e-mailed link, so no verification step.
                response = perform_login(
                    request, membership.user, email_verification="none", redirect_url=reverse("portal:team")
                )
        except team_selectors.InvitationUnusable as exc:
            return _invalid(request, exc)
        except WrongAccount:
            return render(request, self.template_name, {**context, "state": "wrong_account"}, status=403)
        except AlreadyMember:
            return render(request, self.template_name, {**context, "state": "already_member"}, status=409)
        except AccountExists:
            return render(request, self.template_name, {**context, "state": "log_in"}, status=409)
        request.session[SESSION_PARTNER] = membership.partner.public_id
        request.session[SESSION_ENVIRONMENT] = "sandbox"
        messages.success(request, f"Welcome to {membership.partner.name}.")
        return response
