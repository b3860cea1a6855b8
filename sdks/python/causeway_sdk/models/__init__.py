"""Contains all the data models used in inputs/outputs"""

from .account_type_enum import AccountTypeEnum
from .api_root import ApiRoot
from .api_version_enum import ApiVersionEnum
from .audience import Audience
from .balance import Balance
from .bank_account import BankAccount
from .bank_account_input_request import BankAccountInputRequest
from .brand_enum import BrandEnum
from .card import Card
from .card_input_request import CardInputRequest
from .card_transaction import CardTransaction
from .card_transaction_input_request import CardTransactionInputRequest
from .card_transaction_status_enum import CardTransactionStatusEnum
from .cash_flow import CashFlow
from .category_insight import CategoryInsight
from .clock import Clock
from .clock_advance_input_request import ClockAdvanceInputRequest
from .consent import Consent
from .consent_list import ConsentList
from .consent_list_status import ConsentListStatus
from .consent_status_enum import ConsentStatusEnum
from .country_enum import CountryEnum
from .credential import Credential
from .currency_enum import CurrencyEnum
from .delivery import Delivery
from .deposit_input_request import DepositInputRequest
from .disabled_reason_enum import DisabledReasonEnum
from .endpoint import Endpoint
from .endpoint_create_input_request import EndpointCreateInputRequest
from .endpoint_create_input_request_metadata import EndpointCreateInputRequestMetadata
from .endpoint_deleted import EndpointDeleted
from .endpoint_metadata import EndpointMetadata
from .endpoint_with_secret import EndpointWithSecret
from .endpoint_with_secret_metadata import EndpointWithSecretMetadata
from .environment_enum import EnvironmentEnum
from .event import Event
from .event_list import EventList
from .event_type_enum import EventTypeEnum
from .failure_code_enum import FailureCodeEnum
from .faults import Faults
from .faults_input_request import FaultsInputRequest
from .faults_input_status_enum import FaultsInputStatusEnum
from .fire_input_request import FireInputRequest
from .funding import Funding
from .funding_attempt import FundingAttempt
from .funding_source import FundingSource
from .funding_source_create_input_request import FundingSourceCreateInputRequest
from .funding_source_list import FundingSourceList
from .funding_source_reorder_input_request import FundingSourceReorderInputRequest
from .funding_source_status_enum import FundingSourceStatusEnum
from .funding_source_type_enum import FundingSourceTypeEnum
from .fx_quote import FxQuote
from .holder_verification import HolderVerification
from .holder_verification_create_input_document_type_enum import (
    HolderVerificationCreateInputDocumentTypeEnum,
)
from .holder_verification_create_input_request import (
    HolderVerificationCreateInputRequest,
)
from .holder_verification_create_input_tier_enum import (
    HolderVerificationCreateInputTierEnum,
)
from .holder_verification_document_type_enum import HolderVerificationDocumentTypeEnum
from .holder_verification_list import HolderVerificationList
from .holder_verification_status_enum import HolderVerificationStatusEnum
from .holder_verification_tier_enum import HolderVerificationTierEnum
from .insights import Insights
from .journal_line import JournalLine
from .kind_enum import KindEnum
from .kyc_tier_enum import KycTierEnum
from .mandate import Mandate
from .merchant import Merchant
from .merchant_category_enum import MerchantCategoryEnum
from .merchant_input_request import MerchantInputRequest
from .merchant_output import MerchantOutput
from .merchant_request import MerchantRequest
from .money import Money
from .money_input_request import MoneyInputRequest
from .offer_create_input_request import OfferCreateInputRequest
from .offer_create_input_request_metadata import OfferCreateInputRequestMetadata
from .offer_funding_input_request import OfferFundingInputRequest
from .outcome_enum import OutcomeEnum
from .partner_whoami import PartnerWhoami
from .patched_endpoint_update_input_request import PatchedEndpointUpdateInputRequest
from .patched_endpoint_update_input_request_metadata import (
    PatchedEndpointUpdateInputRequestMetadata,
)
from .patched_offer_update_input_request import PatchedOfferUpdateInputRequest
from .patched_offer_update_input_request_metadata import (
    PatchedOfferUpdateInputRequestMetadata,
)
from .period_enum import PeriodEnum
from .points_redemption import PointsRedemption
from .points_redemption_input_request import PointsRedemptionInputRequest
from .problem import Problem
from .problem_field_error import ProblemFieldError
from .programme import Programme
from .programme_input_request import ProgrammeInputRequest
from .recurring import Recurring
from .replay import Replay
from .replay_input_request import ReplayInputRequest
from .resend_input_request import ResendInputRequest
from .reset import Reset
from .reset_status_enum import ResetStatusEnum
from .reversal import Reversal
from .reversal_create_input_request import ReversalCreateInputRequest
from .reversal_create_input_request_metadata import ReversalCreateInputRequestMetadata
from .reversal_metadata import ReversalMetadata
from .revoked_by_enum import RevokedByEnum
from .reward import Reward
from .reward_input_request import RewardInputRequest
from .reward_input_type_enum import RewardInputTypeEnum
from .risk_level_enum import RiskLevelEnum
from .risk_reason_enum import RiskReasonEnum
from .rotate_secret_input_request import RotateSecretInputRequest
from .status_change import StatusChange
from .targeting import Targeting
from .targeting_input_request import TargetingInputRequest
from .transaction import Transaction
from .transaction_category_enum import TransactionCategoryEnum
from .transaction_list import TransactionList
from .transaction_status_enum import TransactionStatusEnum
from .transaction_type_enum import TransactionTypeEnum
from .transfer import Transfer
from .transfer_create_input_request_type_0 import TransferCreateInputRequestType0
from .transfer_create_input_request_type_1 import TransferCreateInputRequestType1
from .transfer_create_input_request_type_2 import TransferCreateInputRequestType2
from .transfer_create_input_request_type_3 import TransferCreateInputRequestType3
from .transfer_detail import TransferDetail
from .transfer_detail_metadata import TransferDetailMetadata
from .transfer_fail_input_request import TransferFailInputRequest
from .transfer_failure import TransferFailure
from .transfer_fx import TransferFx
from .transfer_list import TransferList
from .transfer_list_status_item import TransferListStatusItem
from .transfer_list_type_item import TransferListTypeItem
from .transfer_metadata import TransferMetadata
from .transfer_reversal_list import TransferReversalList
from .transfer_risk import TransferRisk
from .transfer_status_enum import TransferStatusEnum
from .transfer_type_enum import TransferTypeEnum
from .wallet import Wallet
from .wallet_holder import WalletHolder
from .wallet_holder_insights_currency import WalletHolderInsightsCurrency
from .wallet_holder_list import WalletHolderList
from .wallet_holder_status_enum import WalletHolderStatusEnum
from .wallet_list import WalletList
from .wallet_offer import WalletOffer
from .wallet_offer_list import WalletOfferList
from .wallet_status_enum import WalletStatusEnum
from .wallet_transaction_list_category_item import WalletTransactionListCategoryItem
from .wallet_transaction_list_status_item import WalletTransactionListStatusItem
from .wallet_transaction_list_type_item import WalletTransactionListTypeItem
from .webhook_delivery_list import WebhookDeliveryList
from .webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoint_status_enum import WebhookEndpointStatusEnum

__all__ = (
    "AccountTypeEnum",
    "ApiRoot",
    "ApiVersionEnum",
    "Audience",
    "Balance",
    "BankAccount",
    "BankAccountInputRequest",
    "BrandEnum",
    "Card",
    "CardInputRequest",
    "CardTransaction",
    "CardTransactionInputRequest",
    "CardTransactionStatusEnum",
    "CashFlow",
    "CategoryInsight",
    "Clock",
    "ClockAdvanceInputRequest",
    "Consent",
    "ConsentList",
    "ConsentListStatus",
    "ConsentStatusEnum",
    "CountryEnum",
    "Credential",
    "CurrencyEnum",
    "Delivery",
    "DepositInputRequest",
    "DisabledReasonEnum",
    "Endpoint",
    "EndpointCreateInputRequest",
    "EndpointCreateInputRequestMetadata",
    "EndpointDeleted",
    "EndpointMetadata",
    "EndpointWithSecret",
    "EndpointWithSecretMetadata",
    "EnvironmentEnum",
    "Event",
    "EventList",
    "EventTypeEnum",
    "FailureCodeEnum",
    "Faults",
    "FaultsInputRequest",
    "FaultsInputStatusEnum",
    "FireInputRequest",
    "Funding",
    "FundingAttempt",
    "FundingSource",
    "FundingSourceCreateInputRequest",
    "FundingSourceList",
    "FundingSourceReorderInputRequest",
    "FundingSourceStatusEnum",
    "FundingSourceTypeEnum",
    "FxQuote",
    "HolderVerification",
    "HolderVerificationCreateInputDocumentTypeEnum",
    "HolderVerificationCreateInputRequest",
    "HolderVerificationCreateInputTierEnum",
    "HolderVerificationDocumentTypeEnum",
    "HolderVerificationList",
    "HolderVerificationStatusEnum",
    "HolderVerificationTierEnum",
    "Insights",
    "JournalLine",
    "KindEnum",
    "KycTierEnum",
    "Mandate",
    "Merchant",
    "MerchantCategoryEnum",
    "MerchantInputRequest",
    "MerchantOutput",
    "MerchantRequest",
    "Money",
    "MoneyInputRequest",
    "OfferCreateInputRequest",
    "OfferCreateInputRequestMetadata",
    "OfferFundingInputRequest",
    "OutcomeEnum",
    "PartnerWhoami",
    "PatchedEndpointUpdateInputRequest",
    "PatchedEndpointUpdateInputRequestMetadata",
    "PatchedOfferUpdateInputRequest",
    "PatchedOfferUpdateInputRequestMetadata",
    "PeriodEnum",
    "PointsRedemption",
    "PointsRedemptionInputRequest",
    "Problem",
    "ProblemFieldError",
    "Programme",
    "ProgrammeInputRequest",
    "Recurring",
    "Replay",
    "ReplayInputRequest",
    "ResendInputRequest",
    "Reset",
    "ResetStatusEnum",
    "Reversal",
    "ReversalCreateInputRequest",
    "ReversalCreateInputRequestMetadata",
    "ReversalMetadata",
    "RevokedByEnum",
    "Reward",
    "RewardInputRequest",
    "RewardInputTypeEnum",
    "RiskLevelEnum",
    "RiskReasonEnum",
    "RotateSecretInputRequest",
    "StatusChange",
    "Targeting",
    "TargetingInputRequest",
    "Transaction",
    "TransactionCategoryEnum",
    "TransactionList",
    "TransactionStatusEnum",
    "TransactionTypeEnum",
    "Transfer",
    "TransferCreateInputRequestType0",
    "TransferCreateInputRequestType1",
    "TransferCreateInputRequestType2",
    "TransferCreateInputRequestType3",
    "TransferDetail",
    "TransferDetailMetadata",
    "TransferFailInputRequest",
    "TransferFailure",
    "TransferFx",
    "TransferList",
    "TransferListStatusItem",
    "TransferListTypeItem",
    "TransferMetadata",
    "TransferReversalList",
    "TransferRisk",
    "TransferStatusEnum",
    "TransferTypeEnum",
    "Wallet",
    "WalletHolder",
    "WalletHolderInsightsCurrency",
    "WalletHolderList",
    "WalletHolderStatusEnum",
    "WalletList",
    "WalletOffer",
    "WalletOfferList",
    "WalletStatusEnum",
    "WalletTransactionListCategoryItem",
    "WalletTransactionListStatusItem",
    "WalletTransactionListTypeItem",
    "WebhookDeliveryList",
    "WebhookDeliveryStatusEnum",
    "WebhookEndpointList",
    "WebhookEndpointStatusEnum",
)
