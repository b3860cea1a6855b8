"""Bank staff's views of holders, wallets and the book.

Staff create live holders here (through ``services.holder_create``: environment live, no partner). Everything
else is read-only: balances change only by posting journals, entries are append-only, and corrections are
reversing journals that a service posts. Funding sources show their masked form; nothing here decrypts.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from apps.wallets import currencies
from apps.wallets.funding_sources import masked
from apps.wallets.models import (
    Entry,
    FundingSource,
    Hold,
    Journal,
    LedgerAccount,
    Transaction,
    Wallet,
    WalletHolder,
)
from apps.wallets.services import holder_create


def _money(amount: int | None, currency: str) -> str:
    if amount is None:
        return "-"
    if not currencies.is_supported(currency):
        return f"{amount} {currency}"
    return f"{currencies.format_amount(amount, currency)} {currency}"


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only pages: the rows change through services, never by editing."""

    show_full_result_count = False  # ledger tables grow large; skip the unfiltered COUNT(*)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Holders ----------------------------------------------------------------------------------------------------
class WalletInline(ReadOnlyInline):
    model = Wallet
    fields = ("public_id", "currency", "status", "ledger", "available")
    readonly_fields = fields

    @admin.display(description="Ledger balance")
    def ledger(self, obj: Wallet) -> str:
        return _money(obj.ledger_balance, obj.currency)

    @admin.display(description="Available balance")
    def available(self, obj: Wallet) -> str:
        return _money(obj.available_balance, obj.currency)


class FundingSourceInline(ReadOnlyInline):
    model = FundingSource
    fields = ("public_id", "kind", "status", "position", "masked_number", "brand", "bank_country", "currency")
    readonly_fields = fields
    ordering = ("status", "position")

    @admin.display(description="Number")
    def masked_number(self, obj: FundingSource) -> str:
        return masked(obj)


@admin.register(WalletHolder)
class WalletHolderAdmin(admin.ModelAdmin):
    """Adding creates a **live** holder (the bank's customer; no partner) through ``holder_create``. Existing
    holders are read-only here: sandbox holders are partners' data, and live holders change through services."""

    list_display = ("public_id", "name", "email", "environment", "partner", "kyc_tier", "status", "created_at")
    list_filter = ("environment", "kyc_tier", "status")
    list_select_related = ("partner",)
    search_fields = ("public_id", "name", "email", "partner__public_id", "partner__name")
    ordering = ("-pk",)
    show_full_result_count = False
    add_fields = ("name", "email", "kyc_tier")
    readonly = (
        "public_id",
        "environment",
        "partner",
        "user",
        "name",
        "email",
        "kyc_tier",
        "kyc_changed_at",
        "status",
        "created_at",
        "updated_at",
    )

    def get_fields(self, request: HttpRequest, obj: WalletHolder | None = None) -> Any:
        return self.add_fields if obj is None else self.readonly

    def get_readonly_fields(self, request: HttpRequest, obj: WalletHolder | None = None) -> Any:
        return () if obj is None else self.readonly

    def get_inlines(self, request: HttpRequest, obj: WalletHolder | None) -> Any:
        return [] if obj is None else [WalletInline, FundingSourceInline]

    def has_change_permission(self, request: HttpRequest, obj: WalletHolder | None = None) -> bool:
        # The list stays reachable (and is where "add" returns to); single holders are view-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: WalletHolder | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: WalletHolder, form: ModelForm, change: bool) -> None:
        if change:  # pragma: no cover - existing holders are view-only
            raise PermissionError("Existing holders change through services only.")
        created = holder_create(
            environment="live",
            partner=None,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            kyc_tier=form.cleaned_data["kyc_tier"],
        )
        # The admin goes on with the object it passed in (the log entry, the redirect): make it the saved one.
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False


# --- Wallets and the book ---------------------------------------------------------------------------------------
@admin.register(Wallet)
class WalletAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "holder", "currency", "status", "ledger", "available", "created_at")
    list_filter = ("currency", "status", "holder__environment")
    list_select_related = ("holder",)
    search_fields = ("public_id", "holder__public_id", "holder__name", "holder__email")
    ordering = ("-pk",)
    exclude = ("ledger_balance", "available_balance")
    readonly_fields = ("public_id", "holder", "currency", "status", "ledger", "available", "last_transaction")

    @admin.display(description="Ledger balance")
    def ledger(self, obj: Wallet) -> str:
        return _money(obj.ledger_balance, obj.currency)

    @admin.display(description="Available balance")
    def available(self, obj: Wallet) -> str:
        return _money(obj.available_balance, obj.currency)


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "wallet", "type", "status", "signed_amount", "category", "merchant_name", "booked_at")
    list_filter = ("status", "type", "category")
    list_select_related = ("wallet",)
    search_fields = ("public_id", "wallet__public_id", "description", "merchant_name", "counterparty")
    ordering = ("-pk",)

    @admin.display(description="Amount")
    def signed_amount(self, obj: Transaction) -> str:
        return _money(obj.amount, obj.currency)


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "wallet", "held", "status", "transaction", "created_at")
    list_filter = ("status",)
    list_select_related = ("wallet", "transaction")
    search_fields = ("public_id", "wallet__public_id", "transaction__public_id")
    ordering = ("-pk",)

    @admin.display(description="Amount")
    def held(self, obj: Hold) -> str:
        return _money(obj.amount, obj.wallet.currency)


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    """System accounts keep no cached balance (see the model); reconciliation sums their entries."""

    list_display = ("pk", "kind", "code", "currency", "environment", "partner", "wallet")
    list_filter = ("kind", "environment", "currency")
    list_select_related = ("partner", "wallet")
    search_fields = ("code", "wallet__public_id", "partner__public_id")
    ordering = ("-pk",)


class EntryInline(ReadOnlyInline):
    model = Entry
    fields = ("account", "signed_amount")
    readonly_fields = fields
    show_change_link = False

    @admin.display(description="Amount")
    def signed_amount(self, obj: Entry) -> str:
        return _money(obj.amount, obj.currency)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        return super().get_queryset(request).select_related("account")


@admin.register(Journal)
class JournalAdmin(ReadOnlyAdmin):
    """A journal with its entries, which sum to zero per currency. Append-only: nothing here edits or deletes."""

    list_display = ("pk", "kind", "description", "environment", "partner", "reverses", "posted_at")
    list_filter = ("kind", "environment")
    list_select_related = ("partner", "reverses")
    search_fields = ("description", "partner__public_id")
    ordering = ("-pk",)
    inlines = [EntryInline]


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdmin):
    """Masked account numbers only: the encrypted details are neither shown nor decrypted here."""

    list_display = ("public_id", "holder", "kind", "status", "position", "masked_number", "brand", "bank_country")
    list_filter = ("kind", "status", "brand", "bank_country")
    list_select_related = ("holder",)
    search_fields = ("public_id", "holder__public_id", "holder__name", "last4")
    ordering = ("-pk",)
    exclude = ("account_encrypted", "last4")
    readonly_fields = (
        "public_id",
        "holder",
        "kind",
        "status",
        "position",
        "masked_number",
        "account_holder_name",
        "bank_country",
        "currency",
        "brand",
        "exp_month",
        "exp_year",
        "created_at",
        "updated_at",
    )

    @admin.display(description="Number")
    def masked_number(self, obj: FundingSource) -> str:
        return masked(obj)
