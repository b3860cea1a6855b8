"""Portal URLs for API keys, under /portal/keys/ in the ``portal`` namespace."""

from django.urls import path

from apps.partners.portal import keys

urlpatterns = [
    path("", keys.KeyListView.as_view(), name="keys-list"),
    path("new/", keys.KeyCreateView.as_view(), name="keys-create"),
    path("<str:key_id>/revoke/", keys.KeyRevokeView.as_view(), name="keys-revoke"),
    path("<str:key_id>/roll/", keys.KeyRollView.as_view(), name="keys-roll"),
]
