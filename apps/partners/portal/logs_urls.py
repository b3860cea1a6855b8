from django.urls import path
from django.views.generic import TemplateView

# Being built: replaced by the area's real views.
urlpatterns = [path("", TemplateView.as_view(template_name="portal/base.html"), name="logs-list")]
