"""``http.Session``: connections reused per hostname, never across hostnames; every request still checked."""

import pytest

from apps.core import http


class TestSession:
    def test_requests_to_one_host_reuse_one_connection(self, receiver):
        session = http.Session()
        try:
            for _ in range(3):
                assert http.post_json(receiver.url + "/x", body=b"{}", session=session).status_code == 200
        finally:
            session.close()

        assert len({r.client_port for r in receiver.wait_for(3)}) == 1

    def test_two_hostnames_on_one_address_never_share_a_connection(self, receiver):
        session = http.Session()
        try:
            http.post_json(f"http://127.0.0.1:{receiver.server_port}/a", body=b"{}", session=session)
            http.post_json(f"http://localhost:{receiver.server_port}/b", body=b"{}", session=session)
        finally:
            session.close()

        first, second = receiver.wait_for(2)
        assert first.client_port != second.client_port

    def test_the_guard_still_runs_on_every_request(self, receiver, settings):
        session = http.Session()
        try:
            http.post_json(receiver.url + "/x", body=b"{}", session=session)
            settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False
            with pytest.raises(http.UnsafeUrl):
                http.post_json(receiver.url + "/x", body=b"{}", session=session)
        finally:
            session.close()

        assert len(receiver.wait_for(2, timeout=0.3)) == 1

    def test_least_recently_used_clients_are_closed_past_the_cap(self, receiver):
        session = http.Session(max_hosts=1)
        try:
            http.post_json(f"http://127.0.0.1:{receiver.server_port}/a", body=b"{}", session=session)
            http.post_json(f"http://localhost:{receiver.server_port}/b", body=b"{}", session=session)
            assert len(session._clients) == 1
        finally:
            session.close()
