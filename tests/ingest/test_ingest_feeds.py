"""Tests for tidings.ingest.feeds: RSS/Atom entries, hostile and malformed XML, and saved feed files."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loopback_site import Page, serve_site

from tidings.errors import RejectedReportError
from tidings.ingest import iter_inputs, read_bytes
from tidings.ingest.feeds import Feed, html_to_text, looks_like_feed, parse_feed
from tidings.ingest.fetch import FetchPolicy, HttpFetcher, read_url
from tidings.model import Rejection, Report

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Caspian Courier</title><link>https://caspian-courier.example/</link>
<item>
  <title>Baku and Tashkent sign cotton accord</title>
  <link>https://caspian-courier.example/2024/06/cotton</link>
  <guid isPermaLink="false">cc-2024-0611</guid>
  <pubDate>Mon, 03 Jun 2024 01:30:00 +0500</pubDate>
  <description>&lt;p&gt;Azerbaijan and Uzbekistan signed a cotton supply accord worth 25 million dollars,
  the trade ministry said.&lt;/p&gt;&lt;p&gt;Deliveries start in &lt;b&gt;autumn&lt;/b&gt;.&lt;/p&gt;</description>
</item>
<item>
  <title>Ferry timetable</title>
  <link>https://caspian-courier.example/2024/06/ferry</link>
  <description>New ferry timetable out.</description>
</item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Steppe Dispatch</title>
<entry>
  <id>urn:steppe:88</id>
  <title type="html">Envoy &lt;em&gt;arrives&lt;/em&gt;</title>
  <link rel="alternate" href="https://steppe-dispatch.example/envoy"/>
  <updated>2024-06</updated>
  <content type="html">&lt;p&gt;Turkmenistan accepted the credentials of a new envoy from Oman in Ashgabat this month,
  officials said.&lt;/p&gt;</content>
</entry>
</feed>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"""

XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Leak</title>
<item><title>Leak</title><description>&secret;</description></item></channel></rss>"""

XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>x</title></channel></rss>"""

# An entity declared after a comment holding a tag: a check that stops at the first "<name" would miss it.
ENTITY_AFTER_COMMENT = b"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!-- <rss> --> <!ENTITY big "bigbigbig"> ]>
<rss version="2.0"><channel><title>&big;</title></channel></rss>"""

# Malformed before the root: expat gives up, and the plain search still finds the declaration.
ENTITY_IN_BROKEN_PROLOG = b"""<?xml version="1.0"?><!DOCTYPE rss [ <!BOGUS> <!ENTITY c "cccc"> ]>
<rss version="2.0"><channel><title>&c;</title></channel></rss>"""

NETSCAPE_DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Wire</title><link>https://old.example/</link>
<item><title>Tariffs</title><link>https://old.example/t</link>
<description>Armenia cut tariffs on Georgian wine after talks in Tbilisi ended last week.</description></item>
</channel></rss>"""

ENTITY_WORD_IN_CONTENT = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>XML Weekly</title>
<item><title>Parsers</title><link>https://xml.example/p</link>
<description><![CDATA[Why a feed that says <!ENTITY x "y"> in its DOCTYPE is refused.]]></description>
</item></channel></rss>"""

STRAY_AMPERSAND = b"""<rss version="2.0"><channel><title>Loose Ledger</title>
<item><title>Grain & oil</title><link>https://loose.example/1</link>
<description>Georgia and Armenia agreed to share grain storage & oil terminals, the ministers said.</description>
</item></channel></rss>"""


def parse(data: bytes) -> Feed:
    """parse_feed with a test source name."""
    return parse_feed(data, source="feed.xml")


def rejection_reason(data: bytes) -> str:
    """The reason parse_feed rejects `data` with (stage "parse")."""
    with pytest.raises(RejectedReportError) as caught:
        parse(data)
    assert (caught.value.source, caught.value.stage) == ("feed.xml", "parse")
    return caught.value.reason


def test_parse_feed_reads_rss_entries() -> None:
    feed = parse(RSS)
    first = feed.entries[0]
    assert (feed.title, feed.link, feed.problem) == ("Caspian Courier", "https://caspian-courier.example/", None)
    assert (first.key, first.title, first.link) == (
        "cc-2024-0611",
        "Baku and Tashkent sign cotton accord",
        "https://caspian-courier.example/2024/06/cotton",
    )
    assert first.text == (
        "Azerbaijan and Uzbekistan signed a cotton supply accord worth 25 million dollars, the trade ministry said."
        "\n\nDeliveries start in autumn."
    )


def test_parse_feed_keeps_the_day_of_the_feed_time_zone() -> None:
    # 01:30 at +05:00 on June 3 is June 2 in UTC; the report was published on June 3 where it was written.
    assert parse(RSS).entries[0].published == "2024-06-03"


def test_parse_feed_reads_atom_entries_at_their_date_precision() -> None:
    [entry] = parse(ATOM).entries
    assert (entry.key, entry.title, entry.link, entry.published) == (
        "urn:steppe:88",
        "Envoy arrives",
        "https://steppe-dispatch.example/envoy",
        "2024-06",
    )
    assert entry.text.startswith("Turkmenistan accepted the credentials of a new envoy from Oman")


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("<guid>g-1</guid><link>https://a.example/1</link><title>T</title>", "g-1"),
        ("<link>https://a.example/1</link><title>T</title>", "https://a.example/1"),
        ("<title>T</title><pubDate>Tue, 04 Jun 2024 10:00:00 GMT</pubDate>", "sha256:"),
    ],
)
def test_parse_feed_entry_key_falls_back_from_guid_to_link_to_a_hash(item: str, expected: str) -> None:
    data = f"<rss version='2.0'><channel><title>K</title><item>{item}</item></channel></rss>".encode()
    assert parse(data).entries[0].key.startswith(expected)


def test_parse_feed_hashed_key_is_stable_and_tells_entries_apart() -> None:
    def key(title: str) -> str:
        data = f"<rss version='2.0'><channel><item><title>{title}</title></item></channel></rss>".encode()
        return parse(data).entries[0].key

    assert key("Wheat") == key("Wheat")
    assert key("Wheat") != key("Barley")


def test_parse_feed_hashes_an_overlong_guid() -> None:
    data = f"<rss version='2.0'><channel><item><guid>{'g' * 5000}</guid></item></channel></rss>".encode()
    key = parse(data).entries[0].key
    assert key.startswith("sha256:")
    assert len(key) < 100


def test_parse_feed_refuses_billion_laughs_quickly_in_little_memory() -> None:
    started = time.monotonic()
    tracemalloc.start()
    try:
        reason = rejection_reason(BILLION_LAUGHS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reason.startswith("the XML declares an entity ('lol') in its DOCTYPE; refused as a possible")
    assert time.monotonic() - started < 1
    assert peak < 1_000_000


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (XXE_FILE, "an external entity ('secret')"),
        (XXE_PARAMETER, "an external entity ('remote')"),
        (ENTITY_AFTER_COMMENT, "an entity ('big')"),
        (ENTITY_IN_BROKEN_PROLOG, "an entity in a malformed document"),
        (XXE_FILE.decode().encode("utf-16"), "an external entity ('secret')"),
    ],
)
def test_parse_feed_refuses_entity_declarations(data: bytes, what: str) -> None:
    assert rejection_reason(data).startswith(f"the XML declares {what} in its DOCTYPE")


def test_parse_feed_never_leaks_a_local_file_through_an_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:do-not-leak", encoding="utf-8")
    path = tmp_path / "leak.rss"
    path.write_bytes(XXE_FILE.replace(b"file:///etc/passwd", secret.as_uri().encode()))
    [item] = list(iter_inputs([path]))
    assert isinstance(item, Rejection)
    assert item.reason.startswith("the XML declares an external entity ('secret')")
    assert "do-not-leak" not in repr(item)


def test_parse_feed_accepts_an_external_dtd_reference_without_entities() -> None:
    feed = parse(NETSCAPE_DOCTYPE)
    assert (feed.title, len(feed.entries)) == ("Old Wire", 1)


def test_parse_feed_ignores_entity_syntax_inside_the_content() -> None:
    [entry] = parse(ENTITY_WORD_IN_CONTENT).entries
    assert '<!ENTITY x "y">' in entry.text


def test_parse_feed_reads_the_entries_of_a_loosely_broken_feed() -> None:
    feed = parse(STRAY_AMPERSAND)
    assert feed.problem is not None
    assert feed.entries[0].text.startswith("Georgia and Armenia agreed to share grain storage & oil terminals")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"just some words", "not a well-formed feed (syntax error); expected RSS or Atom XML"),
        (b"<rss version='2.0'><channel><title>x</titl", "not a well-formed feed ("),
        (b"<html><body><p>A page, not a feed.</p></body></html>", "not an RSS or Atom feed (no <rss>, <feed> or RDF"),
    ],
)
def test_parse_feed_rejects_what_is_not_a_feed(data: bytes, reason: str) -> None:
    assert rejection_reason(data).startswith(reason)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda text: f"<rss>{text}</rss>".encode()))
def test_parse_feed_only_ever_raises_a_rejection(data: bytes) -> None:
    try:
        parse(data)
    except RejectedReportError as error:
        assert error.stage == "parse"


@given(st.text(max_size=300))
def test_html_to_text_never_raises_and_is_idempotent_on_plain_text(markup: str) -> None:
    text = html_to_text(markup)
    assert html_to_text(text.replace("<", " ").replace("&", " ")) == html_to_text(
        text.replace("<", " ").replace("&", " ")
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (RSS, True),
        (ATOM, True),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"><channel/></rdf:RDF>', True),
        (b"<html><head><link type='application/rss+xml'></head></html>", False),
        (b"Plain words about a <feed> of cattle.", False),
        (b"<!doctype html><html><body><rss>", False),
    ],
)
def test_looks_like_feed_table(data: bytes, expected: bool) -> None:
    assert looks_like_feed(data) is expected


def test_feed_reader_gives_a_report_per_entry_with_enough_text() -> None:
    items = read_bytes(RSS, source="archive.rss", fmt="feed", outlet="Fallback Outlet")
    report, short = items
    assert isinstance(report, Report)
    assert (report.outlet, report.published, report.url, report.title, report.source_path) == (
        "Caspian Courier",
        "2024-06-03",
        "https://caspian-courier.example/2024/06/cotton",
        "Baku and Tashkent sign cotton accord",
        "archive.rss#1",
    )
    assert short == Rejection(
        "archive.rss#2", "read", "feed entry has only 4 words of text; expected a summary or article of 10+ words"
    )


def test_feed_reader_claims_rss_and_atom_files_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_bytes(RSS)
    (tmp_path / "b.atom").write_bytes(ATOM)
    (tmp_path / "c.xml").write_bytes(ATOM)  # .xml is not claimed: sitemaps and the like are no feeds
    outlets = [item.outlet for item in iter_inputs([tmp_path]) if isinstance(item, Report)]
    assert outlets == ["Caspian Courier", "Steppe Dispatch"]


def test_feed_reader_rejects_a_hostile_feed_and_reads_the_rest_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a-laughs.rss").write_bytes(BILLION_LAUGHS)
    (tmp_path / "b-good.rss").write_bytes(RSS)
    kinds = [
        (type(item).__name__, item.source_path if isinstance(item, Report) else item.source)
        for item in iter_inputs([tmp_path])
    ]
    assert kinds == [
        ("Rejection", str(tmp_path / "a-laughs.rss")),
        ("Report", str(tmp_path / "b-good.rss") + "#1"),
        ("Rejection", str(tmp_path / "b-good.rss") + "#2"),
    ]


def test_feed_reader_rejects_a_feed_without_entries() -> None:
    data = b"<rss version='2.0'><channel><title>Empty</title></channel></rss>"
    assert read_bytes(data, source="empty.rss", fmt="feed") == [
        Rejection("empty.rss", "parse", "the feed has no entries; expected at least one item or entry")
    ]


@pytest.fixture(scope="module")
def feed_site() -> Iterator[str]:
    """The base URL of a loopback site serving the RSS feed under two content types."""
    pages = {
        "/rss": Page(RSS, content_type="application/rss+xml"),
        "/xml": Page(ATOM, content_type="text/xml"),
        "/sitemap": Page(b"<?xml version='1.0'?><urlset><url/></urlset>", content_type="application/xml"),
        "/hostile": Page(BILLION_LAUGHS, content_type="application/rss+xml"),
    }
    with serve_site(pages) as site:
        yield site.url("")


@pytest.mark.parametrize(("path", "outlet"), [("/rss", "Caspian Courier"), ("/xml", "Steppe Dispatch")])
def test_read_url_reads_a_feed_by_content_type(feed_site: str, path: str, outlet: str) -> None:
    with HttpFetcher(FetchPolicy(allowed_networks=("127.0.0.1/32",))) as fetcher:
        items = read_url(feed_site + path, fetcher=fetcher)
    assert isinstance(items[0], Report)
    assert items[0].outlet == outlet
    assert items[0].fetched_at is not None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/sitemap", "unsupported content type 'application/xml'"),
        ("/hostile", "the XML declares an entity ('lol') in its DOCTYPE"),
    ],
)
def test_read_url_rejects_xml_that_is_no_usable_feed(feed_site: str, path: str, reason: str) -> None:
    with HttpFetcher(FetchPolicy(allowed_networks=("127.0.0.1/32",))) as fetcher:
        [item] = read_url(feed_site + path, fetcher=fetcher)
    assert isinstance(item, Rejection)
    assert item.reason.startswith(reason)


@pytest.mark.parametrize(
    ("item", "link"),
    [
        ("<guid>item-7</guid><link>/2024/06/story</link>", "https://relative.example/2024/06/story"),
        ("<guid>item-7</guid>", None),
        ("<guid>https://relative.example/p/7</guid>", "https://relative.example/p/7"),
        ("<link>javascript:alert(1)</link>", None),
    ],
)
def test_parse_feed_resolves_links_but_not_bare_guids(item: str, link: str | None) -> None:
    data = f"<rss version='2.0'><channel><item>{item}</item></channel></rss>".encode()
    feed = parse_feed(data, source="feed.xml", base_url="https://relative.example/feed.rss")
    assert feed.entries[0].link == link
