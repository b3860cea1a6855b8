"""The base of every view over a holder's data (here and in ``apps.transfers``): its scopes are the ones
``selectors.holder_data_scopes`` grants the credential."""

from rest_framework.views import APIView

from apps.core.permissions import ScopeDeclaration
from apps.core.principal import Principal
from apps.core.scopes import SANDBOX_WRITE
from apps.wallets.selectors import holder_data_scopes


class HolderDataApi(APIView):
    """A view over holder data: ``required_scopes`` are checked against ``selectors.holder_data_scopes`` (403
    ``insufficient_scope`` naming what is missing, with a hint when the credential is a secret key)."""

    required_scopes: ScopeDeclaration = ()

    def scopes_held(self, principal: Principal) -> frozenset[str]:
        return holder_data_scopes(principal)

    def scope_hint(self, principal: Principal) -> str:
        if principal.holder is None and not principal.is_sandbox:
            return " Live wallet holders' data is read with an OAuth access token the holder consented to."
        if principal.holder is None:
            return f" In sandbox, a secret key reads its sandbox holders when it has the {SANDBOX_WRITE} scope."
        return ""


class HolderSandboxWriteApi(HolderDataApi):
    """A view over holder data whose writes need ``sandbox:write``, which counts only in sandbox: the holders a
    partner credential may change are its sandbox personas; a live holder's data changes only through the holder
    (or the bank), never a partner's key."""

    required_scopes: dict[str, tuple[str, ...]] = {}

    def scopes_held(self, principal: Principal) -> frozenset[str]:
        held = holder_data_scopes(principal)
        return held if principal.is_sandbox else held - {SANDBOX_WRITE}
