"""Deterministic fake bank data for a partner's sandbox: holders, wallets and months of history.

Everything goes through the wallets services: ``apps.wallets.opening.holders_open`` (holders, wallets and their
ledger accounts, a chunk at a time) and ``apps.wallets.bulk.history_import_inner`` (which posts balanced journals
against the system clearing accounts and places the pending card payments at the end as real holds).

Determinism: the same ``seed``, holder count and months into an empty sandbox give the same holders (names,
emails, KYC tiers, currencies) and the same transactions (amounts, categories, merchants, descriptions, order).
Each holder draws from its own generator (``random.Random`` and Faker, both seeded from the seed and the
holder's number), so ``--holders 10`` is a prefix of ``--holders 100``. Dates are laid out relative to the
``anchor`` day (by default today on the sandbox clock): history ends the day before it, salary lands on the 25th
(the Friday before when that is a weekend), rent on the 1st. Seeding with another anchor moves the dates with the
calendar and keeps everything else. Pass the same anchor to reproduce a sandbox exactly. Faker's output is only
stable for one Faker version (pinned in pyproject.toml).

Amounts are planned so no wallet can go below zero whatever the calendar: every holder starts with one month's
salary, and each month's spending is scaled to at most 85% of the salary.
"""

import gc
import math
import random
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.core import clock
from apps.partners.models import Partner
from apps.risk.services import sandbox_list_ensure
from apps.wallets import currencies
from apps.wallets.bank_registry import IBAN_LENGTHS
from apps.wallets.bulk import history_import_inner
from apps.wallets.freeze import wallet_freeze
from apps.wallets.funding_sources import funding_source_prepare
from apps.wallets.ledger import CLEARING_BANK, CLEARING_CARD, FEES, FX, POINTS_ISSUANCE
from apps.wallets.models import FundingSource, Transaction, Wallet, WalletHolder
from apps.wallets.opening import NewHolder, holders_open
from apps.wallets.validators import BankAccountDetails, CardDetails, HistoryItem
from sandbox.offers import seed_offers

DEFAULT_SEED = 1
DEFAULT_HOLDERS = 20
DEFAULT_MONTHS = 12
MAX_MONTHS = 60
# Holders per history import: bounds the objects in memory while all of it stays one transaction.
CHUNK = 100
SPEND_SHARE = 0.85  # a month's spending never exceeds this share of the salary
PENDING_WINDOW = timedelta(days=2)  # the last days of the history hold the pending card payments

# Rough prices relative to USD, to keep amounts plausible in each currency (not FX rates of record).
PRICE_LEVEL = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "JPY": 150.0}
HOME_CURRENCIES = (("USD", 0.55), ("EUR", 0.25), ("GBP", 0.20))
TRAVEL_CURRENCIES = ("USD", "EUR", "GBP", "JPY")
LOCALES = {"USD": ("en_US",), "EUR": ("de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"), "GBP": ("en_GB",)}
REGION = {"USD": "us", "EUR": "eu", "GBP": "uk", "JPY": "jp"}
COUNTRY_OF_LOCALE = {"de_DE": "DE", "fr_FR": "FR", "es_ES": "ES", "it_IT": "IT", "nl_NL": "NL"}
EMAIL_DOMAINS = ("example.test", "mail.test", "inbox.test", "post.test")
KYC_TIERS = (("full", 0.7), ("basic", 0.2), ("unverified", 0.1))

# Fictional merchants per category and region.
MERCHANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "groceries": {
        "us": ("Harbor Fresh Market", "Greenway Grocers", "Maple Street Foods", "Sunrise Supermarket"),
        "eu": ("Marché Lumière", "Frischkorb", "Mercado Sol", "Verde Supermercato"),
        "uk": ("Thames Grocers", "Oak & Barley", "Hilltop Foodhall", "Corner Larder"),
        "jp": ("Sakura Mart", "Hikari Store", "Midori Foods"),
    },
    "dining": {
        "us": ("Blue Door Diner", "Copper Pot Kitchen", "Lucky Noodle", "Riverside Tacos", "Bean There Coffee"),
        "eu": ("Café des Arts", "Trattoria Nonna", "Bäckerei Korn", "La Tasca", "Eetcafé Gracht"),
        "uk": ("The Crown & Anchor", "Brick Lane Curry", "Crumbs Café", "Harbour Fish Bar"),
        "jp": ("Ramen Ichiban", "Sushi Kaze", "Kissaten Mori", "Izakaya Tomo"),
    },
    "transport": {
        "us": ("Metro Transit", "QuickRide", "Fuel Stop", "CityBike Share"),
        "eu": ("Stadtbahn", "Métro Ville", "Taxi Rápido", "Tankstelle Nord"),
        "uk": ("London Transit", "Cab Direct", "Rail Connect", "Petrol Point"),
        "jp": ("Tokyo Metro Pass", "Shinkansen Ticket Office", "Taxi Hinode"),
    },
    "shopping": {
        "us": ("Northwind Outfitters", "Pixel Electronics", "Homeward Goods", "Paperback Books"),
        "eu": ("Moda Bella", "Technik Haus", "Maison Déco", "Librería Luna"),
        "uk": ("High Street Apparel", "Gadget Hub", "Cotswold Home", "Chapter Books"),
        "jp": ("Ginza Select", "Akiba Electronics", "Muji-ya"),
    },
    "entertainment": {
        "us": ("Starlight Cinemas", "Arcadia Games", "Stream+"),
        "eu": ("Kino Palast", "Cinéma Étoile", "Stream+"),
        "uk": ("Picturehouse Royal", "Bowl & Bar", "Stream+"),
        "jp": ("Karaoke Utopia", "Shibuya Cinema"),
    },
    "health": {
        "us": ("CarePlus Pharmacy", "Peak Fitness"),
        "eu": ("Apotheke Linde", "Pharmacie Centrale"),
        "uk": ("Boots & Co Chemist", "Fit Club"),
        "jp": ("Kusuri Pharmacy",),
    },
}
AIRLINES = {"us": ("SkyBridge Airlines", "Atlas Air"), "eu": ("AeroLink", "Volare Europa"), "uk": ("Albion Air",)}
HOTELS = {
    "usd": ("Harborview Hotel", "The Lakeshore Inn"),
    "eur": ("Hôtel du Parc", "Hotel Kaiserhof", "Hostal Mirador"),
    "gbp": ("The Regent Hotel", "Kingsgate Lodge"),
    "jpy": ("Ryokan Hanabi", "Hotel Shinjuku Garden"),
}
UTILITIES: dict[str, tuple[tuple[str, float, float], ...]] = {
    # (merchant, low, high) in USD-equivalent major units; the first is the variable one.
    "us": (("Brightwater Energy", 60, 160), ("Fastlane Internet", 45, 80), ("Orbit Mobile", 25, 60)),
    "eu": (("Stadtwerke Energie", 55, 150), ("Fibra Net", 30, 55), ("Mobil Plus", 15, 40)),
    "uk": (("Albion Power", 60, 150), ("Broadband UK", 30, 50), ("Mobile Isles", 12, 35)),
}
DISCRETIONARY = (
    # (category, min count, max count, low, high) per month, USD-equivalent major units.
    ("groceries", 4, 8, 12, 120),
    ("dining", 2, 7, 6, 70),
    ("transport", 3, 8, 2.5, 40),
    ("shopping", 1, 3, 15, 150),
    ("entertainment", 0, 2, 10, 60),
    ("health", 0, 1, 15, 90),
)
HOURS = {
    "groceries": (8, 21),
    "dining": (11, 23),
    "transport": (6, 22),
    "shopping": (10, 20),
    "entertainment": (17, 23),
    "health": (9, 19),
    "travel": (7, 22),
}
PENDING_CATEGORIES = ("groceries", "dining", "transport")


@dataclass(frozen=True)
class Persona:
    """A known holder with a login, the same in every seeded sandbox (``username`` plus, outside the demo
    partner, ``@<partner id>``: usernames are unique across the whole platform)."""

    key: str
    password: str
    name: str
    home: str
    extra: tuple[str, ...]
    months: int
    locale: str  # Faker's locale
    bank_country: str | None = None  # the country of an IBAN bank account (none: a card only)
    kyc_tier: str = "full"
    points: bool = False
    # A persona with ``balance`` has no history: one opening deposit of that much (USD-equivalent major units).
    balance: float | None = None
    frozen: bool = False  # its wallets are frozen once seeded
    # Holder-level rules (WalletHolder): a one-time code at every consent-screen sign-in (the sandbox accepts the
    # published 123456), and a consent lifetime in hours instead of CONSENT_DEFAULT_DAYS.
    sign_in_code_required: bool = False
    consent_lifetime_hours: int | None = None


PERSONAS = (
    Persona(
        key="user_good",
        password="pass_good",
        name="Alex Goodwin",
        home="USD",
        extra=("EUR",),
        months=12,
        locale="en_US",
        bank_country="DE",
    ),
    Persona(
        key="user_low_balance",
        password="pass_low_balance",
        name="Lou Lowe",
        home="USD",
        extra=(),
        months=0,
        locale="en_US",
        balance=12.5,
    ),
    Persona(
        key="user_unverified",
        password="pass_unverified",
        name="Una Verity",
        home="USD",
        extra=(),
        months=12,
        locale="en_US",
        kyc_tier="unverified",
    ),
    Persona(
        key="user_frozen",
        password="pass_frozen",
        name="Fred Frost",
        home="USD",
        extra=(),
        months=12,
        locale="en_US",
        frozen=True,
    ),
    Persona(
        key="user_multi_currency",
        password="pass_multi_currency",
        name="Mia Mundo",
        home="USD",
        extra=("EUR", "GBP", "JPY"),
        months=12,
        locale="en_US",
        bank_country="DE",
        points=True,
    ),
    Persona(
        key="user_sanctions_hit",
        # The name is on the sandbox's sanctions list (apps/risk/data/): the holder is frozen at creation and every
        # transfer it makes is held (compliance_hold).
        password="pass_sanctions_hit",
        name="Ofac Testname",
        home="USD",
        extra=(),
        months=12,
        locale="en_US",
    ),
    Persona(
        key="user_mfa",
        # The consent screen's sign-in asks for a one-time code after the password (in sandbox: 123456).
        password="pass_mfa",
        name="Mona Factor",
        home="USD",
        extra=(),
        months=12,
        locale="en_US",
        sign_in_code_required=True,
    ),
    Persona(
        key="user_consent_expiring",
        # Consents it grants expire after 23 hours, so consent.expiring is due as soon as one is granted.
        password="pass_consent_expiring",
        name="Connie Sentwell",
        home="USD",
        extra=(),
        months=12,
        locale="en_US",
        consent_lifetime_hours=23,
    ),
)


class SeedError(Exception):
    """The sandbox cannot be seeded as asked (a persona's username is taken, a bad option)."""


@dataclass
class SeedReport:
    partner: str
    seed: int
    anchor: date
    holders: int = 0
    wallets: int = 0
    funding_sources: int = 0
    transactions: int = 0
    holds: int = 0
    seconds: float = 0.0
    personas: list[dict[str, Any]] = field(default_factory=list)


def persona_username(persona: Persona, *, partner: Partner, demo: bool) -> str:
    return persona.key if demo else f"{persona.key}@{partner.public_id}"


# --- Entry point ------------------------------------------------------------------------------------------------
@transaction.atomic
def seed_sandbox(
    *,
    partner: Partner,
    seed: int = DEFAULT_SEED,
    holders: int = DEFAULT_HOLDERS,
    months: int = DEFAULT_MONTHS,
    anchor: date | None = None,
    demo: bool = False,
    personas: bool = True,
) -> SeedReport:
    """Seed ``partner``'s sandbox with ``holders`` random holders (plus the personas) and ``months`` of history
    each, in one transaction. ``demo`` marks the demo partner, whose personas get the bare usernames.
    Raises ``SeedError``; writes nothing when anything fails."""
    started = time.perf_counter()
    if holders < 0 or not 0 <= months <= MAX_MONTHS:
        raise SeedError(f"holders must be >= 0 and months between 0 and {MAX_MONTHS}.")
    sandbox = partner.environments.get(kind="sandbox")
    now = clock.now(environment=sandbox)
    today = now.date()
    anchor = anchor or today
    if anchor > today:
        raise SeedError("The anchor cannot be after today on the sandbox clock: history is in the past.")
    report = SeedReport(partner=partner.public_id, seed=seed, anchor=anchor)
    with _without_cycle_collection():
        _seed(
            report,
            partner=partner,
            holders=holders,
            months=months,
            anchor=anchor,
            now=now,
            demo=demo,
            personas=personas,
        )
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A seed keeps hundreds of thousands of small objects alive until its chunk is written (plans, items, rows),
    and the cyclic garbage collector's full passes walk all of them again and again: about a fifth of the seed's
    Python time for 1,000 holders. Reference counting frees everything as usual; the few reference cycles wait
    for the collector, which is turned back on (if it was on) when the seed ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _seed(
    report: SeedReport,
    *,
    partner: Partner,
    holders: int,
    months: int,
    anchor: date,
    now: datetime,
    demo: bool,
    personas: bool,
) -> None:
    seed = report.seed
    fakers = _Fakers()
    sandbox_list_ensure()  # holders are screened at creation against the sandbox's sanctions list

    plans: list[_Plan] = []
    for persona in PERSONAS if personas else ():
        seeded, login = _persona_state(persona, partner=partner, demo=demo)
        if not seeded:
            plans.append(_persona_plan(persona, seed=seed, partner=partner, demo=demo, fakers=fakers, user=login))
    plans.extend(_holder_plan(number=n, seed=seed, months=months, fakers=fakers) for n in range(holders))

    for start in range(0, len(plans), CHUNK):
        chunk = plans[start : start + CHUNK]
        items: list[HistoryItem] = []
        sources: list[FundingSource] = []
        for plan, (holder, wallets) in zip(chunk, _open(chunk, partner=partner), strict=True):
            plan.wallets = wallets
            report.holders += 1
            report.wallets += len(wallets)
            # Validated and encrypted by the funding-sources service, saved together below (its bulk path).
            sources.extend(_funding_sources(plan, holder, now=now))
            items.extend(_history(plan, wallets, anchor=anchor))
        FundingSource.objects.bulk_create(sources, batch_size=1000)
        report.funding_sources += len(sources)
        report.holds += sum(1 for item in items if item.pending)
        report.transactions += history_import_inner(items=items)
    for plan in plans:
        if plan.frozen:  # after the history: a frozen wallet takes no postings
            for wallet in plan.wallets.values():
                wallet_freeze(wallet=wallet)
    if personas:  # the demo offers, user_good's activated (sandbox/offers.py)
        seed_offers(partner=partner, username=persona_username(PERSONAS[0], partner=partner, demo=demo))
    report.personas = persona_list(partner=partner, demo=demo)


def _persona_state(persona: Persona, *, partner: Partner, demo: bool) -> tuple[bool, Any]:
    """Whether the persona is already in this sandbox, and a login of a persona whose holder is gone (a sandbox
    reset removes holders, not users) to reuse. A username that belongs to anyone else is refused."""
    username = persona_username(persona, partner=partner, demo=demo)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return False, None
    holder = WalletHolder.objects.filter(user=user).first()
    if holder is not None and holder.partner_id == partner.pk and holder.environment == "sandbox":
        return True, None
    if holder is None and not user.is_staff and not user.memberships.exists():
        return False, user
    raise SeedError(f"The username {username!r} belongs to someone else: the persona cannot be created.")


def persona_list(*, partner: Partner, demo: bool) -> list[dict[str, Any]]:
    """The personas seeded in ``partner``'s sandbox as ``sandbox_quickstart --json`` shows them."""
    found = []
    for persona in PERSONAS:
        username = persona_username(persona, partner=partner, demo=demo)
        holder = (
            WalletHolder.objects.filter(partner=partner, environment="sandbox", user__username=username)
            .prefetch_related("wallets")
            .first()
        )
        if holder is None:
            continue
        wallets = sorted(
            (w for w in holder.wallets.all() if w.status != Wallet.Status.CLOSED), key=lambda wallet: wallet.pk
        )
        found.append(
            {
                "username": username,
                "password": persona.password,
                "holder": holder.public_id,
                "wallets": [{"id": wallet.public_id, "currency": wallet.currency} for wallet in wallets],
            }
        )
    return found


# --- Holders ----------------------------------------------------------------------------------------------------
@dataclass
class _Plan:
    """Everything drawn for one holder before anything is written."""

    rng: random.Random
    funding_rng: random.Random
    locale: str
    bank_country: str | None
    name: str
    email: str
    kyc_tier: str
    home: str
    extra: list[str]
    points: bool
    months: int
    salary: float  # monthly, USD-equivalent major units
    rent_share: float
    employer: str
    landlord: str
    plan_fee: bool
    pending: tuple[int, int] = (0, 2)  # how many card payments are still pending at the end (min, max)
    username: str = ""
    password: str = ""
    user: Any = None  # a persona login to reuse
    balance: float | None = None  # no history: one opening deposit of this much
    frozen: bool = False
    sign_in_code_required: bool = False
    consent_lifetime_hours: int | None = None
    wallets: dict[str, Wallet] = field(default_factory=dict)  # set once opened


class _Fakers:
    """One Faker per locale, re-seeded for each holder (building a Faker is slow; seeding one is not)."""

    def __init__(self) -> None:
        from faker import Faker  # a sandbox-only dependency: import it only when seeding

        self._cls = Faker
        self._by_locale: dict[str, Any] = {}

    def get(self, locale: str, seed: int) -> Any:
        if locale not in self._by_locale:
            self._by_locale[locale] = self._cls(locale)
        fake = self._by_locale[locale]
        fake.seed_instance(seed)
        return fake


def _weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _holder_plan(*, number: int, seed: int, months: int, fakers: _Fakers) -> _Plan:
    # Fake data must be reproducible, not secret. A string seed is hashed with SHA-512 by random.Random: stable
    # across processes and Python runs (unlike hash()).
    rng = random.Random(f"causeway-sandbox:{seed}:holder:{number}")  # noqa: S311
    funding_rng = random.Random(f"causeway-sandbox:{seed}:holder:{number}:funding")  # noqa: S311
    home = _weighted(rng, HOME_CURRENCIES)
    locale = rng.choice(LOCALES[home])
    bank_country = COUNTRY_OF_LOCALE.get(locale)
    fake = fakers.get(locale, rng.getrandbits(64))
    first, last = fake.first_name(), fake.last_name()
    others = [c for c in TRAVEL_CURRENCIES if c != home]
    roll = rng.random()
    extra = rng.sample(others, 2) if roll < 0.15 else [rng.choice(others)] if roll < 0.6 else []
    return _Plan(
        rng=rng,
        funding_rng=funding_rng,
        locale=locale,
        bank_country=bank_country,
        name=f"{first} {last}",
        email=f"{_ascii(first)}.{_ascii(last)}{number + 1}@{rng.choice(EMAIL_DOMAINS)}",
        kyc_tier=_weighted(rng, KYC_TIERS),
        home=home,
        extra=extra,
        points=rng.random() < 0.4,
        months=months,
        salary=float(rng.randrange(3200, 8500, 50)),
        rent_share=rng.uniform(0.22, 0.33),
        employer=fake.company(),
        landlord=f"{fake.last_name()} Property Management",
        plan_fee=rng.random() < 0.3,
    )


def _persona_plan(
    persona: Persona, *, seed: int, partner: Partner, demo: bool, fakers: _Fakers, user: Any = None
) -> _Plan:
    rng = random.Random(f"causeway-sandbox:{seed}:persona:{persona.key}")  # noqa: S311
    funding_rng = random.Random(f"causeway-sandbox:{seed}:persona:{persona.key}:funding")  # noqa: S311
    locale, bank_country = persona.locale, persona.bank_country
    fake = fakers.get(locale, rng.getrandbits(64))
    username = persona_username(persona, partner=partner, demo=demo)
    return _Plan(
        rng=rng,
        funding_rng=funding_rng,
        locale=locale,
        bank_country=bank_country,
        name=persona.name,
        email=f"{persona.key}@example.test",
        kyc_tier=persona.kyc_tier,
        home=persona.home,
        extra=list(persona.extra),
        points=persona.points,
        months=persona.months,
        salary=5400.0,
        rent_share=0.28,
        employer=fake.company(),
        landlord=f"{fake.last_name()} Property Management",
        plan_fee=False,
        pending=(2, 3),
        username=username,
        password=persona.password,
        user=user,
        balance=persona.balance,
        frozen=persona.frozen,
        sign_in_code_required=persona.sign_in_code_required,
        consent_lifetime_hours=persona.consent_lifetime_hours,
    )


def _funding_sources(plan: _Plan, holder: WalletHolder, *, now: datetime) -> list[FundingSource]:
    """A bank account where the validator knows the scheme (an IBAN in the euro area, a sort code and account
    number in the UK) and a card or two, bank account first in the fallback order. Drawn from a generator of
    their own, so adding them changed no other draw."""
    rng = plan.funding_rng
    details: list[tuple[str, Any]] = []
    country = plan.bank_country
    if plan.home == "GBP":
        sort_code = f"{rng.randrange(100):02d}-{rng.randrange(100):02d}-{rng.randrange(100):02d}"
        account_number = f"{rng.randrange(10**8):08d}"
        bank = BankAccountDetails(
            account_holder_name=plan.name, sort_code=sort_code, account_number=account_number, currency="GBP"
        )
        details.append((FundingSource.Kind.BANK_ACCOUNT, bank))
    elif country is not None:
        iban = _iban(rng, country)
        details.append((FundingSource.Kind.BANK_ACCOUNT, BankAccountDetails(account_holder_name=plan.name, iban=iban)))
    for _ in range(1 if details else rng.randint(1, 2)):
        card = CardDetails(
            brand=rng.choice(("visa", "visa", "mastercard", "amex")),
            last4=f"{rng.randrange(10**4):04d}",
            exp_month=rng.randint(1, 12),
            exp_year=now.year + rng.randint(1, 4),
            holder_name=plan.name,
        )
        details.append((FundingSource.Kind.CARD, card))
    sources = []
    for position, (kind, detail) in enumerate(details, start=1):
        sources.append(
            funding_source_prepare(
                holder=holder,
                kind=kind,
                position=position,
                bank_account=detail if kind == FundingSource.Kind.BANK_ACCOUNT else None,
                card=detail if kind == FundingSource.Kind.CARD else None,
                now=now,
            )
        )
    return sources


def _iban(rng: random.Random, country: str) -> str:
    """A random IBAN of ``country`` with correct ISO 7064 mod-97 check digits (never 00, 01 or 99)."""
    bban = "".join(str(rng.randrange(10)) for _ in range(IBAN_LENGTHS[country] - 4))
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def _open(plans: list[_Plan], *, partner: Partner) -> list[tuple[WalletHolder, dict[str, Wallet]]]:
    """The holders of ``plans`` with their wallets (home currency first, then the others, then points), opened
    together by the wallets service; a persona's login is created (or the one a reset left is reused) first."""
    users: list[Any] = []
    for plan in plans:
        user = None
        if plan.user is not None:
            user = plan.user
            user.email = plan.email
            user.set_password(plan.password)
            user.save(update_fields=["email", "password"])
        elif plan.username:
            user = get_user_model().objects.create_user(
                username=plan.username, email=plan.email, password=plan.password
            )
        users.append(user)
    return holders_open(
        environment="sandbox",
        partner=partner,
        holders=[
            NewHolder(
                name=plan.name,
                email=plan.email,
                kyc_tier=plan.kyc_tier,
                user=user,
                sign_in_code_required=plan.sign_in_code_required,
                consent_lifetime_hours=plan.consent_lifetime_hours,
                currencies=(plan.home, *plan.extra, *((currencies.POINTS,) if plan.points else ())),
            )
            for plan, user in zip(plans, users, strict=True)
        ],
    )


# --- History ----------------------------------------------------------------------------------------------------
def _add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _minor(amount: float, currency: str) -> int:
    """USD-equivalent major units to ``currency``'s minor units (never zero)."""
    value = amount * PRICE_LEVEL[currency] * 10 ** currencies.exponent(currency)
    return max(1, round(value))


@dataclass
class _Draw:
    """A planned movement before scaling: USD-equivalent amount, sign from ``out``."""

    at: datetime
    amount: float
    type: str
    category: str
    description: str
    merchant: str = ""
    counterparty: str = ""
    rail: str = CLEARING_CARD
    out: bool = True
    flexible: bool = True  # scaled down when the month would overspend
    pending: bool = False


def _when(rng: random.Random, start: datetime, end: datetime, hours: tuple[int, int] = (0, 24)) -> datetime:
    """A moment in [start, end) on a random day at a plausible hour; the draws do not depend on the calendar."""
    days = max(1, (end - start).days)
    day, hour = rng.random(), rng.uniform(*hours)
    moment = _midnight((start + timedelta(days=int(day * days))).date()) + timedelta(hours=hour)
    if moment < start:
        moment = start + timedelta(minutes=1 + int(hour * 60) % 600)
    if moment >= end:
        moment = end - timedelta(minutes=1 + int(hour * 60) % 600)
    return moment


def _payday(start: date, end: date) -> date:
    """The 25th inside [start, end), moved to the Friday before when it is a weekend."""
    day = start
    while day < end and day.day != 25:
        day += timedelta(days=1)
    if day >= end:
        day = end - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _first_of_month(start: date, end: date) -> date:
    day = start
    while day < end and day.day != 1:
        day += timedelta(days=1)
    return day if day < end else start


def _history(plan: _Plan, wallets: dict[str, Wallet], *, anchor: date) -> list[HistoryItem]:
    rng, home = plan.rng, plan.home
    if plan.balance is not None:
        opening = HistoryItem(
            wallet=wallets[home],
            booked_at=_midnight(anchor) - timedelta(days=1, hours=-9),
            amount=_minor(plan.balance, home),
            type=Transaction.Type.DEPOSIT,
            category="transfer",
            description="Opening balance transfer",
            counterparty=plan.name,
            rail=CLEARING_BANK,
        )
        return [opening]
    if plan.months == 0:
        return []
    bounds = [_add_months(anchor, -plan.months + m) for m in range(plan.months + 1)]
    periods = [(bounds[m], bounds[m + 1]) for m in range(plan.months)]
    region = REGION[home]
    items: list[HistoryItem] = []
    start = _midnight(periods[0][0])
    items.append(
        HistoryItem(
            wallet=wallets[home],
            booked_at=start,
            amount=_minor(plan.salary, home),
            type=Transaction.Type.DEPOSIT,
            category="transfer",
            description="Opening balance transfer",
            counterparty=plan.name,
            rail=CLEARING_BANK,
        )
    )
    travel_periods = {
        currency: {rng.randrange(plan.months)} | {m for m in range(plan.months) if rng.random() < 0.25}
        for currency in plan.extra
    }
    utilities = UTILITIES[region]
    utility_days = [rng.randrange(2, 27) for _ in utilities]
    subscription = (rng.choice(MERCHANTS["entertainment"][region]), rng.choice((9.99, 12.99, 15.49, 17.99)))
    subscription_day = rng.randrange(1, 28)
    points_balance = 0

    for number, (period_start, period_end) in enumerate(periods):
        last = number == len(periods) - 1
        p_start, p_end = _midnight(period_start), _midnight(period_end)
        spend_end = p_end - PENDING_WINDOW if last else p_end
        draws: list[_Draw] = []
        payday = _payday(period_start, period_end)
        salary = _Draw(
            at=_within(_midnight(payday) + timedelta(hours=rng.uniform(0, 6)), p_start - timedelta(days=3), spend_end),
            amount=plan.salary,
            type=Transaction.Type.DEPOSIT,
            category="salary",
            description=f"Salary {plan.employer}",
            counterparty=plan.employer,
            rail=CLEARING_BANK,
            out=False,
            flexible=False,
        )
        rent_day = _first_of_month(period_start, period_end)
        draws.append(
            _Draw(
                at=_within(_midnight(rent_day) + timedelta(hours=6, minutes=rng.randrange(60)), p_start, spend_end),
                amount=round(plan.salary * plan.rent_share / 25) * 25,
                type=Transaction.Type.WITHDRAWAL,
                category="rent",
                description="Rent",
                counterparty=plan.landlord,
                rail=CLEARING_BANK,
                flexible=False,
            )
        )
        for (merchant, low, high), offset in zip(utilities, utility_days, strict=True):
            # The first bill (energy) varies month to month; the others are flat.
            amount = round(rng.uniform(low, high), 2) if merchant == utilities[0][0] else round((low + high) / 2, 2)
            draws.append(
                _Draw(
                    at=_within(p_start + timedelta(days=offset, hours=rng.uniform(4, 9)), p_start, spend_end),
                    amount=amount,
                    type=Transaction.Type.WITHDRAWAL,
                    category="utilities",
                    description=f"Direct debit {merchant}",
                    merchant=merchant,
                    rail=CLEARING_BANK,
                    flexible=False,
                )
            )
        draws.append(
            _Draw(
                at=_within(p_start + timedelta(days=subscription_day, hours=3), p_start, spend_end),
                amount=subscription[1],
                type=Transaction.Type.CARD_PAYMENT,
                category="entertainment",
                description=f"Card payment at {subscription[0]}",
                merchant=subscription[0],
            )
        )
        if plan.plan_fee:
            draws.append(
                _Draw(
                    at=_within(p_start + timedelta(days=2, hours=2), p_start, spend_end),
                    amount=4.99,
                    type=Transaction.Type.FEE,
                    category="fees",
                    description="Monthly plan fee",
                    rail=FEES,
                    flexible=False,
                )
            )
        shopping: list[_Draw] = []
        for category, low_count, high_count, low, high in DISCRETIONARY:
            for _ in range(rng.randint(low_count, high_count)):
                merchant = rng.choice(MERCHANTS[category][region])
                draw = _Draw(
                    at=_when(rng, p_start, spend_end, HOURS[category]),
                    amount=round(rng.uniform(low, high), 2),
                    type=Transaction.Type.CARD_PAYMENT,
                    category=category,
                    description=f"Card payment at {merchant}",
                    merchant=merchant,
                )
                draws.append(draw)
                if category == "shopping":
                    shopping.append(draw)
        refund_roll, refund_share, refund_days = rng.random(), rng.choice((1.0, 1.0, 0.5, 0.3)), rng.randint(2, 10)
        if last:
            for _ in range(rng.randint(*plan.pending)):
                category = rng.choice(PENDING_CATEGORIES)
                merchant = rng.choice(MERCHANTS[category][region])
                draws.append(
                    _Draw(
                        at=_when(rng, spend_end, p_end - timedelta(minutes=5), HOURS[category]),
                        amount=round(rng.uniform(5, 60), 2),
                        type=Transaction.Type.CARD_PAYMENT,
                        category=category,
                        description=f"Card payment at {merchant}",
                        merchant=merchant,
                        pending=True,
                    )
                )
        trips = []
        for currency in plan.extra:
            if number not in travel_periods[currency]:
                continue
            duration = rng.randint(3, 7)
            latest = spend_end - timedelta(days=duration + 1)
            trip_start = _when(rng, p_start, max(latest, p_start + timedelta(days=1)), (7, 9))
            trip = _plan_trip(rng, currency, trip_start, duration, spend_end)
            airline = rng.choice(AIRLINES[region])
            draws.append(
                _Draw(
                    at=trip_start - timedelta(hours=1),
                    amount=round(rng.uniform(180, 900), 2),
                    type=Transaction.Type.CARD_PAYMENT,
                    category="travel",
                    description=f"Card payment at {airline}",
                    merchant=airline,
                )
            )
            draws.append(trip.fx)
            draws.append(
                _Draw(
                    at=trip_start + timedelta(minutes=1),
                    amount=round(trip.fx.amount * 0.005, 2),
                    type=Transaction.Type.FEE,
                    category="fees",
                    description=f"FX fee {home} to {currency}",
                    rail=FEES,
                )
            )
            trips.append(trip)

        _scale(draws, budget=plan.salary * SPEND_SHARE)
        for draw in draws:
            if draw.type == Transaction.Type.FX:
                continue
            items.append(_item(wallets[home], draw))
        items.append(_item(wallets[home], salary))
        for draw in shopping:
            if refund_roll < 0.25:
                refund_roll = 1.0  # at most one refund a month
                items.append(
                    HistoryItem(
                        wallet=wallets[home],
                        booked_at=_within(draw.at + timedelta(days=refund_days), draw.at, spend_end),
                        amount=_minor(draw.amount * refund_share, home),
                        type=Transaction.Type.REFUND,
                        category="refund",
                        description=f"Refund from {draw.merchant}",
                        merchant_name=draw.merchant,
                    )
                )
        for trip in trips:
            items.extend(_trip_items(trip, home=wallets[home], abroad=wallets[trip.currency]))
        if currencies.POINTS in wallets:
            card_spend = sum(d.amount for d in draws if d.type == Transaction.Type.CARD_PAYMENT and not d.pending)
            if number % 4 == 3 and points_balance >= 500:
                redeemed = points_balance // 500 * 500
                points_balance -= redeemed
                items.append(
                    HistoryItem(
                        wallet=wallets[currencies.POINTS],
                        booked_at=p_start + timedelta(days=3, hours=10),
                        amount=-redeemed,
                        type=Transaction.Type.POINTS,
                        category="points",
                        description=rng.choice(("Points redeemed: gift card", "Points redeemed: statement credit")),
                        rail=POINTS_ISSUANCE,
                    )
                )
            earned = max(1, int(card_spend))
            points_balance += earned
            items.append(
                HistoryItem(
                    wallet=wallets[currencies.POINTS],
                    booked_at=spend_end - timedelta(hours=1),
                    amount=earned,
                    type=Transaction.Type.POINTS,
                    category="points",
                    description="Points earned on card spending",
                    rail=POINTS_ISSUANCE,
                )
            )
    return items


def _within(moment: datetime, start: datetime, end: datetime) -> datetime:
    """``moment`` kept inside (start, end)."""
    if moment >= end:
        moment = end - timedelta(minutes=7)
    return max(moment, start + timedelta(minutes=1))


def _scale(draws: list[_Draw], *, budget: float) -> None:
    """Scale the flexible spending so the month's money out stays within ``budget``."""
    fixed = sum(d.amount for d in draws if d.out and not d.flexible)
    flexible = sum(d.amount for d in draws if d.out and d.flexible)
    room = budget - fixed
    if flexible > room > 0:
        factor = room / flexible
        for draw in draws:
            if draw.out and draw.flexible:
                draw.amount = round(draw.amount * factor, 2)


def _item(wallet: Wallet, draw: _Draw) -> HistoryItem:
    amount = _minor(draw.amount, wallet.currency)
    return HistoryItem(
        wallet=wallet,
        booked_at=draw.at,
        amount=-amount if draw.out else amount,
        type=draw.type,
        category=draw.category,
        description=draw.description,
        counterparty=draw.counterparty,
        merchant_name=draw.merchant,
        rail=draw.rail,
        pending=draw.pending,
    )


@dataclass
class _Trip:
    """A few days abroad: an exchange from the home wallet, then spending in the foreign wallet."""

    currency: str
    fx: _Draw
    planned: float  # the exchange before the month's scaling
    spends: list[tuple[str, str, float, datetime]]  # category, merchant, USD-equivalent amount, when


def _plan_trip(rng: random.Random, currency: str, start: datetime, duration: int, end: datetime) -> _Trip:
    region = REGION[currency]
    checkout = _midnight((start + timedelta(days=duration - 1)).date())
    hotel = rng.choice(HOTELS[currency.lower()])
    spends = [("travel", hotel, (duration - 1) * rng.uniform(90, 220), checkout + timedelta(hours=10))]
    for category, low_count, high_count, low, high in (
        ("dining", 2, 6, 8, 60),
        ("transport", 1, 4, 3, 35),
        ("shopping", 0, 2, 15, 120),
        ("groceries", 0, 2, 5, 40),
    ):
        for _ in range(rng.randint(low_count, high_count)):
            day = rng.randint(0, duration - 1)
            at = _midnight((start + timedelta(days=day)).date()) + timedelta(hours=rng.uniform(*HOURS[category]))
            spends.append((category, rng.choice(MERCHANTS[category][region]), rng.uniform(low, high), at))
    spends = [(c, m, a, _within(at, start + timedelta(minutes=5), end)) for c, m, a, at in spends]
    # Exchange enough for the trip with some to spare, in round amounts.
    planned = float(math.ceil(sum(a for _, _, a, _ in spends) / 0.9 / 50) * 50)
    fx = _Draw(
        at=start,
        amount=planned,
        type=Transaction.Type.FX,
        category="transfer",
        description=f"Exchange to {currency}",
    )
    return _Trip(currency=currency, fx=fx, planned=planned, spends=spends)


def _trip_items(trip: _Trip, *, home: Wallet, abroad: Wallet) -> list[HistoryItem]:
    """The exchange and the spending abroad. The month's budget may have scaled the exchange down; the spending
    follows, so it always stays within what was exchanged (the foreign wallet never goes below zero)."""
    factor = trip.fx.amount / trip.planned
    items = [
        HistoryItem(
            wallet=home,
            booked_at=trip.fx.at,
            amount=-_minor(trip.fx.amount, home.currency),
            type=Transaction.Type.FX,
            category="transfer",
            description=f"Exchange {home.currency} to {abroad.currency}",
            rail=FX,
            counter_wallet=abroad,
            counter_amount=_minor(trip.fx.amount * 0.995, abroad.currency),  # the exchange keeps a small spread
        )
    ]
    for category, merchant, amount, at in trip.spends:
        items.append(
            HistoryItem(
                wallet=abroad,
                booked_at=at,
                amount=-_minor(amount * factor, abroad.currency),
                type=Transaction.Type.CARD_PAYMENT,
                category=category,
                description=f"Card payment at {merchant}",
                merchant_name=merchant,
            )
        )
    return items
