from django.urls import path

from apps.oauth_clients.apis.consents import ConsentListApi, ConsentRetrieveApi, ConsentRevokeApi

urlpatterns = [
    path("consents", ConsentListApi.as_view(), name="consent-list"),
    path("consents/<str:consent_id>", ConsentRetrieveApi.as_view(), name="consent-retrieve"),
    path("consents/<str:consent_id>/revoke", ConsentRevokeApi.as_view(), name="consent-revoke"),
]
