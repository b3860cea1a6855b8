"""Portal URLs of apps.offers, mounted at /portal/offers/ under the ``portal`` namespace (config/urls.py)."""

from django.urls import path

from apps.offers.portal import views

urlpatterns = [
    path("", views.OfferListView.as_view(), name="offers"),
    path("new/", views.OfferCreateView.as_view(), name="offers-create"),
    path("<str:offer_id>/pause/", views.OfferPauseView.as_view(), name="offers-pause"),
]
