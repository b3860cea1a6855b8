from django.urls import path

from apps.transfers.fx_apis import FxQuoteCreateApi, FxQuoteRetrieveApi

urlpatterns = [
    path("fx/quotes", FxQuoteCreateApi.as_view(), name="fx-quote-create"),
    path("fx/quotes/<str:quote_id>", FxQuoteRetrieveApi.as_view(), name="fx-quote-retrieve"),
]
