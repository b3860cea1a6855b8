"""Fixtures of the OAuth server tests: an app with a holder who can sign in (``s``) and a browser (``client``)."""

import pytest
from django.test import Client

from tests.oauth_clients import flow


@pytest.fixture
def s() -> flow.Setup:
    return flow.setup()


@pytest.fixture
def client() -> Client:
    return Client()
