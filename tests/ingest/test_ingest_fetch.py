"""Tests for tidings.ingest.fetch: URLs to reports over a loopback site, limits, and SSRF refusals."""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Iterator, Sequence

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loopback_site import Page, Site, serve_site

from tidings.errors import RejectedReportError
from tidings.ingest.fetch import FetchPolicy, HttpFetcher, describe_refused_address, is_url, read_url
from tidings.model import Rejection, Report
from tidings.settings import load_settings

ARTICLE = b"""<html><head><title>Barley for Bishkek</title>
<meta property="og:site_name" content="Tien Shan Tribune"></head><body><article>
<p>Kyrgyzstan agreed to buy barley worth 18 million dollars from Kazakhstan over the coming season,
the agriculture ministry in Bishkek announced on Wednesday.</p>
<p>Millers in the Chuy valley had asked for the extra grain after a dry summer cut the local harvest.</p>
</article></body></html>"""

PLAIN = b"Mongolia raised coal sales to China to 9 million tonnes in the first quarter, customs data showed."
RECORD = b'{"id": "mn-7", "title": "Coal", "text": "Mongolia raised coal sales to China in the first quarter."}'
LOOPBACK = ("127.0.0.1/32",)
PUBLIC_IP = "93.184.216.34"  # a global address; the tests never connect to it


def make_pages() -> dict[str, Page]:
    """The pages of the test site."""
    return {
        "/article": Page(ARTICLE),
        "/plain": Page(PLAIN, content_type="text/plain"),
        "/record": Page(RECORD, content_type="application/json"),
        "/image": Page(b"\x89PNG\r\n\x1a\nrest", content_type="image/png"),
        "/octets": Page(PLAIN, content_type="application/octet-stream"),
        "/latin": Page(
            b"Caf\xe9 owners in Almaty said sugar prices rose by a fifth.",
            content_type="text/plain; charset=iso-8859-1",
        ),
        "/hop": Page(status=302, headers={"Location": "/article"}),
        "/hop-hop": Page(status=301, headers={"Location": "/hop"}),
        "/loop": Page(status=302, headers={"Location": "/loop"}),
        "/no-location": Page(status=302),
        "/bad-location": Page(status=302, headers={"Location": "http://[::1"}),
        "/to-private": Page(status=302, headers={"Location": "http://10.0.0.1/admin"}),
        "/to-metadata": Page(status=307, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
        "/to-file": Page(status=302, headers={"Location": "file:///etc/passwd"}),
        "/broken": Page(b"oops", status=500),
        "/slow": Page(ARTICLE, delay=10),
        "/endless": Page(endless=True),
        "/trickle": Page(endless=True, chunk=b"<p>word</p>", pause=0.1),
        "/huge": Page(b"<p>short</p>", headers={"Content-Length": "900000000"}),
        "/tagged": Page(ARTICLE, etag='"v7"', last_modified="Tue, 04 Jun 2024 08:00:00 GMT"),
    }


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """The test site on 127.0.0.1."""
    with serve_site(make_pages()) as served:
        yield served


@pytest.fixture(scope="module")
def fetcher() -> Iterator[HttpFetcher]:
    """A fetcher allowed to reach 127.0.0.1 only, with short limits."""
    policy = FetchPolicy(timeout=0.5, deadline=1.5, max_bytes=200_000, allowed_networks=LOOPBACK)
    with HttpFetcher(policy) as allowed:
        yield allowed


def read_one(url: str, fetcher: HttpFetcher) -> Report | Rejection:
    """The single item read_url gives for `url`."""
    [item] = read_url(url, fetcher=fetcher)
    return item


def reject_reason(url: str, fetcher: HttpFetcher) -> str:
    """The reason of the fetch rejection read_url gives for `url`."""
    item = read_one(url, fetcher)
    assert isinstance(item, Rejection), item
    assert (item.source, item.stage) == (url, "fetch")
    return item.reason


def test_fetch_reads_an_html_page_with_its_metadata(site: Site, fetcher: HttpFetcher) -> None:
    report = read_one(site.url("/article"), fetcher)
    assert isinstance(report, Report)
    assert report.text.startswith("Kyrgyzstan agreed to buy barley worth 18 million dollars")
    assert (report.title, report.outlet, report.url, report.source_path) == (
        "Barley for Bishkek",
        "Tien Shan Tribune",
        site.url("/article"),
        site.url("/article"),
    )


def test_fetch_stamps_fetched_at_in_utc(site: Site, fetcher: HttpFetcher) -> None:
    report = read_one(site.url("/plain"), fetcher)
    assert isinstance(report, Report)
    assert report.fetched_at is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", report.fetched_at)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/plain", PLAIN.decode()),
        ("/record", "Mongolia raised coal sales to China in the first quarter."),
        ("/latin", "Café owners in Almaty said sugar prices rose by a fifth."),
    ],
)
def test_fetch_content_type_picks_the_reader(site: Site, fetcher: HttpFetcher, path: str, expected: str) -> None:
    report = read_one(site.url(path), fetcher)
    assert isinstance(report, Report)
    assert report.text == expected


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/image", "unsupported content type 'image/png'; expected HTML, plain text, JSON or an RSS/Atom feed"),
        (
            "/octets",
            "unsupported content type 'application/octet-stream'; expected HTML, plain text, JSON or an RSS/Atom feed",
        ),
        ("/missing", "HTTP 404 Not Found"),
        ("/broken", "HTTP 500 Internal Server Error"),
        ("/loop", "too many redirects (more than 5)"),
        ("/no-location", "HTTP 302 redirect without a Location header"),
        ("/bad-location", "the server's response is broken (Invalid URL in location header: Invalid port: ':1'.)"),
        ("/huge", "too large (Content-Length 900,000,000 bytes; the limit is 200,000)"),
    ],
)
def test_fetch_rejects_with_a_clear_reason(site: Site, fetcher: HttpFetcher, path: str, reason: str) -> None:
    assert reject_reason(site.url(path), fetcher) == reason


@pytest.mark.parametrize("path", ["/hop", "/hop-hop"])
def test_fetch_follows_redirects_to_the_final_url(site: Site, fetcher: HttpFetcher, path: str) -> None:
    report = read_one(site.url(path), fetcher)
    assert isinstance(report, Report)
    assert (report.url, report.source_path) == (site.url("/article"), site.url(path))


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-private", "redirect to http://10.0.0.1/admin: refused private address 10.0.0.1"),
        ("/to-metadata", "redirect to http://169.254.169.254/latest/meta-data/: refused link-local address"),
        ("/to-file", "redirect to file:/etc/passwd: unsupported scheme 'file'"),
    ],
)
def test_fetch_refuses_a_redirect_to_a_refused_target(site: Site, fetcher: HttpFetcher, path: str, reason: str) -> None:
    assert reject_reason(site.url(path), fetcher).startswith(reason)


def test_fetch_refuses_a_redirect_outside_the_allowed_network(site: Site, fetcher: HttpFetcher) -> None:
    # 127.0.0.2 is loopback too, but only 127.0.0.1/32 is allowed.
    pages = {"/elsewhere": Page(status=302, headers={"Location": f"http://127.0.0.2:{site.port}/article"})}
    with serve_site(pages) as other:
        reason = reject_reason(other.url("/elsewhere"), fetcher)
    assert reason.startswith(f"redirect to http://127.0.0.2:{site.port}/article: refused loopback address 127.0.0.2")


def test_fetch_times_out_quickly_on_a_silent_server(site: Site, fetcher: HttpFetcher) -> None:
    started = time.monotonic()
    reason = reject_reason(site.url("/slow"), fetcher)
    assert reason == "timed out after 0.5s waiting for the server to send data"
    assert time.monotonic() - started < 3


def test_fetch_stops_a_trickling_body_at_the_deadline(site: Site, fetcher: HttpFetcher) -> None:
    started = time.monotonic()
    reason = reject_reason(site.url("/trickle"), fetcher)
    assert reason == "timed out: the whole fetch took longer than 1.5s"
    assert time.monotonic() - started < 3


def test_fetch_stops_reading_an_endless_body_at_the_size_limit(site: Site, fetcher: HttpFetcher) -> None:
    started = time.monotonic()
    reason = reject_reason(site.url("/endless"), fetcher)
    assert reason == "too large (more than 200,000 bytes; the limit is 200,000)"
    assert time.monotonic() - started < 3


def test_fetch_sends_validators_and_returns_an_empty_304(site: Site, fetcher: HttpFetcher) -> None:
    response = fetcher.fetch(site.url("/tagged"), headers={"If-None-Match": '"v7"'})
    assert (response.status, response.content, response.headers["etag"]) == (304, b"", '"v7"')
    assert site.requests[-1][1]["if-none-match"] == '"v7"'


def test_fetch_returns_the_validators_of_a_changed_page(site: Site, fetcher: HttpFetcher) -> None:
    response = fetcher.fetch(site.url("/tagged"), headers={"If-None-Match": '"v6"'})
    assert (response.status, response.headers["etag"]) == (200, '"v7"')
    assert response.headers["last-modified"] == "Tue, 04 Jun 2024 08:00:00 GMT"
    assert response.content == ARTICLE


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/", "refused loopback address 127.0.0.1"),
        ("http://[::1]:9/", "refused loopback address ::1"),
        ("http://10.20.30.40/", "refused private address 10.20.30.40"),
        ("http://192.168.1.1/router", "refused private address 192.168.1.1"),
        ("http://172.16.5.4/", "refused private address 172.16.5.4"),
        ("http://100.64.0.1/", "refused private address 100.64.0.1"),
        ("http://[fd00::5]/", "refused private address fd00::5"),
        ("http://[::ffff:10.0.0.1]/", "refused private address ::ffff:10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "refused link-local address 169.254.169.254"),
        ("http://0.0.0.0:8000/", "refused unspecified address 0.0.0.0"),
        ("http://224.0.0.251/", "refused multicast address 224.0.0.251"),
        ("file:///etc/passwd", "unsupported scheme 'file'; only http and https URLs are fetched"),
        ("ftp://files.example/report.txt", "unsupported scheme 'ftp'; only http and https URLs are fetched"),
        ("gopher://old.example/1", "unsupported scheme 'gopher'; only http and https URLs are fetched"),
        ("http:///no-host", "the URL has no host"),
        ("feeds/world.rss", "not a URL (it has no scheme); give an http:// or https:// URL"),
        ("http://news.example:99999/", "invalid port 99999; expected 1 to 65535"),
    ],
)
def test_fetch_refuses_internal_addresses_and_other_schemes(url: str, reason: str) -> None:
    with HttpFetcher(FetchPolicy()) as guarded:
        assert reject_reason(url, guarded).startswith(reason)


def test_fetch_refuses_a_name_that_resolves_to_a_private_address() -> None:
    with HttpFetcher(FetchPolicy(), resolver=lambda _host, _port: [PUBLIC_IP, "10.9.8.7"]) as guarded:
        reason = reject_reason("http://intranet.example/wiki", guarded)
    assert reason == (
        "refused private address 10.9.8.7 (the address of 'intranet.example') "
        "(set TIDINGS_ALLOW_PRIVATE_URLS=true for intranet sources)"
    )


def test_fetch_reports_a_name_that_does_not_resolve() -> None:
    def fail(_host: str, _port: int) -> Sequence[str]:
        raise OSError(-2, "Name or service not known")

    with HttpFetcher(FetchPolicy(), resolver=fail) as guarded:
        assert reject_reason("https://nowhere.example/", guarded) == (
            "cannot resolve host 'nowhere.example' (Name or service not known)"
        )


def test_fetch_allow_private_reaches_loopback_but_never_link_local(site: Site) -> None:
    with HttpFetcher(FetchPolicy(allow_private=True)) as intranet:
        assert isinstance(read_one(site.url("/plain"), intranet), Report)
        assert reject_reason("http://169.254.169.254/", intranet).startswith("refused link-local address")
        assert reject_reason("http://0.0.0.0/", intranet).startswith("refused unspecified address")


def test_fetch_pins_the_checked_address_and_keeps_host_and_sni() -> None:
    seen: list[httpx.Request] = []
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])  # a rebinding resolver: public first, loopback after

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, content=PLAIN)

    policy = FetchPolicy()
    with HttpFetcher(policy, resolver=lambda _h, _p: next(answers), transport=httpx.MockTransport(answer)) as pinned:
        response = pinned.fetch("https://wire.example:8443/story?id=4")
        second = read_url("https://wire.example/again", fetcher=pinned)
    [request] = seen
    assert (str(request.url), request.headers["host"]) == (f"https://{PUBLIC_IP}:8443/story?id=4", "wire.example:8443")
    assert request.extensions["sni_hostname"] == "wire.example"
    assert response.url == "https://wire.example:8443/story?id=4"
    assert isinstance(second[0], Rejection)
    assert second[0].reason.startswith("refused loopback address 127.0.0.1 (the address of 'wire.example')")


def test_fetch_does_not_send_sni_for_an_address_literal() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=PLAIN)

    with HttpFetcher(FetchPolicy(), transport=httpx.MockTransport(answer)) as pinned:
        pinned.fetch(f"https://{PUBLIC_IP}/x")
    assert "sni_hostname" not in seen[0].extensions


def test_fetch_raises_a_fetch_rejection_for_the_requested_url(site: Site, fetcher: HttpFetcher) -> None:
    with pytest.raises(RejectedReportError) as caught:
        fetcher.fetch(site.url("/to-private"))
    assert (caught.value.source, caught.value.stage) == (site.url("/to-private"), "fetch")


@pytest.mark.parametrize(
    ("address", "allow_private", "expected"),
    [
        (PUBLIC_IP, False, None),
        ("2606:4700:4700::1111", False, None),
        ("127.0.0.1", False, "loopback"),
        ("127.0.0.1", True, None),
        ("10.0.0.1", True, None),
        ("169.254.169.254", True, "link-local"),
        ("fe80::1%eth0", False, "link-local"),
        ("64:ff9b::a00:1", False, "private"),  # NAT64 of 10.0.0.1
        ("2002:a00:1::", False, "private"),  # 6to4 of 10.0.0.1
        ("::ffff:127.0.0.1", False, "loopback"),
        ("240.0.0.1", True, "reserved"),
        ("::", True, "unspecified"),
        ("ff02::1", True, "multicast"),
    ],
)
def test_describe_refused_address_table(address: str, allow_private: bool, expected: str | None) -> None:
    assert describe_refused_address(address, allow_private=allow_private) == expected


@given(st.ip_addresses())
def test_describe_refused_address_lets_through_only_global_unicast(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    kind = describe_refused_address(str(address), allow_private=False)
    if kind is None:
        assert address.is_global
        assert not address.is_multicast


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("https://a.example/x", True),
        ("HTTP://A.EXAMPLE", True),
        ("reports/a.html", False),
        ("-", False),
        ("ftp://x", False),
    ],
)
def test_is_url_table(path: str, expected: bool) -> None:
    assert is_url(path) is expected


def test_fetch_policy_from_settings_reads_the_operator_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIDINGS_ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv("TIDINGS_FETCH_TIMEOUT", "2.5")
    policy = FetchPolicy.from_settings(load_settings(config_file=None))
    assert (policy.allow_private, policy.timeout, policy.deadline) == (True, 2.5, 7.5)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40).map(lambda rest: "http://" + rest) | st.text(max_size=40))
def test_read_url_never_raises_on_arbitrary_urls(url: str) -> None:
    transport = httpx.MockTransport(lambda _request: httpx.Response(200, text=PLAIN.decode()))
    with HttpFetcher(FetchPolicy(), resolver=lambda _host, _port: [PUBLIC_IP], transport=transport) as fetcher:
        items = read_url(url, fetcher=fetcher)
    assert len(items) == 1
