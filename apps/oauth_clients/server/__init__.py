"""The OAuth 2.0 authorization server: django-oauth-toolkit's endpoints with Causeway's rules
(``validator.CausewayValidator``), the token, revocation, introspection and discovery views (``views``) and the
holder's consent screen (``consent``, ``holder_session``). Only the endpoints in ``apps.oauth_clients.urls``
are mounted; DOT's own management views are not."""
