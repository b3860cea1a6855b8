"""Fixtures shared by the tests of ``apps.core``."""

import socket

import pytest


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: bound by the OS, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
