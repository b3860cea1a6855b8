from django.urls import path

from apps.partners.apis import PartnerRetrieveApi

urlpatterns = [
    path("partner", PartnerRetrieveApi.as_view(), name="partner-retrieve"),
]
