"""The network fetcher against scripted loopback servers: redirects, SSRF refusals, timeouts, caps.

Each test allow-lists exactly its own server's host:port; every other address (other loopback
addresses and ports included) is refused by the guard, and a loopback-only backend under the guard
fails the test if anything but loopback were ever dialled.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from pathlib import Path

import pytest

from dailydigest.errors import FetchError
from dailydigest.ports import FetchFailure, WebRequest, WebResponse
from tests.support.loopback_web import (
    Gauge,
    LoopbackWeb,
    client,
    names,
)

pytestmark = pytest.mark.integration

HTML = ("text/html", "application/xhtml+xml")
PAGE = "<html><body><article><p>雲雀模型今天發表新版本。</p></article></body></html>"


def _one(
    web: LoopbackWeb, path: str, accept: tuple[str, ...] = HTML, **limits: object
) -> WebResponse | FetchFailure:
    return client(web, **limits).get_many([WebRequest(web.url(path), accept)])[0]


def test_a_page_is_fetched_with_its_type_and_final_url(web: LoopbackWeb) -> None:
    web.add("/a.html", PAGE)
    result = _one(web, "/a.html")
    assert isinstance(result, WebResponse)
    assert (result.status, result.content_type, result.body.decode()) == (
        200,
        "text/html; charset=utf-8",
        PAGE,
    )
    assert result.url == web.url("/a.html")
    assert web.requests[0].headers["user-agent"].startswith("dailydigest/")


def test_a_redirect_chain_is_followed_to_the_end(web: LoopbackWeb) -> None:
    web.redirect("/r1", "/r2", status=301)
    web.redirect("/r2", web.url("/r3"), status=307)
    web.redirect("/r3", "/final.html", status=308)
    web.add("/final.html", PAGE)

    result = _one(web, "/r1")

    assert isinstance(result, WebResponse)
    assert result.url == web.url("/final.html")
    assert web.paths() == ["/r1", "/r2", "/r3", "/final.html"]


def test_too_many_redirects_stop(web: LoopbackWeb) -> None:
    web.redirect("/loop", "/loop")
    result = _one(web, "/loop", max_redirects=3)
    assert isinstance(result, FetchFailure)
    assert result.reason == "more than 3 redirects"
    assert len(web.requests) == 4


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.2:{other}/", "loopback address"),  # another loopback address
        ("http://127.0.0.1:{other}/", "loopback address"),  # our address, another port
        ("http://localhost:{other}/", "loopback address"),  # a name for a refused address
        ("http://[::ffff:127.0.0.1]:{port}/", "ipv4-mapped"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://10.0.0.1/admin", "private address"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("http://user:secret@127.0.0.1:{port}/a.html", "credentials in url"),
    ],
)
def test_a_redirect_out_of_the_allow_list_is_refused(
    web: LoopbackWeb, elsewhere: LoopbackWeb, target: str, reason: str
) -> None:
    web.add("/a.html", PAGE)
    web.redirect("/go", target.format(port=web.port, other=elsewhere.port))

    result = _one(web, "/go")

    assert isinstance(result, FetchFailure)
    assert reason in result.reason
    assert elsewhere.requests == []
    assert web.paths() == ["/go"]


def test_an_address_outside_the_allow_list_is_refused_before_connecting(elsewhere: LoopbackWeb) -> None:
    with LoopbackWeb() as allowed:
        fetcher = client(allowed)
        result = fetcher.get_many([WebRequest(elsewhere.url("/"))])[0]
    assert isinstance(result, FetchFailure)
    assert "refused" in result.reason
    assert elsewhere.requests == []
    assert fetcher.backend.dialled == []


def test_the_connection_goes_to_the_checked_address_under_the_hosts_name(web: LoopbackWeb) -> None:
    # news.test resolves (in the test's own name table) to the server; the allow-list names it.
    web.add("/a.html", PAGE)
    fetcher = client(allow=[f"news.test:{web.port}"], resolver=names({"news.test": "127.0.0.1"}))

    result = fetcher.get_many([WebRequest(f"http://news.test:{web.port}/a.html", HTML)])[0]

    assert isinstance(result, WebResponse)
    assert web.requests[0].headers["host"] == f"news.test:{web.port}"
    assert fetcher.backend.dialled == [("127.0.0.1", web.port)]


def test_a_name_resolving_to_a_refused_address_is_not_dialled(
    web: LoopbackWeb, elsewhere: LoopbackWeb
) -> None:
    fetcher = client(web, resolver=names({"rebind.test": "127.0.0.2"}))
    result = fetcher.get_many([WebRequest(f"http://rebind.test:{elsewhere.port}/")])[0]
    assert isinstance(result, FetchFailure)
    assert "loopback address" in result.reason
    assert elsewhere.requests == []
    assert fetcher.backend.dialled == []


def test_the_allow_list_names_a_destination_whatever_name_leads_there(web: LoopbackWeb) -> None:
    # 127.0.0.1:port is allow-listed: a name resolving there reaches the same, allowed, server.
    web.add("/a.html", PAGE)
    fetcher = client(web, resolver=names({"alias.test": "127.0.0.1"}))
    result = fetcher.get_many([WebRequest(f"http://alias.test:{web.port}/a.html", HTML)])[0]
    assert isinstance(result, WebResponse)


def test_an_api_key_header_does_not_follow_a_redirect_to_another_origin(web: LoopbackWeb) -> None:
    with LoopbackWeb() as other:
        other.add("/data", "{}", content_type="application/json")
        web.redirect("/api", other.url("/data"))
        web.add("/same", "{}", content_type="application/json")
        web.redirect("/api-same", "/same")
        fetcher = client(web, other)
        headers = (("X-Api-Key", "secret-key"),)
        fetcher.get_many(
            [WebRequest(web.url("/api"), headers=headers), WebRequest(web.url("/api-same"), headers=headers)]
        )
    assert [r.headers.get("x-api-key") for r in web.requests] == ["secret-key", "secret-key", "secret-key"]
    assert other.requests[0].headers.get("x-api-key") is None


def test_a_slow_page_times_out(web: LoopbackWeb) -> None:
    web.add("/slow.html", PAGE, delay=1.5)
    result = _one(web, "/slow.html", read_timeout=0.3)
    assert isinstance(result, FetchFailure)
    assert result.reason == "read timed out"


def test_a_trickling_page_hits_the_deadline(web: LoopbackWeb) -> None:
    # Each chunk arrives within the read timeout; the whole never does within the deadline.
    web.add("/trickle.html", PAGE * 40, chunk_size=64, chunk_delay=0.1)
    result = _one(web, "/trickle.html", read_timeout=1.0, deadline=0.5)
    assert isinstance(result, FetchFailure)
    assert result.reason == "deadline of 0.5s exceeded"


def test_an_error_status_is_a_response_without_a_body(web: LoopbackWeb) -> None:
    web.add("/broken", "stack trace here", status=500, content_type="text/plain")
    result = _one(web, "/broken")
    assert isinstance(result, WebResponse)
    assert (result.status, result.body) == (500, b"")


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({}, "too large: 300006 bytes declared"),
        ({"send_length": False}, "too large: over 100000 bytes"),
        ({"gzip": True}, "too large: over 100000 bytes"),
    ],
)
def test_an_oversized_body_is_aborted(web: LoopbackWeb, options: dict[str, object], reason: str) -> None:
    body = b"<html>" + b"x" * 300_000 if not options.get("gzip") else b"\0" * 5_000_000  # a small gzip bomb
    web.add("/big.html", body, **options)
    result = _one(web, "/big.html", max_bytes=100_000)
    assert isinstance(result, FetchFailure)
    assert result.reason.startswith(reason)


def test_an_endless_body_is_aborted_mid_stream(web: LoopbackWeb) -> None:
    # Given a page of 20 MB without a Content-Length, trickled in 64 KiB chunks (about 15 s in all)
    web.add(
        "/endless.html", b"<p>" + b"x" * 20_000_000, send_length=False, chunk_size=65_536, chunk_delay=0.05
    )

    # When it is fetched with a 100 kB cap
    result = _one(web, "/endless.html", max_bytes=100_000)

    # Then the fetch stops a few chunks in, not after reading the whole body
    assert isinstance(result, FetchFailure)
    assert result.reason == "too large: over 100000 bytes"
    assert web.sent["/endless.html"] < 1_000_000


def test_a_connection_that_is_never_accepted_hits_the_connect_timeout() -> None:
    # Given a loopback port whose accept queue is full (listen(0), filled, never accepted), where
    # a new connection's handshake never completes
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
            time.sleep(0.05)

            fetcher = client(allow=[f"127.0.0.1:{port}"], connect_timeout=0.3, read_timeout=5.0)
            result = fetcher.get_many([WebRequest(f"http://127.0.0.1:{port}/", HTML)])[0]
        finally:
            for filler in fillers:
                filler.close()

    # Then the fetch gives up at the connect timeout, not the read timeout
    assert isinstance(result, FetchFailure)
    assert result.reason == "connect timed out"


def test_every_redirect_hop_is_resolved_and_checked_again(web: LoopbackWeb, elsewhere: LoopbackWeb) -> None:
    # Given an allowed first hop that redirects to a name resolving to a loopback address
    # outside the allow-list
    web.redirect("/go", f"http://rebind.test:{elsewhere.port}/")
    fetcher = client(web, resolver=names({"rebind.test": "127.0.0.2"}))

    result = fetcher.get_many([WebRequest(web.url("/go"))])[0]

    # Then the second hop is refused by its address, and only the first hop was ever dialled
    assert isinstance(result, FetchFailure)
    assert "refused rebind.test" in result.reason
    assert "loopback address" in result.reason
    assert elsewhere.requests == []
    assert fetcher.backend.dialled == [("127.0.0.1", web.port)]


def test_a_gzip_page_is_decompressed(web: LoopbackWeb) -> None:
    web.add("/z.html", PAGE, gzip=True)
    result = _one(web, "/z.html")
    assert isinstance(result, WebResponse)
    assert result.body.decode() == PAGE
    assert "gzip" in web.requests[0].headers["accept-encoding"]


def test_content_that_is_not_a_page_is_refused_unread(web: LoopbackWeb) -> None:
    web.add("/report.pdf", b"%PDF-1.7" + b"\0" * 200_000, content_type="application/pdf")
    result = _one(web, "/report.pdf")
    assert isinstance(result, FetchFailure)
    assert result.reason == "unexpected content type application/pdf"


def test_get_raises_for_a_failure_and_answers_for_a_status(web: LoopbackWeb) -> None:
    web.add("/missing", "", status=404, content_type="text/plain")
    fetcher = client(web)
    assert fetcher.get(web.url("/missing")).status == 404
    with pytest.raises(FetchError, match="refused"):
        fetcher.get("http://127.0.0.3:9/")


def test_one_bad_url_does_not_spoil_the_batch(web: LoopbackWeb) -> None:
    web.add("/good.html", PAGE)
    web.add("/slow.html", PAGE, delay=1.0)
    results = client(web, read_timeout=0.3).get_many(
        [
            WebRequest(web.url("/good.html"), HTML),
            WebRequest(web.url("/slow.html"), HTML),
            WebRequest("not a url"),
        ]
    )
    assert isinstance(results[0], WebResponse)
    assert isinstance(results[1], FetchFailure)
    assert isinstance(results[2], FetchFailure)


def test_concurrency_is_capped_per_host_and_overall() -> None:
    # Given two servers, each with 12 slow pages, and a gauge counting requests across both
    overall = Gauge()
    with LoopbackWeb(also_count=overall) as first, LoopbackWeb(also_count=overall) as second:
        for web in (first, second):
            for i in range(12):
                web.add(f"/p{i}.html", PAGE, delay=0.2)
        requests = [WebRequest(w.url(f"/p{i}.html"), HTML) for w in (first, second) for i in range(12)]

        # When all 24 are fetched with at most 5 in flight, 3 per host
        results = client(first, second, concurrency=5, per_host=3).get_many(requests)

    # Then every page arrives, and the caps were used but never exceeded
    assert all(isinstance(r, WebResponse) for r in results)
    assert first.in_flight.peak <= 3
    assert second.in_flight.peak <= 3
    assert 4 <= overall.peak <= 5


def test_pages_are_fetched_concurrently(web: LoopbackWeb) -> None:
    for i in range(10):
        web.add(f"/p{i}.html", PAGE, delay=0.3)
    results = client(web, per_host=10).get_many([WebRequest(web.url(f"/p{i}.html"), HTML) for i in range(10)])
    assert all(isinstance(r, WebResponse) for r in results)
    assert web.in_flight.peak == 10  # ten slow pages at once, not one after another


def test_a_batch_can_be_fetched_from_inside_an_event_loop(web: LoopbackWeb) -> None:
    # The synchronous port, called where a loop already runs (an async caller, a notebook)
    web.add("/a.html", PAGE)

    async def caller() -> list[WebResponse | FetchFailure]:
        return client(web).get_many([WebRequest(web.url("/a.html"), HTML), WebRequest("not a url")])

    page, failure = asyncio.run(caller())

    assert isinstance(page, WebResponse) and page.body.decode() == PAGE
    assert isinstance(failure, FetchFailure)


def _tls(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A throwaway CA, a certificate for `name` signed by it: (server context, client context)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dailydigest test ca")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "leaf.pem", tmp_path / "leaf.key"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client_context = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return server, client_context


def test_https_verifies_the_hosts_name_while_connecting_to_the_checked_address(tmp_path: Path) -> None:
    server_tls, client_tls = _tls(tmp_path, "news.test")
    with LoopbackWeb(tls=server_tls) as web:
        web.add("/a.html", PAGE)
        fetcher = client(allow=[f"news.test:{web.port}"], resolver=names({"news.test": "127.0.0.1"}))
        fetcher.ssl_context = client_tls

        result = fetcher.get_many([WebRequest(f"https://news.test:{web.port}/a.html", HTML)])[0]

        assert isinstance(result, WebResponse), result
        assert result.body.decode() == PAGE
        assert web.server_names == ["news.test"]  # SNI carries the name, not the address
        assert web.requests[0].headers["host"] == f"news.test:{web.port}"
        assert fetcher.backend.dialled == [("127.0.0.1", web.port)]


def test_https_refuses_a_certificate_for_another_name(tmp_path: Path) -> None:
    server_tls, client_tls = _tls(tmp_path, "other.test")
    with LoopbackWeb(tls=server_tls) as web:
        web.add("/a.html", PAGE)
        fetcher = client(allow=[f"news.test:{web.port}"], resolver=names({"news.test": "127.0.0.1"}))
        fetcher.ssl_context = client_tls

        result = fetcher.get_many([WebRequest(f"https://news.test:{web.port}/a.html", HTML)])[0]

        assert isinstance(result, FetchFailure)
        assert "certificate" in result.reason.lower()
        assert web.requests == []


@pytest.mark.parametrize(
    "location",
    [
        "http:x",  # a scheme and no host: httpx.InvalidURL from URL.join, not an HTTPError
        "http://[::1",  # an unclosed IPv6 literal
        "http://exa mple.example/",  # a space in the host
        "https://x.example:99999/",  # a port out of range
        "http://\x7f.example/",  # a non-printable character
        "javascript:alert(1)",  # a scheme that is not fetched
    ],
)
def test_a_malformed_redirect_fails_that_page_only(web: LoopbackWeb, location: str) -> None:
    # Given a batch where one page redirects to a Location httpx cannot follow
    web.add("/good.html", PAGE)
    web.redirect("/bad", location)
    # When the batch is fetched
    results = client(web).get_many(
        [WebRequest(web.url("/bad"), HTML), WebRequest(web.url("/good.html"), HTML)]
    )
    # Then that page failed with a reason, and the other page still came
    assert isinstance(results[0], FetchFailure) and results[0].reason
    assert isinstance(results[1], WebResponse) and results[1].status == 200


def _raw_server(answer: bytes) -> tuple[socket.socket, int]:
    """A loopback server that answers every connection with `answer` bytes, whatever was asked."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65_536)
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",  # an unreadable length
        b"NOT HTTP AT ALL\r\n\r\n",  # not an HTTP status line
        b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort",  # the body ends early
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  # a bad chunk size
    ],
)
def test_a_protocol_error_fails_that_page_only(web: LoopbackWeb, answer: bytes) -> None:
    listener, port = _raw_server(answer)
    web.add("/good.html", PAGE)
    try:
        fetcher = client(web, allow=[f"127.0.0.1:{port}"], read_timeout=2.0)
        results = fetcher.get_many(
            [WebRequest(f"http://127.0.0.1:{port}/page", HTML), WebRequest(web.url("/good.html"), HTML)]
        )
    finally:
        listener.close()
    assert isinstance(results[0], FetchFailure) and results[0].reason
    assert isinstance(results[1], WebResponse) and results[1].status == 200
