"""Feeds: every entry of an RSS, Atom or JSON feed ends as an article or a rejection."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from storyline.ingest.feeds import looks_like_feed, read_feed
from storyline.model import Article, Rejection, RejectionReason
from tests.builders import shared_path

_Result = Article | Rejection

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The Lantern Gazette</title>
  <link>https://lantern.example/news</link>
  <item>
    <title>Bridge reopens after repairs</title>
    <link>https://lantern.example/news/bridge</link>
    <guid isPermaLink="false">lantern-0001</guid>
    <pubDate>Tue, 05 Mar 2024 23:30:00 -0500</pubDate>
    <dc:creator>Ada Quill</dc:creator>
    <description>The bridge is open again.</description>
    <content:encoded><![CDATA[<p>The old bridge over the Wend reopened on Tuesday.</p>
      <p>Repairs took <b>nine</b> months &amp; cost less than planned.</p>]]></content:encoded>
  </item>
  <item>
    <title>Market day moves to Friday</title>
    <link>https://lantern.example/news/market</link>
    <pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate>
    <description>&lt;p&gt;The weekly market moves to Friday.&lt;/p&gt;</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Notes</title>
  <link rel="alternate" href="https://harbour.example/"/>
  <id>urn:harbour:feed</id>
  <updated>2024-04-02T10:00:00Z</updated>
  <author><name>Harbour Notes desk</name></author>
  <entry>
    <title type="html">Ferry &lt;i&gt;Gull&lt;/i&gt; returns</title>
    <id>urn:harbour:1</id>
    <link rel="alternate" href="https://harbour.example/ferry"/>
    <published>2024-04-01T00:30:00+02:00</published>
    <updated>2024-04-02T09:00:00+02:00</updated>
    <author><name>Ben Rowe</name></author>
    <author><name>Cy Marsh</name></author>
    <summary>The ferry is back.</summary>
    <content type="html">&lt;p&gt;The ferry &lt;i&gt;Gull&lt;/i&gt; returned to service.&lt;/p&gt;
      &lt;p&gt;Crossings run hourly.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Tide tables updated</title>
    <id>urn:harbour:2</id>
    <updated>2024-04-02T08:00:00Z</updated>
    <summary>New tide tables are out.</summary>
  </entry>
</feed>
"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://valley.example/">
    <title>Valley Courier</title>
    <link>https://valley.example/</link>
    <description>News of the valley</description>
  </channel>
  <item rdf:about="https://valley.example/orchard">
    <title>Orchard harvest begins</title>
    <link>https://valley.example/orchard</link>
    <description>Picking starts this week in the lower orchards.</description>
    <dc:date>2024-09-10T18:00:00-03:00</dc:date>
    <dc:creator>Dee Fenn</dc:creator>
  </item>
</rdf:RDF>
"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Moorland Post",
        "home_page_url": "https://moor.example/",
        "authors": [{"name": "Moorland Post"}],
        "items": [
            {
                "id": "moor-1",
                "url": "https://moor.example/wind",
                "title": "Wind farm approved",
                "content_html": "<p>The council approved the wind farm.<p>Work starts soon.",
                "summary": "Approved.",
                "date_published": "2024-05-07T22:15:00-04:00",
                "date_modified": "2024-05-09T10:00:00-04:00",
                "authors": [{"name": "Eve Stone"}, {"name": "Eve Stone"}, {"url": "x"}],
            },
            {
                "id": 42,
                "title": "Road closed",
                "content_text": "The moor road is closed.\n\nUse the valley road.",
                "date_modified": "2024-05-08",
            },
            {"url": "https://moor.example/fair", "title": "Fair", "summary": "The fair is on."},
            {"title": "No id, no link", "content_text": "Something happened."},
        ],
    }
).encode()

ISO_8859_1 = (
    '<rss version="2.0"><channel><title>Notícias do Vale</title>'
    "<item><title>Eleição em São João</title><guid>vale-1</guid>"
    "<description>A votação começou às oito horas.</description>"
    "<pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate></item>"
    "</channel></rss>"
).encode("iso-8859-1")


def _articles(results: Sequence[_Result]) -> list[Article]:
    return [result for result in results if isinstance(result, Article)]


def _rejections(results: Sequence[_Result]) -> list[Rejection]:
    return [result for result in results if isinstance(result, Rejection)]


def _rss(*items: str, title: str = "<title>Fixture Feed</title>", head: str = "") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return f'{head}<rss version="2.0"><channel>{title}{body}</channel></rss>'.encode()


# ---------------------------------------------------------------- feeds written here


def test_rss2_full_content_and_description_only_item() -> None:
    results = read_feed(RSS2, origin="feeds/lantern.rss")
    first, second = results
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.text == (
        "The old bridge over the Wend reopened on Tuesday.\n\n"
        "Repairs took nine months & cost less than planned."
    )
    assert not first.partial
    assert first.id == "lantern-0001"
    assert first.title == "Bridge reopens after repairs"
    assert first.url == "https://lantern.example/news/bridge"
    assert first.published == dt.date(2024, 3, 5)  # the publisher's day, not UTC's 6 March
    assert first.authors == ("Ada Quill",)
    assert first.source == "The Lantern Gazette"
    assert first.origin == "feeds/lantern.rss#entry-1"
    assert second.text == "The weekly market moves to Friday."
    assert second.partial
    assert second.id == "https://lantern.example/news/market"  # no guid: the link
    assert second.origin == "feeds/lantern.rss#entry-2"
    assert second.published == dt.date(2024, 3, 6)


def test_atom_html_content_published_wins_over_updated() -> None:
    first, second = read_feed(ATOM, origin="harbour.atom")
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.text == "The ferry Gull returned to service.\n\nCrossings run hourly."
    assert first.title == "Ferry Gull returns"
    assert not first.partial
    assert first.published == dt.date(2024, 4, 1)
    assert first.authors == ("Ben Rowe", "Cy Marsh")
    assert first.url == "https://harbour.example/ferry"
    assert first.id == "urn:harbour:1"
    assert first.source == "Harbour Notes"
    assert second.partial
    assert second.text == "New tide tables are out."
    assert second.published == dt.date(2024, 4, 2)  # only an update date
    assert second.authors == ()  # the feed's author is the outlet, not copied


def test_rss1_rdf() -> None:
    (article,) = read_feed(RDF, origin="valley.rdf")
    assert isinstance(article, Article)
    assert article.id == "https://valley.example/orchard"
    assert article.text == "Picking starts this week in the lower orchards."
    assert article.partial
    assert article.published == dt.date(2024, 9, 10)
    assert article.authors == ("Dee Fenn",)
    assert article.source == "Valley Courier"


def test_json_feed() -> None:
    results = read_feed(JSON_FEED, origin="moor.json")
    assert all(isinstance(result, Article) for result in results)
    wind, road, fair, anonymous = _articles(results)
    assert wind.text == "The council approved the wind farm.\n\nWork starts soon."
    assert not wind.partial
    assert wind.published == dt.date(2024, 5, 7)
    assert wind.authors == ("Eve Stone",)
    assert wind.source == "Moorland Post"
    assert wind.url == "https://moor.example/wind"
    assert road.id == "42"  # a number is turned into a string, as JSON Feed asks
    assert road.text == "The moor road is closed.\n\nUse the valley road."
    assert not road.partial
    assert road.published == dt.date(2024, 5, 8)
    assert fair.partial
    assert fair.id == "https://moor.example/fair"
    assert fair.published is None
    assert anonymous.id == "moor.json#entry-4"
    assert anonymous.origin == "moor.json#entry-4"


def test_json_feed_1_0_author_object() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1",
        "title": "Old Style",
        "items": [{"id": "1", "content_text": "Text.", "author": {"name": "Fay Lind"}}],
    }
    (article,) = read_feed(json.dumps(feed).encode(), origin="old.json")
    assert isinstance(article, Article)
    assert article.authors == ("Fay Lind",)


_V1 = b'{"version": "https://jsonfeed.org/version/1"'


@pytest.mark.parametrize(
    ("document", "reason", "detail"),
    [
        (_V1 + b", ", RejectionReason.MALFORMED, "invalid JSON"),
        (b'{"title": "x", "items": []}', RejectionReason.UNSUPPORTED_FORMAT, "JSON Feed"),
        (b"[1, 2]", RejectionReason.UNSUPPORTED_FORMAT, "JSON Feed"),
        (_V1 + b"}", RejectionReason.MALFORMED_FEED, "items"),
        (_V1 + b', "items": []}', RejectionReason.NO_ARTICLES, "no entries"),
        (_V1 + b', "items": [\xff]}', RejectionReason.UNDECODABLE, "UTF-8"),
    ],
)
def test_json_that_is_no_readable_feed(
    document: bytes, reason: RejectionReason, detail: str
) -> None:
    (rejection,) = read_feed(document, origin="odd.json")
    assert isinstance(rejection, Rejection)
    assert rejection.item == "odd.json"
    assert rejection.reason == reason
    assert detail in rejection.detail


def test_json_feed_bad_items_are_rejected_one_by_one() -> None:
    document = (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": '
        b'[[1], {"id": "a", "content_text": "Good."}, {"id": "b", "title": "\\ud800"}]}'
    )
    listed, good, surrogate = read_feed(document, origin="odd.json")
    assert isinstance(listed, Rejection)
    assert listed.reason == RejectionReason.MALFORMED
    assert listed.item == "odd.json#entry-1"
    assert isinstance(good, Article)
    assert isinstance(surrogate, Rejection)
    assert surrogate.reason == RejectionReason.NO_MAIN_TEXT  # no text: checked first
    document = document.replace(b'"title"', b'"content_text"')
    *_, surrogate = read_feed(document, origin="odd.json")
    assert isinstance(surrogate, Rejection)
    assert surrogate.reason == RejectionReason.UNDECODABLE


@pytest.mark.parametrize(
    "feed",
    [
        # an undefined entity
        _rss("<title>One &bogus;</title><description>First.</description>",
             "<title>Two</title><description>Second.</description>"),
        # an unclosed tag
        _rss("<title>One</title><description>First <b>bold.</description>",
             "<title>Two</title><description>Second.</description>"),
    ],
    ids=["undefined-entity", "unclosed-tag"],
)  # fmt: skip
def test_malformed_feed_keeps_entries_and_is_listed_once(feed: bytes) -> None:
    results = read_feed(feed, origin="bad.rss")
    problems = [r for r in _rejections(results) if r.reason == RejectionReason.MALFORMED_FEED]
    assert len(problems) == 1
    (problem,) = problems
    assert problem.item == "bad.rss"
    assert "not well-formed XML" in problem.detail
    assert "line 1" in problem.detail
    assert "\n" not in problem.detail
    first, second = _articles(results)
    assert first.text.startswith("First")
    assert second.text == "Second."
    assert len(results) == 3


def test_truncated_feed_keeps_what_came_before_the_break() -> None:
    feed = _rss("<title>One</title><description>First.</description>")
    feed = feed[: feed.index(b"</item>")]
    results = read_feed(feed, origin="cut.rss")
    assert [r.reason for r in _rejections(results)] == [RejectionReason.MALFORMED_FEED]
    (article,) = _articles(results)
    assert article.text == "First."


def test_iso_8859_1_without_declaration_is_decoded_right() -> None:
    problem, article = read_feed(ISO_8859_1, origin="vale.rss")
    assert isinstance(problem, Rejection)
    assert problem.reason == RejectionReason.MALFORMED_FEED
    assert "encoding" in problem.detail
    assert isinstance(article, Article)
    assert article.source == "Notícias do Vale"
    assert article.title == "Eleição em São João"
    assert article.text == "A votação começou às oito horas."
    assert article.published == dt.date(2018, 9, 24)  # a Portuguese RFC 822 date


def test_empty_feed_and_empty_file_have_no_articles() -> None:
    for data in (_rss(), b"", b" \n "):
        (rejection,) = read_feed(data, origin="empty.rss")
        assert isinstance(rejection, Rejection)
        assert rejection.reason == RejectionReason.NO_ARTICLES
        assert rejection.item == "empty.rss"


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        (b'<?xml version="1.0"?><catalog><item><title>A</title></item></catalog>', "<catalog>"),
        (b"<!DOCTYPE html><html><body><p>A page.</p></body></html>", "<html>"),
        (b"Just a line of plain text.", "not well-formed"),
    ],
)
def test_not_a_feed_is_unsupported(document: bytes, detail: str) -> None:
    (rejection,) = read_feed(document, origin="other.xml")
    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectionReason.UNSUPPORTED_FORMAT
    assert "not an RSS, Atom or JSON feed" in rejection.detail
    assert detail in rejection.detail


@pytest.mark.parametrize("encoding", [b"ut\x00f-8", b"utf-8\xff\xfe"])
def test_broken_encoding_declaration_is_malformed(encoding: bytes) -> None:
    feed = b'<?xml version="1.0" encoding="' + encoding + b'"?>' + _rss("<title>T</title>")
    (rejection,) = read_feed(feed, origin="enc.rss")
    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectionReason.MALFORMED
    assert rejection.detail.startswith("feedparser could not read it")


def test_scripts_and_styles_are_not_text() -> None:
    content = (
        "<![CDATA[<style>p { color: red }</style><p>Kept.</p>"
        '<script>alert("evil")</script><p>Also <!-- note -->kept.<br>Next line.</p>'
        "<noscript>Enable scripts</noscript><ul><li>one</li><li>two &eacute;</li></ul>]]>"
    )
    feed = _rss(
        f"<title>S</title><content:encoded>{content}</content:encoded>",
        head="",
    ).replace(
        b'<rss version="2.0">',
        b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    )
    (article,) = read_feed(feed, origin="s.rss")
    assert isinstance(article, Article)
    assert article.text == "Kept.\n\nAlso kept.\nNext line.\n\none\n\ntwo é"
    for word in ("alert", "evil", "color", "Enable"):
        assert word not in article.text


def test_external_entities_are_neither_read_nor_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    fetched: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        fetched.append(args)
        raise AssertionError("the feed reader tried to fetch")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    head = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        f'<!ENTITY file SYSTEM "{secret.as_uri()}">\n'
        '<!ENTITY web SYSTEM "http://entities.invalid/x">\n'
        '<!ENTITY % remote SYSTEM "http://entities.invalid/dtd"> %remote;\n'
        "]>\n"
    )
    feed = _rss("<title>T</title><description>A &file; B &web; C</description>", head=head)
    results = read_feed(feed, origin="xxe.rss")
    assert fetched == []
    for article in _articles(results):
        assert "TOP-SECRET" not in article.text
        assert article.text.startswith("A ")
    assert len(_articles(results)) == 1


def test_bytes_naming_a_file_are_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "real.rss"
    path.write_bytes(RSS2)
    (rejection,) = read_feed(str(path).encode(), origin="name.rss")
    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectionReason.UNSUPPORTED_FORMAT


def test_entry_without_text() -> None:
    results = read_feed(
        _rss(
            "<title>Only a title</title>",
            '<title>Only markup</title><description>&lt;img src="x.jpg"/&gt;</description>',
        ),
        origin="t.rss",
    )
    assert [r.reason for r in _rejections(results)] == [RejectionReason.NO_MAIN_TEXT] * 2
    assert [r.item for r in _rejections(results)] == ["t.rss#entry-1", "t.rss#entry-2"]


def test_dates() -> None:
    results = read_feed(
        _rss(
            "<description>a</description><pubDate>someday soon</pubDate>",
            "<description>b</description><pubDate>3 Mär 2024</pubDate>",
            "<description>c</description><pubDate>no</pubDate><dc:date>2024-01-02</dc:date>",
        ).replace(b"<rss ", b'<rss xmlns:dc="http://purl.org/dc/elements/1.1/" '),
        origin="d.rss",
    )
    bad, german, fallback = results
    assert isinstance(bad, Rejection)
    assert bad.reason == RejectionReason.BAD_DATE
    assert "someday soon" in bad.detail
    assert isinstance(german, Article)
    assert german.published == dt.date(2024, 3, 3)
    assert isinstance(fallback, Article)
    assert fallback.published == dt.date(2024, 1, 2)  # publication unreadable: the update date


def test_oversized_text_is_rejected() -> None:
    results = read_feed(_rss("<description>Twelve chars</description>"), origin="o.rss")
    assert isinstance(results[0], Article)
    (rejection,) = read_feed(
        _rss("<description>Twelve chars</description>"), origin="o.rss", max_text_chars=11
    )
    assert isinstance(rejection, Rejection)
    assert rejection.reason == RejectionReason.OVERSIZED


def test_repeated_ids_are_left_to_the_ingestor() -> None:
    item = "<guid>same</guid><description>Text.</description>"
    first, second = read_feed(_rss(item, item), origin="r.rss")
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.id == second.id == "same"
    assert first.origin != second.origin


def test_source_falls_back_to_link_host_then_file_name() -> None:
    linked = _rss(
        "<description>Text.</description>", title="<link>https://news.example/front</link>"
    )
    (article,) = read_feed(linked, origin="feeds/linked.rss")
    assert isinstance(article, Article)
    assert article.source == "news.example"
    (article,) = read_feed(_rss("<description>Text.</description>", title=""), origin="a/b.rss")
    assert isinstance(article, Article)
    assert article.source == "b"


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (RSS2, True),
        (ATOM, True),
        (RDF, True),
        (JSON_FEED, True),
        (ISO_8859_1, True),
        (_rss(head='<!-- a comment -->\n<!DOCTYPE rss [<!ENTITY a "b">]>\n'), True),
        (b"\xef\xbb\xbf" + ATOM, True),
        ("<?xml version='1.0' encoding='utf-16'?><rss/>".encode("utf-16"), True),
        (b'{"items": [], "version": "https:\\/\\/jsonfeed.org\\/version\\/1"', True),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', False),
        (b'<?xml version="1.0"?><catalog/>', False),
        (b"<!DOCTYPE html><html></html>", False),
        (b'{"version": "1.0", "items": []}', False),
        (b"plain text", False),
        (b"", False),
        (b"<!-- never closed", False),
    ],
)
def test_looks_like_feed(head: bytes, expected: bool) -> None:
    assert looks_like_feed(head) is expected


# ---------------------------------------------------------------- real feeds

_REAL_FEEDS = (
    "guardian.rss",
    "uolNoticias.rss",
    "heise.atom",
    "feedburner.atom",
    "reddit.rss",
    "feed.json",
)


# Elements of these namespaces share names with the feed's own (Media RSS has <content>).
_OTHER_NAMESPACES = frozenset({"http://search.yahoo.com/mrss/"})


@dataclass(frozen=True, slots=True)
class _Expected:
    """An entry as read independently of the feed reader."""

    title: str
    has_content: bool
    has_text: bool
    date: str | None  # the publication (else update) date as written


def _local(element: etree._Element) -> str:
    return str(etree.QName(element).localname)


def _expected_entries(path: Path) -> tuple[str, list[_Expected]]:
    """The feed's title and its entries, read with lxml or json, not feedparser."""
    data = path.read_bytes()
    if path.suffix == ".json":
        document = json.loads(data)
        entries = [
            _Expected(
                title=item.get("title", ""),
                has_content=bool(item.get("content_html") or item.get("content_text")),
                has_text=bool(
                    item.get("content_html") or item.get("content_text") or item.get("summary")
                ),
                date=item.get("date_published") or item.get("date_modified"),
            )
            for item in document["items"]
        ]
        return document["title"], entries
    encoding = "iso-8859-1" if path.name == "uolNoticias.rss" else None  # per the README
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, encoding=encoding
    )
    root = etree.fromstring(data, parser)
    channel = next((e for e in root.iter() if _local(e) == "channel"), root)
    feed_title = next(e for e in channel if _local(e) == "title").text
    entries = []
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element) not in ("item", "entry"):
            continue
        children: dict[str, str] = {}
        for child in element:
            if isinstance(child.tag, str) and etree.QName(child).namespace not in _OTHER_NAMESPACES:
                children.setdefault(_local(child), "".join(child.itertext()).strip())
        content = children.get("content") or children.get("encoded") or ""
        summary = children.get("description") or children.get("summary") or ""
        date = next(
            (children[k] for k in ("pubDate", "published", "updated", "date") if k in children),
            None,
        )
        entries.append(
            _Expected(
                title=" ".join(children.get("title", "").split()),
                has_content=bool(content),
                has_text=bool(content or summary),
                date=date,
            )
        )
    return str(feed_title).strip(), entries


def _written_day(date: str) -> tuple[int, int]:
    """(year, day of month) as the feed wrote them, in ISO 8601 or RFC 822."""
    iso = re.match(r"(\d{4})-\d{2}-(\d{2})", date)
    if iso:
        return int(iso.group(1)), int(iso.group(2))
    rfc822 = re.search(r"(\d{1,2}) \w+ (\d{4})", date)
    assert rfc822 is not None, date
    return int(rfc822.group(2)), int(rfc822.group(1))


@pytest.mark.parametrize("name", _REAL_FEEDS)
def test_real_feed_every_entry_is_accounted_for(name: str) -> None:
    path = shared_path("benchmarks", "feeds", name)
    if not path.is_file():
        pytest.skip(f"real feed missing: {path}")
    feed_title, expected = _expected_entries(path)
    origin = str(path)
    results = read_feed(path.read_bytes(), origin=origin)

    whole_feed = [r for r in _rejections(results) if r.item == origin]
    if name == "uolNoticias.rss":  # ISO-8859-1 without a declaration: flagged, read right
        assert [r.reason for r in whole_feed] == [RejectionReason.MALFORMED_FEED]
    else:
        assert whole_feed == []
    by_item: dict[str, _Result] = {}
    for result in results:
        item = result.origin if isinstance(result, Article) else result.item
        if item != origin:
            assert item not in by_item
            by_item[item] = result
    assert len(by_item) == len(expected) > 0
    assert sorted(by_item) == sorted(f"{origin}#entry-{n}" for n in range(1, len(expected) + 1))

    for number, entry in enumerate(expected, start=1):
        result = by_item[f"{origin}#entry-{number}"]
        if not entry.has_text:
            assert isinstance(result, Rejection)
            assert result.reason == RejectionReason.NO_MAIN_TEXT
            continue
        assert isinstance(result, Article), result
        assert result.title == entry.title
        assert result.title
        assert result.text.strip()
        assert result.partial is not entry.has_content
        assert result.source == feed_title
        if entry.date is not None:
            assert result.published is not None
            assert (result.published.year, result.published.day) == _written_day(entry.date)
        for field in (result.text, result.title, result.source):
            assert "\ufffd" not in field
            assert "Ã" not in field  # UTF-8 read as Latin-1
