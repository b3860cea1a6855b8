"""Live access: a partner's owner asks for the live environment with the company's details, and bank staff
approve or reject the request in the Django admin.

Approval is the only code path that opens the live environment (``services.live_environment_open``). Live keys
and live OAuth apps need the live ``Environment`` row, so none can exist before approval. A partner has at most
one pending request (``partners_live_access_one_pending``); after a rejection its owner may ask again.
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from apps.core import clock
from apps.core.errors import InvalidStateTransition, error_type
from apps.partners.models import Environment, LiveAccessRequest, Membership, Partner
from apps.partners.selectors.accounts import has_verified_email
from apps.partners.services import audit
from apps.partners.services.partners import live_environment_open

# ISO 3166-1 alpha-2: the officially assigned codes (249) with their short English names.
COUNTRIES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan", "AG": "Antigua and Barbuda",
    "AI": "Anguilla", "AL": "Albania", "AM": "Armenia", "AO": "Angola", "AQ": "Antarctica", "AR": "Argentina",
    "AS": "American Samoa", "AT": "Austria", "AU": "Australia", "AW": "Aruba", "AX": "Åland Islands",
    "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BB": "Barbados", "BD": "Bangladesh", "BE": "Belgium",
    "BF": "Burkina Faso", "BG": "Bulgaria", "BH": "Bahrain", "BI": "Burundi", "BJ": "Benin",
    "BL": "Saint Barthélemy", "BM": "Bermuda", "BN": "Brunei Darussalam", "BO": "Bolivia",
    "BQ": "Bonaire, Sint Eustatius and Saba", "BR": "Brazil", "BS": "Bahamas", "BT": "Bhutan",
    "BV": "Bouvet Island", "BW": "Botswana", "BY": "Belarus", "BZ": "Belize", "CA": "Canada",
    "CC": "Cocos (Keeling) Islands", "CD": "Congo (Democratic Republic of the)", "CF": "Central African Republic",
    "CG": "Congo", "CH": "Switzerland", "CI": "Côte d'Ivoire", "CK": "Cook Islands", "CL": "Chile",
    "CM": "Cameroon", "CN": "China", "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba", "CV": "Cabo Verde",
    "CW": "Curaçao", "CX": "Christmas Island", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany",
    "DJ": "Djibouti", "DK": "Denmark", "DM": "Dominica", "DO": "Dominican Republic", "DZ": "Algeria",
    "EC": "Ecuador", "EE": "Estonia", "EG": "Egypt", "EH": "Western Sahara", "ER": "Eritrea", "ES": "Spain",
    "ET": "Ethiopia", "FI": "Finland", "FJ": "Fiji", "FK": "Falkland Islands (Malvinas)", "FM": "Micronesia",
    "FO": "Faroe Islands", "FR": "France", "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada",
    "GE": "Georgia", "GF": "French Guiana", "GG": "Guernsey", "GH": "Ghana", "GI": "Gibraltar",
    "GL": "Greenland", "GM": "Gambia", "GN": "Guinea", "GP": "Guadeloupe", "GQ": "Equatorial Guinea",
    "GR": "Greece", "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala", "GU": "Guam",
    "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong", "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras", "HR": "Croatia", "HT": "Haiti", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland",
    "IL": "Israel", "IM": "Isle of Man", "IN": "India", "IO": "British Indian Ocean Territory", "IQ": "Iraq",
    "IR": "Iran", "IS": "Iceland", "IT": "Italy", "JE": "Jersey", "JM": "Jamaica", "JO": "Jordan", "JP": "Japan",
    "KE": "Kenya", "KG": "Kyrgyzstan", "KH": "Cambodia", "KI": "Kiribati", "KM": "Comoros",
    "KN": "Saint Kitts and Nevis", "KP": "Korea (Democratic People's Republic of)", "KR": "Korea (Republic of)",
    "KW": "Kuwait", "KY": "Cayman Islands", "KZ": "Kazakhstan", "LA": "Lao People's Democratic Republic",
    "LB": "Lebanon", "LC": "Saint Lucia", "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia",
    "LS": "Lesotho", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya", "MA": "Morocco",
    "MC": "Monaco", "MD": "Moldova", "ME": "Montenegro", "MF": "Saint Martin (French part)", "MG": "Madagascar",
    "MH": "Marshall Islands", "MK": "North Macedonia", "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia",
    "MO": "Macao", "MP": "Northern Mariana Islands", "MQ": "Martinique", "MR": "Mauritania", "MS": "Montserrat",
    "MT": "Malta", "MU": "Mauritius", "MV": "Maldives", "MW": "Malawi", "MX": "Mexico", "MY": "Malaysia",
    "MZ": "Mozambique", "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger", "NF": "Norfolk Island",
    "NG": "Nigeria", "NI": "Nicaragua", "NL": "Netherlands", "NO": "Norway", "NP": "Nepal", "NR": "Nauru",
    "NU": "Niue", "NZ": "New Zealand", "OM": "Oman", "PA": "Panama", "PE": "Peru", "PF": "French Polynesia",
    "PG": "Papua New Guinea", "PH": "Philippines", "PK": "Pakistan", "PL": "Poland",
    "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn", "PR": "Puerto Rico", "PS": "Palestine, State of",
    "PT": "Portugal", "PW": "Palau", "PY": "Paraguay", "QA": "Qatar", "RE": "Réunion", "RO": "Romania",
    "RS": "Serbia", "RU": "Russian Federation", "RW": "Rwanda", "SA": "Saudi Arabia", "SB": "Solomon Islands",
    "SC": "Seychelles", "SD": "Sudan", "SE": "Sweden", "SG": "Singapore",
    "SH": "Saint Helena, Ascension and Tristan da Cunha", "SI": "Slovenia", "SJ": "Svalbard and Jan Mayen",
    "SK": "Slovakia", "SL": "Sierra Leone", "SM": "San Marino", "SN": "Senegal", "SO": "Somalia",
    "SR": "Suriname", "SS": "South Sudan", "ST": "Sao Tome and Principe", "SV": "El Salvador",
    "SX": "Sint Maarten (Dutch part)", "SY": "Syrian Arab Republic", "SZ": "Eswatini",
    "TC": "Turks and Caicos Islands", "TD": "Chad", "TF": "French Southern Territories", "TG": "Togo",
    "TH": "Thailand", "TJ": "Tajikistan", "TK": "Tokelau", "TL": "Timor-Leste", "TM": "Turkmenistan",
    "TN": "Tunisia", "TO": "Tonga", "TR": "Türkiye", "TT": "Trinidad and Tobago", "TV": "Tuvalu", "TW": "Taiwan",
    "TZ": "Tanzania", "UA": "Ukraine", "UG": "Uganda", "UM": "United States Minor Outlying Islands",
    "US": "United States of America", "UY": "Uruguay", "UZ": "Uzbekistan", "VA": "Holy See",
    "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela", "VG": "Virgin Islands (British)",
    "VI": "Virgin Islands (U.S.)", "VN": "Viet Nam", "VU": "Vanuatu", "WF": "Wallis and Futuna", "WS": "Samoa",
    "YE": "Yemen", "YT": "Mayotte", "ZA": "South Africa", "ZM": "Zambia", "ZW": "Zimbabwe",
}  # fmt: skip

_https_only = URLValidator(schemes=["https"])


# --- Errors ----------------------------------------------------------------------------------------------------


LiveAccessAlreadyRequested = error_type(
    "LiveAccessAlreadyRequested",
    "live_access_pending",
    409,
    "Live access already requested",
    "Your team already has a pending live access request; the bank will answer it by e-mail.",
)
LiveAccessAlreadyOpen = error_type(
    "LiveAccessAlreadyOpen",
    "live_access_approved",
    409,
    "Live access already approved",
    "Your team's live environment is already open.",
)
EmailNotVerified = error_type(
    "EmailNotVerified",
    "email_unverified",
    422,
    "E-mail address not verified",
    "Verify your e-mail address before requesting live access.",
)
NotOwner = error_type(
    "NotOwner", "permission_denied", 403, "Permission denied", "Only the team's owner can request live access."
)
InvalidCompanyDetails = error_type("InvalidCompanyDetails", "parameter_invalid", 400, "Invalid company details")
DecisionNoteTooLong = error_type(
    "DecisionNoteTooLong",
    "parameter_invalid",
    400,
    "Decision note too long",
    "The decision note is at most 2000 characters.",
)
DecisionNoteRequired = error_type(
    "DecisionNoteRequired",
    "parameter_missing",
    400,
    "Decision note required",
    "Say why the request is rejected: the partner's owners receive the note.",
)


# --- Selectors -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveAccessState:
    """What the live access page shows. ``status`` is ``not_requested``, ``pending``, ``approved`` or
    ``rejected``; ``latest`` is the partner's most recent request (its decision note, if rejected)."""

    status: str
    latest: LiveAccessRequest | None

    @property
    def can_request(self) -> bool:
        return self.status in ("not_requested", "rejected")


def live_access_state(*, partner: Partner) -> LiveAccessState:
    """The partner's live access state. An open live environment means approved, whatever the requests say."""
    latest = LiveAccessRequest.objects.filter(partner=partner).select_related("requested_by").order_by("-pk").first()
    if Environment.objects.filter(partner=partner, kind=Environment.Kind.LIVE).exists():
        return LiveAccessState(status="approved", latest=latest)
    if latest is None or latest.status == LiveAccessRequest.Status.APPROVED:
        # Approved but no live environment cannot happen through the services; let the owner ask again.
        return LiveAccessState(status="not_requested", latest=latest)
    return LiveAccessState(status=latest.status, latest=latest)


# --- Services --------------------------------------------------------------------------------------------------


def _validate_company_details(
    *, legal_name: str, registration_number: str, country: str, website: str, use_case: str
) -> None:
    errors = []
    for field, value, limit in (("legal_name", legal_name, 200), ("registration_number", registration_number, 64)):
        if not value.strip() or len(value) > limit:
            errors.append({"field": field, "code": "parameter_invalid", "message": f"1 to {limit} characters."})
    if country not in COUNTRIES:
        errors.append({"field": "country", "code": "parameter_invalid", "message": "Not an ISO 3166-1 alpha-2 code."})
    try:
        _https_only(website)
    except ValidationError:
        errors.append({"field": "website", "code": "parameter_invalid", "message": "Must be an https:// URL."})
    if len(use_case) > 2000:
        errors.append({"field": "use_case", "code": "parameter_invalid", "message": "At most 2000 characters."})
    if errors:
        raise InvalidCompanyDetails("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)


@transaction.atomic
def live_access_request_create(
    *,
    partner: Partner,
    requested_by: Any,
    legal_name: str,
    registration_number: str,
    country: str,
    website: str,
    use_case: str,
    request: Any = None,
) -> LiveAccessRequest:
    """Ask bank staff to open ``partner``'s live environment, and audit ``live_access.requested``.

    ``requested_by`` must be the partner's owner with a verified e-mail address. ``request`` (the HTTP request)
    only feeds the audit row's IP address and user agent. Raises ``NotOwner``, ``EmailNotVerified``,
    ``InvalidCompanyDetails``, ``LiveAccessAlreadyOpen`` (live is open) and ``LiveAccessAlreadyRequested``
    (a request is pending: at most one at a time, enforced by a partial unique constraint).
    """
    _validate_company_details(
        legal_name=legal_name,
        registration_number=registration_number,
        country=country,
        website=website,
        use_case=use_case,
    )
    if not Membership.objects.filter(partner=partner, user=requested_by, role=Membership.Role.OWNER).exists():
        raise NotOwner()
    if not has_verified_email(user=requested_by):
        raise EmailNotVerified()
    # Serialises requests and decisions of one partner, so a request cannot slip in beside an approval.
    Partner.objects.select_for_update(no_key=True).get(pk=partner.pk)
    if Environment.objects.filter(partner=partner, kind=Environment.Kind.LIVE).exists():
        raise LiveAccessAlreadyOpen()
    try:
        # A savepoint, so the unique violation of a concurrent duplicate leaves the outer transaction usable.
        with transaction.atomic():
            live_request = LiveAccessRequest.objects.create(
                partner=partner,
                requested_by=requested_by,
                legal_name=legal_name,
                registration_number=registration_number,
                country=country,
                website=website,
                use_case=use_case,
            )
    except IntegrityError:
        if LiveAccessRequest.objects.filter(partner=partner, status=LiveAccessRequest.Status.PENDING).exists():
            raise LiveAccessAlreadyRequested() from None
        raise
    audit.record(
        action="live_access.requested",
        partner=partner,
        actor=requested_by,
        request=request,
        target=live_request,
        metadata={"legal_name": legal_name, "country": country},
    )
    return live_request


def _clean_note(note: str) -> str:
    note = note.strip()
    if len(note) > 2000:
        raise DecisionNoteTooLong(
            errors=[{"field": "note", "code": "parameter_invalid", "message": "At most 2000 characters."}]
        )
    return note


def _lock_pending(request_obj: LiveAccessRequest) -> LiveAccessRequest:
    # Partner first, then the request: the same order as live_access_request_create, so they cannot deadlock.
    Partner.objects.select_for_update(no_key=True).get(pk=request_obj.partner_id)
    locked = LiveAccessRequest.objects.select_for_update(of=("self",)).select_related("partner").get(pk=request_obj.pk)
    if locked.status != LiveAccessRequest.Status.PENDING:
        raise InvalidStateTransition(f"This request is already {locked.status}; only a pending one can be decided.")
    return locked


def _decide(locked: LiveAccessRequest, *, status: str, staff_user: Any, note: str) -> None:
    locked.status = status
    locked.decided_by = staff_user
    locked.decided_at = clock.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])


def _email_owners_on_commit(*, live_request: LiveAccessRequest, template: str) -> None:
    recipients = sorted(
        {
            email
            for email in Membership.objects.filter(
                partner_id=live_request.partner_id, role=Membership.Role.OWNER
            ).values_list("user__email", flat=True)
            if email
        }
    )
    if not recipients:
        return
    context = {
        "partner": live_request.partner,
        "live_request": live_request,
        "portal_url": settings.BASE_URL.rstrip("/") + reverse("portal:live-access"),
    }
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    subject = prefix + " ".join(render_to_string(f"partners/email/{template}_subject.txt", context).split())
    body = render_to_string(f"partners/email/{template}_message.txt", context)
    # robust: the decision is committed by then; a mail server outage is logged, not turned into an error page.
    transaction.on_commit(
        partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False), robust=True
    )


@transaction.atomic
def live_access_approve(*, request_obj: LiveAccessRequest, staff_user: Any, note: str = "") -> LiveAccessRequest:
    """Approve a pending request: mark it approved, open the partner's live environment, audit
    ``live_access.approved`` (actor: the staff user) and, after commit, e-mail the partner's owners.

    Raises ``InvalidStateTransition`` (409) unless the request is pending, so approving twice opens live once,
    and ``DecisionNoteTooLong`` (400) for a note over 2000 characters.
    """
    note = _clean_note(note)
    locked = _lock_pending(request_obj)
    _decide(locked, status=LiveAccessRequest.Status.APPROVED, staff_user=staff_user, note=note)
    live = live_environment_open(partner=locked.partner)
    audit.record(
        action="live_access.approved",
        partner=locked.partner,
        actor=staff_user,
        target=locked,
        environment=live,
        metadata={"note": note} if note else {},
    )
    _email_owners_on_commit(live_request=locked, template="live_access_approved")
    return locked


@transaction.atomic
def live_access_reject(*, request_obj: LiveAccessRequest, staff_user: Any, note: str) -> LiveAccessRequest:
    """Reject a pending request with a note the partner's owners see (on the live access page and by e-mail,
    sent after commit), and audit ``live_access.rejected``. The owner may then request again.

    Raises ``DecisionNoteRequired`` or ``DecisionNoteTooLong`` (400) for an empty or over-long note and
    ``InvalidStateTransition`` (409) unless the request is pending.
    """
    note = _clean_note(note)
    if not note:
        raise DecisionNoteRequired(
            errors=[{"field": "note", "code": "parameter_missing", "message": "Say why the request is rejected."}]
        )
    locked = _lock_pending(request_obj)
    _decide(locked, status=LiveAccessRequest.Status.REJECTED, staff_user=staff_user, note=note)
    audit.record(
        action="live_access.rejected",
        partner=locked.partner,
        actor=staff_user,
        target=locked,
        metadata={"note": note},
    )
    _email_owners_on_commit(live_request=locked, template="live_access_rejected")
    return locked
