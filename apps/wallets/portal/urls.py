from django.urls import path

from apps.wallets.portal.views import HolderSignupDoneView, HolderSignupView

app_name = "holders"

urlpatterns = [
    path("signup/", HolderSignupView.as_view(), name="signup"),
    path("signup/done/", HolderSignupDoneView.as_view(), name="signup-done"),
]
