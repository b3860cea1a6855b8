"""Sanctions lists (each load a version), their entries, the screening hits they caused; holders' KYC checks;
the staff's cases with their alerts, notes, four-eyes proposals and suspicious activity reports."""

from django.conf import settings
from django.db import models

from apps.core.models import BaseModel, PublicIdField
from apps.partners.models import Environment
from apps.wallets.models import WalletHolder


class SanctionsList(BaseModel):
    """One loaded version of a sanctions list. At most one version per source is active: a load writes the new
    version and its entries, then swaps the active flag, all in one transaction (``sanctions_list_load``).
    Older versions stay (their entries are the evidence of earlier hits), inactive."""

    class Source(models.TextChoices):
        OFAC_SDN = "ofac_sdn", "OFAC SDN"
        EU_CONSOLIDATED = "eu_consolidated", "EU consolidated"
        SANDBOX = "sandbox", "Sandbox test list"

    source = models.CharField(max_length=20, choices=Source.choices)
    version = models.PositiveIntegerField()
    list_date = models.DateField(help_text="The publication date of the list (its generation date).")
    loaded_at = models.DateTimeField()
    entry_count = models.PositiveIntegerField()
    file_name = models.CharField(max_length=255, blank=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the file(s) loaded.")
    is_active = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "version"], name="risk_list_source_version"),
            models.UniqueConstraint(
                fields=["source"], condition=models.Q(is_active=True), name="risk_list_one_active_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["ofac_sdn", "eu_consolidated", "sandbox"]), name="risk_list_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} v{self.version} ({self.list_date.isoformat()})"


class SanctionsEntry(BaseModel):
    """One listed person, entity, vessel or aircraft of a list version: the source's own id (``uid``), its
    primary name, aliases and dates of birth (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""

    sanctions_list = models.ForeignKey(SanctionsList, on_delete=models.CASCADE, related_name="entries")
    uid = models.CharField(max_length=40)
    kind = models.CharField(max_length=40)
    name = models.CharField(max_length=500)
    aliases = models.JSONField(default=list)
    dates_of_birth = models.JSONField(default=list)
    programs = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sanctions_list", "uid"], name="risk_entry_list_uid")]
        verbose_name_plural = "sanctions entries"

    def __str__(self) -> str:
        return f"{self.uid}: {self.name}"


class ScreeningHit(BaseModel):
    """A name that matched a listed entry: a holder (at creation or when a new list loaded) or a transfer's
    counterparty. Staff evidence only; partners see the hold's code, never this row."""

    class Subject(models.TextChoices):
        HOLDER = "holder"
        COUNTERPARTY = "counterparty"

    subject = models.CharField(max_length=16, choices=Subject.choices)
    environment = models.CharField(max_length=10)
    holder = models.ForeignKey(WalletHolder, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    transfer = models.CharField(max_length=40, blank=True, help_text="The held transfer's id (tr_...).")
    screened_name = models.CharField(max_length=500)
    entry = models.ForeignKey(SanctionsEntry, on_delete=models.PROTECT, related_name="hits")
    matched_name = models.CharField(max_length=500)
    alias = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(subject__in=["holder", "counterparty"]), name="risk_hit_subject"),
        ]
        indexes = [models.Index(fields=["holder", "-id"], name="risk_hit_holder")]

    def __str__(self) -> str:
        return f"{self.subject} {self.screened_name!r} ~ {self.matched_name!r} ({self.score})"


class KycVerification(BaseModel):
    """One identity check of a holder: the document it rests on (type, issuing country, last four characters of
    its number; the full number is never stored) and the outcome. Approval raises the holder's ``kyc_tier`` to
    ``tier`` in the same transaction (``apps.risk.verifications``); a verification never lowers a tier."""

    object_name = "holder_verification"

    class DocumentType(models.TextChoices):
        PASSPORT = "passport"
        NATIONAL_ID = "national_id"
        DRIVING_LICENCE = "driving_licence"

    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"
        NEEDS_REVIEW = "needs_review"

    public_id = PublicIdField(prefix="kyc")
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="+")
    environment = models.CharField(max_length=10)
    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2: the country that issued the document.")
    document_last4 = models.CharField(max_length=4)
    # The partner environment that asked for it: where a decision by the bank is announced.
    requester = models.ForeignKey(
        Environment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    tier = models.CharField(max_length=16, help_text="The tier an approval grants (basic or full).")
    status = models.CharField(max_length=16, choices=Status.choices)
    failure_code = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected", "needs_review"]),
                name="risk_kyc_status",
            ),
            models.CheckConstraint(
                condition=models.Q(document_type__in=["passport", "national_id", "driving_licence"]),
                name="risk_kyc_document_type",
            ),
            models.CheckConstraint(condition=models.Q(tier__in=["basic", "full"]), name="risk_kyc_tier"),
        ]
        indexes = [models.Index(fields=["holder", "-id"], name="risk_kyc_holder")]


class Case(BaseModel):
    """A holder under review by the bank's staff (docs/staff-guide.md): the alerts raised about them gather on
    their one open case (``open`` or ``info_requested``; a database constraint keeps it to one), which staff
    work through to a decision. Staff-only: no partner-facing payload carries a case or its alerts."""

    object_name = "case"

    class Status(models.TextChoices):
        OPEN = "open"
        INFO_REQUESTED = "info_requested"
        CLEARED = "cleared"
        REPORTED = "reported"
        CLOSED = "closed"

    OPEN_STATUSES = ("open", "info_requested")

    public_id = PublicIdField(prefix="case")
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="+")
    environment = models.CharField(max_length=10)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "info_requested", "cleared", "reported", "closed"]),
                name="risk_case_status",
            ),
            models.UniqueConstraint(
                fields=["holder"],
                condition=models.Q(status__in=["open", "info_requested"]),
                name="risk_case_one_open_per_holder",
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="risk_case_queue")]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Alert(BaseModel):
    """One reason to look at a holder, raised by screening, risk scoring or transaction monitoring
    (``alert_raise``) and attached to the holder's open case. ``evidence`` lists public ids only
    (``transfers``, ``transactions``, ``screening_hits``, ``verifications``) and reason codes (``reasons``);
    ``dedupe_key`` makes raising the same alert twice a no-op."""

    object_name = "alert"

    class Kind(models.TextChoices):
        SANCTIONS_TRANSFER = "sanctions_transfer"
        SANCTIONS_HOLDER = "sanctions_holder"
        RISK_REVIEW = "risk_review"
        STRUCTURING = "structuring"
        RAPID_MOVEMENT = "rapid_movement"
        DORMANT_REACTIVATED = "dormant_reactivated"
        MULE_PATTERN = "mule_pattern"
        VERIFICATION_REVIEW = "verification_review"

    public_id = PublicIdField(prefix="alr")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    evidence = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    raised_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "sanctions_transfer",
                        "sanctions_holder",
                        "risk_review",
                        "structuring",
                        "rapid_movement",
                        "dormant_reactivated",
                        "mule_pattern",
                        "verification_review",
                    ]
                ),
                name="risk_alert_kind",
            ),
        ]
        indexes = [models.Index(fields=["case", "id"], name="risk_alert_case")]


class CaseNote(BaseModel):
    """A staff member's note on a case; never edited or deleted (a correction is another note)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["case", "id"], name="risk_note_case")]


class CaseProposal(BaseModel):
    """A decision that needs two people (four-eyes, docs/staff-guide.md): one staff member proposes it, a
    different one approves or rejects it, and only an approval carries it out. The database refuses a decider
    who is the proposer."""

    object_name = "case_proposal"

    class Action(models.TextChoices):
        FREEZE_WALLET = "freeze_wallet"
        UNFREEZE_WALLET = "unfreeze_wallet"
        UNFREEZE_HOLDER = "unfreeze_holder"

    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"

    public_id = PublicIdField(prefix="cprop")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    action = models.CharField(max_length=20, choices=Action.choices)
    wallet = models.CharField(max_length=40, blank=True, help_text="The wallet's public id (wallet actions).")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["freeze_wallet", "unfreeze_wallet", "unfreeze_holder"]),
                name="risk_proposal_action",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]), name="risk_proposal_status"
            ),
            # Four-eyes in the database too: whoever decides a proposal is not who made it.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("proposed_by")),
                name="risk_proposal_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["case", "action", "wallet"],
                condition=models.Q(status="pending"),
                name="risk_proposal_one_pending",
            ),
        ]


class SuspiciousActivityReport(BaseModel):
    """The report filed on a case (its decision ``reported``): the staff member's narrative and, frozen at
    filing, the document exported as JSON or CSV (``report``; fields in docs/staff-guide.md)."""

    object_name = "suspicious_activity_report"

    public_id = PublicIdField(prefix="sar")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="report")
    narrative = models.TextField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    report = models.JSONField()


class CounterpartySeen(models.Model):
    """That a holder has had a transfer with a counterparty (another holder ``ph_...``, or a bank account or card
    ``fs_...``): since when, and how many transfers. Written with each transfer in its transaction (an upsert), so
    the risk score's ``new_counterparty`` rule reads one row by key instead of the holder's history
    (``apps.risk.counterparties``)."""

    # The unique index leads with the holder: no index of its own.
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="+", db_index=False)
    counterparty = models.CharField(max_length=40, help_text="The counterparty's public id (ph_..., fs_...).")
    first_seen_at = models.DateTimeField(help_text="The first transfer's time, in the environment's clock.")
    transfers = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["holder", "counterparty"], name="risk_counterparty_seen_unique"),
        ]
        verbose_name_plural = "counterparties seen"

    def __str__(self) -> str:
        return f"{self.holder_id} -> {self.counterparty} ({self.transfers})"
