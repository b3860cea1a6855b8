from django.urls import path

from apps.risk.apis.verifications import VerificationListCreateApi, VerificationRetrieveApi

urlpatterns = [
    path(
        "wallet_holders/<str:holder_id>/verifications",
        VerificationListCreateApi.as_view(),
        name="holder-verification-list",
    ),
    path(
        "wallet_holders/<str:holder_id>/verifications/<str:verification_id>",
        VerificationRetrieveApi.as_view(),
        name="holder-verification-retrieve",
    ),
]
