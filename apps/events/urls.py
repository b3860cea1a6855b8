from django.urls import path

from apps.events.apis import EventListApi, EventRetrieveApi

urlpatterns = [
    path("events", EventListApi.as_view(), name="event-list"),
    path("events/<str:event_id>", EventRetrieveApi.as_view(), name="event-retrieve"),
]
