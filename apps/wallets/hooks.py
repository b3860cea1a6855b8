"""Hooks layers above the wallets register at start-up to act on the wallets' writes without being imported by
them: ``add_holder_created_hook`` (the sanctions screening of apps.risk screens every new holder)."""

from collections.abc import Callable

from apps.wallets.models import WalletHolder

HolderHook = Callable[[WalletHolder], object]
_holder_created_hooks: list[HolderHook] = []


def add_holder_created_hook(hook: HolderHook) -> None:
    """Run ``hook(holder)`` for every holder ``holder_create`` makes, inside its transaction."""
    if hook not in _holder_created_hooks:
        _holder_created_hooks.append(hook)


def holder_created(holder: WalletHolder) -> WalletHolder:
    """Run the holder-created hooks on ``holder`` (which they may change, e.g. freeze) and return it."""
    for hook in _holder_created_hooks:
        hook(holder)
    return holder
