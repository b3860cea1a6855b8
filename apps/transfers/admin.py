"""Bank staff's pages for transfers: the FX rate table and the limits table (both edited here), and the
transfers themselves (read-only, with the review of held ones).

Edits take effect in the saving process as soon as the transaction commits (its in-process copy is cleared on
commit) and in every other process within the cache's lifetime (30 s; see ``apps/transfers/caches.py``).
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.errors import ApplicationError
from apps.transfers.fx import BPS, fx_rates_cache_clear, parse_rate
from apps.transfers.lifecycle import transfer_review_reject, transfer_review_release
from apps.transfers.limits import limits_cache_clear
from apps.transfers.models import FxQuote, FxRate, LimitRule, Transfer, TransferReversal, TransferStatusChange
from apps.wallets import currencies
from apps.wallets.admin import ReadOnlyAdmin, ReadOnlyInline, _money

MAX_RATE_DIGITS = 12
MAX_RATE_CHARS = 32  # FxRate.rate's max_length


def _convertible(code: str) -> str:
    code = (code or "").strip().upper()
    if not currencies.is_supported(code) or code == currencies.POINTS:
        raise forms.ValidationError("Not a supported currency (loyalty points never convert).")
    return code


# --- FX rates ---------------------------------------------------------------------------------------------------
class FxRateForm(forms.ModelForm):
    """A rate is a positive decimal string of at most 12 significant digits, stored in plain notation
    (``1.0834``, never ``1.0834E0``); the two currencies are supported, convertible and different."""

    class Meta:
        model = FxRate
        fields = ("base_currency", "quote_currency", "rate", "fee_bps")

    def clean_base_currency(self) -> str:
        return _convertible(self.cleaned_data["base_currency"])

    def clean_quote_currency(self) -> str:
        return _convertible(self.cleaned_data["quote_currency"])

    def clean_rate(self) -> str:
        rate = parse_rate(self.cleaned_data["rate"])
        if rate is None:
            raise forms.ValidationError("Enter a positive decimal number, e.g. 1.0834.")
        normalised = rate.normalize()
        if len(normalised.as_tuple().digits) > MAX_RATE_DIGITS:
            raise forms.ValidationError(f"Use at most {MAX_RATE_DIGITS} significant digits.")
        text = format(normalised, "f")
        if len(text) > MAX_RATE_CHARS:
            raise forms.ValidationError(
                f"Out of range: written out in full, a rate fits in {MAX_RATE_CHARS} characters."
            )
        return text

    def clean_fee_bps(self) -> int:
        fee_bps = self.cleaned_data["fee_bps"]
        if fee_bps is None or not 0 <= fee_bps < BPS:
            raise forms.ValidationError(f"Basis points from 0 to {BPS - 1} (50 is 0.5%).")
        return fee_bps

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        base, quote = cleaned.get("base_currency"), cleaned.get("quote_currency")
        if base and quote and base == quote:
            self.add_error("quote_currency", "A rate converts between two different currencies.")
        return cleaned


@admin.register(FxRate)
class FxRateAdmin(admin.ModelAdmin):
    """Mid-market rates: one base unit buys ``rate`` quote units; the fee is taken from the source amount.
    Quotes already issued keep the price they were given."""

    form = FxRateForm
    list_display = ("base_currency", "quote_currency", "rate", "inverse", "fee", "updated_at")
    list_filter = ("base_currency", "quote_currency")
    search_fields = ("base_currency", "quote_currency")
    ordering = ("base_currency", "quote_currency")
    readonly_fields = ("updated_at",)

    @admin.display(description="1 / rate")
    def inverse(self, obj: FxRate) -> str:
        rate = parse_rate(obj.rate)
        return "-" if rate is None else f"{Decimal(1) / rate:.6g}"

    @admin.display(description="Fee")
    def fee(self, obj: FxRate) -> str:
        return f"{obj.fee_bps} bps ({Decimal(obj.fee_bps) / 100}%)"

    def save_model(self, request: HttpRequest, obj: FxRate, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(fx_rates_cache_clear)

    def delete_model(self, request: HttpRequest, obj: FxRate) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(fx_rates_cache_clear)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FxRate]) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(fx_rates_cache_clear)


# --- Limits -----------------------------------------------------------------------------------------------------
class LimitRuleForm(forms.ModelForm):
    """Amounts are minor units of the rule's currency (JPY has none: 150000 is 150,000 yen). The limits nest:
    per transfer <= rolling 24 h <= rolling 30 days."""

    class Meta:
        model = LimitRule
        fields = (
            "kyc_tier",
            "currency",
            "per_transfer_max",
            "daily_max",
            "monthly_max",
            "review_threshold",
            "new_counterparty_review_amount",
            "velocity_max_count",
            "velocity_window_seconds",
        )

    def clean_currency(self) -> str:
        code = (self.cleaned_data["currency"] or "").strip().upper()
        if not currencies.is_supported(code):
            raise forms.ValidationError("Not a supported currency.")
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name in ("per_transfer_max", "daily_max", "monthly_max"):
            value = cleaned.get(name)
            if value is not None and value <= 0:
                self.add_error(name, "Must be positive.")
        for name in ("review_threshold", "new_counterparty_review_amount"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, "Must not be negative.")
        per_transfer, daily, monthly = (cleaned.get(n) for n in ("per_transfer_max", "daily_max", "monthly_max"))
        if per_transfer is not None and daily is not None and per_transfer > daily:
            self.add_error("daily_max", "Must be at least the per-transfer limit.")
        if daily is not None and monthly is not None and daily > monthly:
            self.add_error("monthly_max", "Must be at least the daily limit.")
        if cleaned.get("velocity_window_seconds") == 0:
            self.add_error("velocity_window_seconds", "Must be at least one second.")
        return cleaned


@admin.register(LimitRule)
class LimitRuleAdmin(admin.ModelAdmin):
    """What a holder may move per KYC tier and currency. Rules cannot be deleted here: a missing rule means
    *no* limits for that tier and currency, so lifting limits must be a deliberate edit of the amounts."""

    form = LimitRuleForm
    list_display = (
        "kyc_tier",
        "currency",
        "per_transfer",
        "daily",
        "monthly",
        "review",
        "new_counterparty",
        "velocity",
    )
    list_filter = ("kyc_tier", "currency")
    ordering = ("currency", "kyc_tier")

    @admin.display(description="Per transfer")
    def per_transfer(self, obj: LimitRule) -> str:
        return _money(obj.per_transfer_max, obj.currency)

    @admin.display(description="24 hours")
    def daily(self, obj: LimitRule) -> str:
        return _money(obj.daily_max, obj.currency)

    @admin.display(description="30 days")
    def monthly(self, obj: LimitRule) -> str:
        return _money(obj.monthly_max, obj.currency)

    @admin.display(description="Review above")
    def review(self, obj: LimitRule) -> str:
        return _money(obj.review_threshold, obj.currency)

    @admin.display(description="New counterparty review from")
    def new_counterparty(self, obj: LimitRule) -> str:
        return _money(obj.new_counterparty_review_amount, obj.currency)

    @admin.display(description="Velocity")
    def velocity(self, obj: LimitRule) -> str:
        return f"{obj.velocity_max_count} per {obj.velocity_window_seconds} s"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: LimitRule, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(limits_cache_clear)


# --- Transfers and their review -----------------------------------------------------------------------------
class TransferStatusChangeInline(ReadOnlyInline):
    model = TransferStatusChange
    fields = ("at", "previous_status", "status", "reason", "actor")
    readonly_fields = fields
    show_change_link = False


class TransferReversalInline(ReadOnlyInline):
    model = TransferReversal
    fields = ("public_id", "amount", "description", "created_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    """Transfers are read-only; money moves only through the services. Held transfers wait here for review:
    the two actions release them (they go on: p2p and FX post at once, top-ups and payouts go to the rail) or
    reject them (failed, ``review_rejected``, their money released). Each posts its journals and records its
    events in one transaction, with the staff member as the status change's actor."""

    list_display = (
        "public_id",
        "type",
        "status",
        "amount_display",
        "review_reason",
        "risk_score",
        "partner",
        "created_at",
    )
    list_filter = ("status", "type", "review_reason", "risk_level", "environment__kind")
    search_fields = ("public_id", "partner__name", "holder__name")
    list_select_related = ("partner",)
    ordering = ("-id",)
    actions = ("release_held", "reject_held")
    inlines = (TransferStatusChangeInline, TransferReversalInline)
    fields = (
        "public_id",
        "partner",
        "environment",
        "type",
        "status",
        "review_reason",
        "risk_score",
        "risk_level",
        "risk_reasons",
        "holder",
        "source_wallet",
        "destination_wallet",
        "funding_source",
        "amount_display",
        "amount_reversed",
        "fx_quote",
        "description",
        "metadata",
        "failure_code",
        "failure_message",
        "funding_attempts",
        "initiated_at",
        "next_action_at",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="Amount")
    def amount_display(self, obj: Transfer) -> str:
        return _money(obj.amount, obj.currency)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change list's review actions need change permission; a transfer's own page stays read-only.
        return obj is None and bool(request.user.has_perm("transfers.change_transfer"))

    def _review(self, request: HttpRequest, queryset: QuerySet[Transfer], decide: Any, verb: str) -> None:
        done, refused = 0, []
        for pk, public_id in queryset.values_list("pk", "public_id"):
            try:
                decide(transfer_pk=pk, staff_user=request.user)
                done += 1
            except ApplicationError as error:
                # Never start a message with an id: the admin capitalises a message's first letter, and ids are
                # case-sensitive.
                refused.append(f"Transfer {public_id} was not {verb.lower()}: {error.detail}")
        if done:
            self.message_user(request, f"{verb} {done} transfer(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description="Release the selected held transfers")
    def release_held(self, request: HttpRequest, queryset: QuerySet[Transfer]) -> None:
        self._review(request, queryset, transfer_review_release, "Released")

    @admin.action(description="Reject the selected held transfers")
    def reject_held(self, request: HttpRequest, queryset: QuerySet[Transfer]) -> None:
        self._review(request, queryset, transfer_review_reject, "Rejected")


@admin.register(FxQuote)
class FxQuoteAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "source_currency", "destination_currency", "source_amount", "rate", "expires_at")
    list_filter = ("source_currency", "destination_currency")
    search_fields = ("public_id",)
    ordering = ("-id",)
