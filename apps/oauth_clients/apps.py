from django.apps import AppConfig


class OauthClientsConfig(AppConfig):
    name = "apps.oauth_clients"
    label = "oauth_clients"
