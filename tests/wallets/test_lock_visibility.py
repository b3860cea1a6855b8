"""The wallet lock on the posting path (``apps.wallets.store.lock_visible_wallets``) runs the ``wallet_visibility``
rule compiled once per shape of principal and filled in with each call's values; every other read runs the rule
through the ORM. For each kind of principal, asked about every wallet, both must select exactly the same wallets,
whichever principal compiled the cached statement first."""

import pytest
from django.db import transaction

from apps.core.principal import Principal
from apps.core.scopes import SANDBOX_WRITE, TRANSFERS_WRITE
from apps.wallets.models import Wallet
from apps.wallets.selectors import wallet_visibility
from apps.wallets.store import lock_visible_wallets
from tests.partners.factories import PartnerFactory
from tests.wallets.factories import make_holder, make_wallet, oauth_principal


def _via_lock(principal: Principal) -> set[str]:
    every = Wallet.objects.values_list("public_id", flat=True)
    with transaction.atomic():
        locked = lock_visible_wallets(principal, every)
    assert all(wallet.public_id == public_id for public_id, wallet in locked.items())
    return set(locked)


def _via_orm(principal: Principal) -> set[str]:
    return set(Wallet.objects.filter(wallet_visibility(principal)).values_list("public_id", flat=True))


@pytest.fixture
def world(partner, sandbox):
    """Two partners' sandbox holders and two live holders, each with two wallets."""
    other = PartnerFactory()
    live, _ = partner.environments.get_or_create(kind="live")
    holders = {
        "mine": make_holder(partner=partner, name="Mine"),
        "mine_too": make_holder(partner=partner, name="Mine too"),
        "theirs": make_holder(partner=other, name="Theirs"),
        "live": make_holder(environment="live", name="Live one"),
        "live_other": make_holder(environment="live", name="Live two"),
    }
    wallets = {
        name: [make_wallet(holder=h, currency="USD"), make_wallet(holder=h, currency="EUR")]
        for name, h in holders.items()
    }
    return {
        "partner": partner,
        "sandbox": sandbox,
        "live": live,
        "other": other,
        "holders": holders,
        "wallets": wallets,
    }


def _principals(world):
    partner, sandbox, live = world["partner"], world["sandbox"], world["live"]
    holders, wallets = world["holders"], world["wallets"]
    key = {
        "credential_type": "api_key",
        "credential_id": "key_test",
        "scopes": frozenset({SANDBOX_WRITE, TRANSFERS_WRITE}),
    }
    return {
        "sandbox secret key": Principal(partner=partner, environment=sandbox, **key),
        "live secret key": Principal(partner=partner, environment=live, **key),
        "sandbox holder token": oauth_principal(partner=partner, environment=sandbox, holder=holders["mine"]),
        "sandbox token for one wallet": oauth_principal(
            partner=partner, environment=sandbox, holder=holders["mine"], wallets=wallets["mine"][:1]
        ),
        "token with no wallets": oauth_principal(
            partner=partner, environment=sandbox, holder=holders["mine"], wallets=[]
        ),
        "token naming another holder's wallet": oauth_principal(
            partner=partner, environment=sandbox, holder=holders["mine"], wallets=[wallets["mine_too"][0]]
        ),
        "live holder token": oauth_principal(partner=partner, environment=live, holder=holders["live"]),
        "live token for one wallet": oauth_principal(
            partner=partner, environment=live, holder=holders["live"], wallets=wallets["live"][1:]
        ),
        "sandbox token of another partner's holder": oauth_principal(
            partner=partner, environment=sandbox, holder=holders["theirs"]
        ),
    }


def test_the_lock_and_the_orm_select_the_same_wallets_for_every_principal(world):
    for name, principal in _principals(world).items():
        assert _via_lock(principal) == _via_orm(principal), name
    # Again in the other order: the statements are cached by shape, and must not remember a principal's values.
    for name, principal in reversed(_principals(world).items()):
        assert _via_lock(principal) == _via_orm(principal), name


def test_the_filters_are_not_trivially_equal(world):
    # The comparison above means something only if principals see different, non-empty sets.
    seen = {name: frozenset(_via_lock(principal)) for name, principal in _principals(world).items()}
    mine = {w.public_id for name in ("mine", "mine_too") for w in world["wallets"][name]}
    assert seen["sandbox secret key"] == mine
    assert seen["sandbox token for one wallet"] == {world["wallets"]["mine"][0].public_id}
    assert seen["token with no wallets"] == frozenset()
    assert seen["token naming another holder's wallet"] == frozenset()
    assert seen["live secret key"] == frozenset()
    assert seen["live holder token"] == {w.public_id for w in world["wallets"]["live"]}
    assert seen["sandbox token of another partner's holder"] == frozenset()
