"""Ingest stage: an http(s) URL to reports, fetched with honest limits and no server-side request forgery.

A URL comes in; out come the reports its content yields (the reader is chosen
by the response's content type) or one `Rejection` at stage "fetch" that says
what went wrong: a timeout, an HTTP error status, a body over the size limit,
a scheme other than http(s), or an address the operator has not allowed.

Every hop, the first request and each redirect (followed by hand, at most
`FetchPolicy.max_redirects`), is checked the same way: the scheme must be http
or https, and every address the host resolves to must be public. Loopback,
private (RFC 1918, fc00::/7), carrier-grade NAT and other non-global addresses
are refused unless the operator allows private addresses (`allow_private_urls`,
for intranet sources) or lists the network in `allowed_networks`; link-local
(169.254.0.0/16 holds cloud metadata services), multicast, reserved and
unspecified (0.0.0.0 reaches the local host) addresses are refused even then.
An IPv6 address that embeds an IPv4 one (::ffff:a.b.c.d, 6to4, NAT64) is judged
by the IPv4 address.

The connection is pinned: the request goes to the checked IP address itself,
with the Host header and the TLS server name (SNI, so the certificate is still
verified for the host name) set from the URL. A DNS answer that changes between
the check and the connection (DNS rebinding) therefore cannot redirect the
request to an internal address. Keep-alive is off, so a connection opened for
one host name is never reused for another that shares its address, and proxy
variables from the environment are ignored, since a proxy would resolve the
host again out of our sight.

Limits: `timeout` bounds the connection and each wait for data, and `deadline`
bounds the whole fetch, all redirects included; it is checked between chunks,
so a fetch ends at most `timeout` after it. Host names are resolved with
`socket.getaddrinfo`, which has no timeout of its own: a hanging resolver is
bounded only by the system's resolver settings. The body is streamed and
dropped as soon as it passes `max_bytes` (a Content-Length above it is refused
before any of the body is read); the limit counts decompressed bytes.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final, Protocol

import httpx

from tidings.errors import RejectedReportError
from tidings.ingest.base import DEFAULT_MAX_BYTES, Item, read_bytes, sniff_format
from tidings.ingest.decoding import WINDOWS_1252_LABELS
from tidings.ingest.feeds import looks_like_feed
from tidings.model import Rejection, Report

logger = logging.getLogger(__name__)

# Seconds to wait for a connection or for the next bytes: a news site that has
# not answered in 10 s is down or overloaded, and a feed poll should move on.
DEFAULT_TIMEOUT: Final = 10.0

# A whole fetch, redirects included, may take this many timeouts; a 20 MB page
# at a slow 1 MB/s still fits in 30 s.
DEADLINE_TIMEOUTS: Final = 3

# Browsers follow up to 20 redirects; news sites use one or two (http -> https,
# a tracking link), and 5 leaves room without letting a loop run long.
MAX_REDIRECTS: Final = 5

USER_AGENT: Final = "tidings (news fact reader)"

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
SCHEMES: Final = frozenset({"http", "https"})
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}

# Content types and the reader each one goes to; XML goes to the feed reader
# only when the body looks like a feed.
_CONTENT_FORMATS: Final = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "text",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
}
_XML_TYPES: Final = frozenset({"application/xml", "text/xml"})
_EXPECTED_TYPES: Final = "expected HTML, plain text, JSON or an RSS/Atom feed"

# NAT64 maps the whole IPv4 space into this prefix (RFC 6052).
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")

Resolver = Callable[[str, int], Sequence[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of a fetch and the addresses it may reach."""

    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_TIMEOUT * DEADLINE_TIMEOUTS
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    allow_private: bool = False
    # Networks reachable whatever their kind, e.g. ("127.0.0.1/32",) for a test server.
    allowed_networks: tuple[str, ...] = ()
    user_agent: str = USER_AGENT

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> FetchPolicy:
        """The policy the settings table describes (max_input_bytes, allow_private_urls, fetch_timeout)."""
        timeout = float(settings.get("fetch_timeout", DEFAULT_TIMEOUT))
        return cls(
            timeout=timeout,
            deadline=timeout * DEADLINE_TIMEOUTS,
            max_bytes=int(settings.get("max_input_bytes", DEFAULT_MAX_BYTES)),
            allow_private=bool(settings.get("allow_private_urls", False)),
        )


@dataclass(frozen=True)
class FetchResponse:
    """A fetched body: `url` is the final URL after redirects; a 304 has no content."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    fetched_at: str

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ("text/html"); "" when the server sent none."""
        return self.headers.get("content-type", "").partition(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of the Content-Type header, if any."""
        for parameter in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'") or None
        return None


class Fetcher(Protocol):
    """Fetches one URL; raises RejectedReportError at stage "fetch" for anything unusable."""

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchResponse:
        """The response to GET `url` with extra request `headers` (If-None-Match, ...)."""
        ...


def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order; raises OSError when it does not resolve."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def describe_refused_address(address: str, *, allow_private: bool, allowed: Sequence[IPNetwork] = ()) -> str | None:
    """Why `address` may not be fetched ("loopback", "private", ...); None when it may."""
    ip = ipaddress.ip_address(address.partition("%")[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if any(ip in network for network in allowed if network.version == ip.version):
        return None
    ip = _unwrap_ipv4(ip)
    for kind, refused in (
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("link-local", ip.is_link_local),
        ("loopback", ip.is_loopback),
        ("reserved", ip.is_reserved),
        ("private", not ip.is_global),
    ):
        if refused:
            return None if allow_private and kind in _SWITCHABLE else kind
    return None


def _unwrap_ipv4(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv4Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


@dataclass(frozen=True)
class _Target:
    """One checked hop: the request URL pinned to a checked address, and the name the server expects."""

    url: str
    pinned: httpx.URL
    host_header: str
    sni_hostname: str | None


class HttpFetcher:
    """The guarded fetcher: checks every hop's scheme and addresses, pins them, and enforces the limits.

    `resolver` (host, port -> addresses) is injectable so that tests can map
    names without DNS, and `transport` so that they can answer without a socket.
    Use it as a context manager, or call `close()`.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolver: Resolver = resolve_host,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolver = resolver
        self._allowed = tuple(ipaddress.ip_network(network) for network in self.policy.allowed_networks)
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchResponse:
        """GET `url`, following redirects by hand and checking each hop.

        A 304 Not Modified is returned (with no content) when `headers` hold
        If-None-Match or If-Modified-Since; every other failure raises.

        Raises:
            RejectedReportError: at stage "fetch", with a reason naming the hop that failed.
        """
        started = time.monotonic()
        extra = dict(headers or {})
        conditional = any(name.lower() in ("if-none-match", "if-modified-since") for name in extra)
        current = url
        for hop in range(self.policy.max_redirects + 1):
            try:
                response = self._get(self._check_url(current), extra, started)
                try:
                    location = self._find_redirect(response)
                    if location is None:
                        return self._finish(current, response, started, conditional=conditional)
                finally:
                    response.close()
            except RejectedReportError as error:
                where = f"redirect to {current}: " if hop else ""
                raise RejectedReportError(url, "fetch", where + error.reason) from error
            try:
                current = str(httpx.URL(current).join(location))
            except httpx.InvalidURL as error:
                raise RejectedReportError(url, "fetch", f"redirect to an invalid URL {location!r} ({error})") from error
        raise RejectedReportError(url, "fetch", f"too many redirects (more than {self.policy.max_redirects})")

    def _check_url(self, url: str) -> _Target:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise _reject(url, f"not a valid URL ({error})") from error
        if not parsed.scheme:
            raise _reject(url, "not a URL (it has no scheme); give an http:// or https:// URL")
        if parsed.scheme not in SCHEMES:
            raise _reject(url, f"unsupported scheme {parsed.scheme!r}; only http and https URLs are fetched")
        host = parsed.raw_host.decode("ascii")
        if not host:
            raise _reject(url, "the URL has no host")
        port = parsed.port or _DEFAULT_PORTS[parsed.scheme]
        if not 0 < port < 65536:
            raise _reject(url, f"invalid port {port}; expected 1 to 65535")
        address = self._check_host(url, host, port)
        return _Target(
            url=url,
            pinned=parsed.copy_with(host=address),
            host_header=parsed.netloc.decode("ascii"),
            sni_hostname=host if parsed.scheme == "https" and not _is_ip_literal(host) else None,
        )

    def _check_host(self, url: str, host: str, port: int) -> str:
        """The first address of `host`, once every address it has is allowed."""
        try:
            addresses = list(self._resolver(host, port))
        except (OSError, UnicodeError) as error:
            raise _reject(url, f"cannot resolve host {host!r} ({getattr(error, 'strerror', None) or error})") from error
        if not addresses:
            raise _reject(url, f"host {host!r} resolves to no address")
        for address in addresses:
            kind = describe_refused_address(address, allow_private=self.policy.allow_private, allowed=self._allowed)
            if kind is not None:
                switch = " (set TIDINGS_ALLOW_PRIVATE_URLS=true for intranet sources)" if kind in _SWITCHABLE else ""
                named = "" if _is_ip_literal(host) else f" (the address of {host!r})"
                raise _reject(url, f"refused {kind} address {address}{named}{switch}")
        return addresses[0]

    def _get(self, target: _Target, headers: Mapping[str, str], started: float) -> httpx.Response:
        wait = min(self.policy.timeout, self._remaining(target.url, started))
        extensions: dict[str, Any] = {"timeout": httpx.Timeout(wait).as_dict()}
        if target.sni_hostname is not None:
            extensions["sni_hostname"] = target.sni_hostname
        request = httpx.Request(
            "GET",
            target.pinned,
            headers={"User-Agent": self.policy.user_agent, **headers, "Host": target.host_header},
            extensions=extensions,
        )
        with _translate_errors(target.url, wait):
            return self._client.send(request, stream=True)

    def _find_redirect(self, response: httpx.Response) -> str | None:
        if response.status_code not in REDIRECT_STATUSES:
            return None
        location = str(response.headers.get("location", ""))
        if not location:
            raise _reject("", f"HTTP {response.status_code} redirect without a Location header")
        return location

    def _finish(self, url: str, response: httpx.Response, started: float, *, conditional: bool) -> FetchResponse:
        status = response.status_code
        if status == 304 and conditional:
            content = b""
        elif 200 <= status < 300:
            content = self._read_body(url, response, started)
        else:
            raise _reject(url, f"HTTP {status} {response.reason_phrase}".rstrip())
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        return FetchResponse(url, status, {k.lower(): v for k, v in response.headers.items()}, content, fetched_at)

    def _read_body(self, url: str, response: httpx.Response, started: float) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise _reject(url, f"too large (Content-Length {int(declared):,} bytes; the limit is {limit:,})")
        chunks: list[bytes] = []
        size = 0
        wait = float(response.request.extensions["timeout"]["read"])
        with _translate_errors(url, wait):
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _reject(url, f"too large (more than {limit:,} bytes; the limit is {limit:,})")
                chunks.append(chunk)
                self._remaining(url, started)
        return b"".join(chunks)

    def _remaining(self, url: str, started: float) -> float:
        """Seconds left of the deadline; raises when none are."""
        left = self.policy.deadline - (time.monotonic() - started)
        if left <= 0:
            raise _reject(url, f"timed out: the whole fetch took longer than {self.policy.deadline:g}s")
        return left


# The kinds an operator may allow with allow_private_urls; the others never are.
_SWITCHABLE: Final = frozenset({"loopback", "private"})


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return False
    return True


def _reject(url: str, reason: str) -> RejectedReportError:
    return RejectedReportError(url, "fetch", reason)


@contextmanager
def _translate_errors(url: str, timeout: float) -> Iterator[None]:
    """Turn httpx's exceptions into a fetch rejection with a reason people can act on."""
    try:
        yield
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise _reject(url, _describe_http_error(error, timeout)) from error


def _describe_http_error(error: Exception, timeout: float) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return f"timed out after {timeout:g}s connecting to the server"
    if isinstance(error, httpx.TimeoutException):
        return f"timed out after {timeout:g}s waiting for the server to send data"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect to the server ({error})"
    if isinstance(error, httpx.RemoteProtocolError | httpx.DecodingError):
        return f"the server's response is broken ({error})"
    return f"fetch failed ({type(error).__name__}: {error})"


def is_url(path: str) -> bool:
    """Whether a command-line input names an http(s) URL rather than a file ("http://..." or "https://...")."""
    return path[:8].lower().startswith(("http://", "https://"))


def choose_format(response: FetchResponse) -> str | None:
    """The reader for a response's content type ("html", "text", "json", "jsonl", "feed"); None if unsupported.

    A response without a content type is sniffed; XML goes to the feed reader
    only when it looks like a feed.
    """
    content_type = response.content_type
    if content_type in _CONTENT_FORMATS:
        return _CONTENT_FORMATS[content_type]
    if content_type.endswith("+json"):
        return "json"
    if content_type in _XML_TYPES:
        return "feed" if looks_like_feed(response.content) else None
    if not content_type:
        return "feed" if looks_like_feed(response.content) else sniff_format(response.content)
    return None


def read_url(
    url: str,
    *,
    fetcher: Fetcher,
    published: str | None = None,
    outlet: str | None = None,
) -> list[Report | Rejection]:
    """Fetch `url` and read what it serves into reports; a failure is returned as a Rejection, never raised.

    `published` and `outlet` fill only what the content lacks; each report's
    `fetched_at` is the time of the fetch and its `url` the page's canonical
    URL or else the final URL after redirects.
    """
    try:
        response = fetcher.fetch(url)
    except RejectedReportError as error:
        logger.info("rejected %s: %s", error.source, error.reason, extra={"stage": error.stage})
        return [Rejection(error.source, error.stage, error.reason)]
    fmt = choose_format(response)
    if fmt is None:
        shown = response.content_type or "none"
        return [Rejection(url, "fetch", f"unsupported content type {shown!r}; {_EXPECTED_TYPES}")]
    data = _transcode(response) if fmt in ("html", "text") else response.content
    items: list[Item] = read_bytes(data, source=url, fmt=fmt, published=published, outlet=outlet, url=response.url)
    return [replace(item, fetched_at=response.fetched_at) if isinstance(item, Report) else item for item in items]


def _transcode(response: FetchResponse) -> bytes:
    """The body as UTF-8 with a byte-order mark when the header names another charset.

    The header's charset outranks a page's meta tag (as in browsers), and the
    mark makes the readers' decoder take UTF-8 over that tag. A body that is not
    valid in the named charset is passed on as it came.
    """
    charset = response.charset
    if charset is None:
        return response.content
    if charset.lower() in WINDOWS_1252_LABELS:
        charset = "cp1252"
    try:
        if codecs.lookup(charset).name == "utf-8":
            return response.content
        return codecs.BOM_UTF8 + response.content.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return response.content
