"""Web pages in: decoding, extraction, gzip files and rejections, on pages written here."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from pathlib import Path

import pytest

from storyline.evaluate.extraction import read_gold_pages
from storyline.ingest.html import ExtractionOptions, read_html_file, read_page
from storyline.model import Article, Rejection, RejectionReason
from tests.builders import shared_path

FUNDUS = shared_path("benchmarks", "html", "fundus_en", "gold.jsonl")

BRIDGE = (
    "The harbour authority of Porto Lumen said on Tuesday that the old swing bridge will close "
    "for repairs next spring, after engineers found corrosion in two of its main girders.",
    "Ferries will run every twenty minutes during the works, the authority said, and cyclists "
    "will be allowed to take their bicycles aboard for free.",
    "Local shop owners said they feared fewer visitors during the summer months, when the "
    "bridge usually carries thousands of tourists a day.",
)
FETE = (
    "L'été dernier, la fête du port a réuni des milliers de visiteurs venus goûter les "
    "spécialités régionales, écouter les orchestres et admirer les bateaux décorés.",
    "Les commerçants ont noté une hausse très nette de la fréquentation, grâce à la météo "
    "clémente et aux nouveaux horaires des ferries de la côte.",
)
# Curly quotes, a dash and the euro sign: bytes 0x93 0x94 0x96 0x80 in windows-1252.
QUOTED = (
    "“We will not raise the fare,” the mayor said – the ticket stays at €2 for residents, "
    "and children under twelve travel free on every line of the network.",
    "The council will vote on the budget for the ferries in June, after a public consultation "
    "that drew more than four hundred written comments from islanders.",
)
NAVIGATION = (
    "<html><head><title>Lumen Gazette</title></head><body><nav><ul>"
    '<li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
    '<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>'
    "</ul></nav><footer>Lumen Gazette</footer></body></html>"
)
LIMITS = {"max_file_bytes": 1_000_000, "max_text_chars": 100_000}


def _page(paragraphs: tuple[str, ...], *, head: str = "", heading: str = "") -> str:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    title = f"<h1>{heading}</h1>" if heading else ""
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article>{title}{body}</article><footer>© Lumen Gazette</footer></body></html>"
    )


def _article(result: Article | Rejection) -> Article:
    assert isinstance(result, Article), result
    return result


def _rejection(result: Article | Rejection, reason: RejectionReason) -> Rejection:
    assert isinstance(result, Rejection), result
    assert result.reason is reason, result
    return result


def test_a_utf8_page_gives_its_paragraphs_separated_by_blank_lines() -> None:
    page = _page(BRIDGE, head='<meta charset="utf-8"><title>Bridge to close</title>')
    article = _article(read_page(page.encode("utf-8"), origin="pages/bridge.html"))
    assert article.text == "\n\n".join(BRIDGE)
    assert article.title == "Bridge to close"
    assert (article.id, article.source, article.origin) == ("bridge", "bridge", "pages/bridge.html")
    assert article.url is None
    assert article.published is None


def test_a_latin1_page_without_declaration_is_detected_not_read_as_utf8() -> None:
    page = _page(FETE, head="<title>La fête du port</title>")
    article = _article(read_page(page.encode("iso-8859-1"), origin="fete.html"))
    assert article.text == "\n\n".join(FETE)
    assert article.title == "La fête du port"


def test_a_windows_1252_page_is_read_by_its_meta_declaration() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    data = _page(QUOTED, head=head).encode("cp1252")
    assert b"\x93" in data
    assert b"\x80" in data
    assert _article(read_page(data, origin="fare.html")).text == "\n\n".join(QUOTED)


def test_a_page_declared_latin1_is_read_as_windows_1252_as_browsers_do() -> None:
    data = _page(QUOTED, head='<meta charset="iso-8859-1">').encode("cp1252")
    assert "“We will not raise the fare,”" in _article(read_page(data, origin="f.html")).text


def test_the_given_charset_comes_before_the_page_declaration_and_a_bad_one_is_passed_over() -> None:
    data = _page(QUOTED, head='<meta charset="utf-8">').encode("cp1252")
    given = _article(read_page(data, origin="f.html", charset="windows-1252"))
    assert given.text == "\n\n".join(QUOTED)
    unknown = _article(read_page(data, origin="f.html", charset="no-such-charset"))
    assert unknown.text == "\n\n".join(QUOTED)  # the declared UTF-8 fails too: detected


def test_a_byte_order_mark_decides_the_charset() -> None:
    data = b"\xff\xfe" + _page(FETE, head='<meta charset="utf-8">').encode("utf-16-le")
    assert _article(read_page(data, origin="bom.html")).text == "\n\n".join(FETE)


def test_binary_bytes_are_undecodable() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    rejection = _rejection(read_page(data, origin="logo.html"), RejectionReason.UNDECODABLE)
    assert "NUL byte at offset 8" in rejection.detail


def test_a_page_of_navigation_only_has_no_main_text() -> None:
    result = read_page(NAVIGATION.encode(), origin="menu.html")
    assert "menus" in _rejection(result, RejectionReason.NO_MAIN_TEXT).detail


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "the page is empty"),
        (b" \n\t ", "the page is empty"),
        (
            b"<html><head><script>var a = 1;</script></head><body><div></div></body></html>",
            "no visible text",
        ),
    ],
)
def test_an_empty_page_has_no_main_text(data: bytes, why: str) -> None:
    assert why in _rejection(read_page(data, origin="e.html"), RejectionReason.NO_MAIN_TEXT).detail


def test_text_without_markup_is_not_html() -> None:
    result = read_page(b"just a line of text", origin="t.html")
    _rejection(result, RejectionReason.NOT_HTML)


def test_a_text_over_the_limit_is_oversized() -> None:
    data = _page(BRIDGE).encode()
    result = read_page(data, origin="b.html", max_text_chars=100)
    assert "over the limit of 100" in _rejection(result, RejectionReason.OVERSIZED).detail


def test_canonical_url_og_metadata_and_authors() -> None:
    head = (
        '<meta charset="utf-8"><title>Bridge to close for repairs | Lumen Gazette</title>'
        '<meta property="og:title" content="Bridge to close for repairs | Lumen Gazette">'
        '<meta property="og:site_name" content="Lumen Gazette">'
        '<link rel="canonical" href="https://www.gazette.example/news/2031/04/bridge-to-close">'
        '<meta name="author" content="Ada Ferreira; Tomás Lind">'
        '<meta property="article:published_time" content="2031-04-08T09:30:00+02:00">'
    )
    data = _page(BRIDGE, head=head, heading="Bridge to close for repairs").encode()
    fetched = dt.date(2031, 5, 1)
    article = _article(
        read_page(data, origin="crawl:7", url="https://gazette.example/b?x=1", fetched=fetched)
    )
    assert article.url == "https://www.gazette.example/news/2031/04/bridge-to-close"
    assert re.fullmatch(r"gazette\.example-news-2031-04-bridge-to-close-[0-9a-f]{8}", article.id)
    assert article.source == "Lumen Gazette"
    assert article.title == "Bridge to close for repairs"  # the site's name cut off
    assert article.authors == ("Ada Ferreira", "Tomás Lind")
    assert article.published == dt.date(2031, 4, 8)
    assert article.text == "\n\n".join(BRIDGE)  # the <h1> is the title, not the text
    again = _article(read_page(data, origin="elsewhere.html", url=None, fetched=fetched))
    assert again.id == article.id  # the same page gets the same id


def test_the_headline_sources_vote_and_the_meta_titles_count_once() -> None:
    head = (
        "<title>Ferry fares frozen | Lumen Gazette</title>"
        '<meta property="og:title" content="Ferry fares frozen">'
        '<meta name="twitter:title" content="Ferry fares frozen">'
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Mayor freezes ferry fares for residents"}'
        "</script>"
    )
    page = _page(QUOTED, head=head, heading="Mayor freezes ferry fares for residents")
    result = read_page(page.encode(), origin="f.html", url="https://gazette.example/fares")
    assert _article(result).title == "Mayor freezes ferry fares for residents"
    trafilatura = ExtractionOptions(title="trafilatura")
    by_trafilatura = read_page(page.encode(), origin="f.html", options=trafilatura)
    assert _article(by_trafilatura).title != "Mayor freezes ferry fares for residents"


def _titled(head: str, heading: str = "") -> str | None:
    page = _page(BRIDGE, head=f'<meta charset="utf-8">{head}', heading=heading)
    result = read_page(page.encode(), origin="t.html", url="https://gazette.example/b")
    return _article(result).title


def test_a_heading_that_is_only_the_site_name_does_not_vote() -> None:
    head = (
        '<meta property="og:site_name" content="Lumen Gazette">'
        '<meta property="og:title" content="Bridge to close for repairs">'
        "<title>Bridge to close for repairs | Lumen Gazette</title>"
    )
    for logo in ("Lumen Gazette", "The Lumen Gazette", "Lumen Gazette Online"):
        assert _titled(head, heading=logo) == "Bridge to close for repairs", logo


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Lumen Gazette | Bridge to close for repairs", "Bridge to close for repairs"),
        ("Lumen Gazette News - Bridge to close for repairs", "Bridge to close for repairs"),
        # a colon without a space before it is a headline's own ("Speaker: words")
        ("Lumen Gazette: we close the bridge", "Lumen Gazette: we close the bridge"),
        ("The Lumen Gazette - Bridge to close | Harbour", "Bridge to close | Harbour"),
        ("Lumen: the town that closed its bridge", "Lumen: the town that closed its bridge"),
        ("Gazette: Lumen", "Gazette: Lumen"),  # too short a rest to be the headline
    ],
)
def test_a_leading_site_name_is_cut_from_a_title(text: str, title: str) -> None:
    head = f'<meta property="og:site_name" content="Lumen Gazette"><title>{text}</title>'
    assert _titled(head) == title


def test_the_site_name_is_also_taken_from_the_json_ld_publisher() -> None:
    head = (
        '<meta property="og:site_name" content="PLC">'
        '<meta property="og:title" content="Bridge to close for repairs | Porto Lumen Courier">'
        '<script type="application/ld+json">{"@type": "WebPage", '
        '"publisher": {"@type": "NewsMediaOrganization", "name": "Porto Lumen Courier"}}'
        "</script>"
    )
    assert _titled(head) == "Bridge to close for repairs"


def test_an_entity_the_page_escaped_twice_is_decoded_in_the_title() -> None:
    head = '<meta property="og:title" content="Mayor&amp;#8217;s bridge &amp;amp; ferry plan">'
    assert _titled(head) == "Mayor\u2019s bridge & ferry plan"


def test_a_date_after_the_fetch_is_not_the_publication_date() -> None:
    head = '<meta property="article:published_time" content="2031-06-08T09:30:00+00:00">'
    data = _page(BRIDGE, head=head).encode()
    early = _article(read_page(data, origin="b.html", fetched=dt.date(2031, 5, 1)))
    assert early.published != dt.date(2031, 6, 8)
    late = _article(read_page(data, origin="b.html", fetched=dt.date(2031, 6, 8)))
    assert late.published == dt.date(2031, 6, 8)


def test_a_canonical_home_page_is_a_template_error_and_the_given_url_stays() -> None:
    head = '<link rel="canonical" href="https://gazette.example/">'
    given = "https://gazette.example/news/bridge"
    article = _article(read_page(_page(BRIDGE, head=head).encode(), origin="b", url=given))
    assert article.url == given
    assert article.source == "gazette.example"


def test_an_unparseable_url_given_is_left_out() -> None:
    result = read_page(_page(BRIDGE).encode(), origin="b.html", url="http://[::1/bridge")
    article = _article(result)
    assert (article.url, article.id, article.source) == (None, "b", "b")


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="'title' parameter of ExtractionOptions"):
        ExtractionOptions(title="og")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="exclude each other"):
        ExtractionOptions(favor_precision=True, favor_recall=True)


# --- files -------------------------------------------------------------------------------


def test_a_gzip_page_reads_as_its_content(tmp_path: Path) -> None:
    page = _page(BRIDGE, head='<meta charset="utf-8">').encode()
    plain, packed = tmp_path / "bridge.html", tmp_path / "bridge.html.gz"
    plain.write_bytes(page)
    packed.write_bytes(gzip.compress(page))
    from_plain = _article(read_html_file(plain, origin=str(plain), **LIMITS))
    from_gzip = _article(read_html_file(packed, origin=str(packed), **LIMITS))
    assert from_gzip.text == from_plain.text == "\n\n".join(BRIDGE)
    assert from_gzip.id == from_plain.id == "bridge"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (gzip.compress(b"<html><body><p>cut short</p></body></html>" * 50)[:-30], "ends early"),
        (b"\x1f\x8b\x08\x00garbage that is not deflate data", "corrupt gzip"),
        (b"<html>not compressed at all</html>", "not gzip data"),
    ],
)
def test_a_corrupt_gzip_is_malformed(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "broken.htm.gz"
    path.write_bytes(content)
    result = read_html_file(path, origin="broken.htm.gz", **LIMITS)
    assert why in _rejection(result, RejectionReason.MALFORMED).detail


def test_a_gzip_that_inflates_past_the_limit_is_oversized(tmp_path: Path) -> None:
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b" " * 2_000_000))
    result = read_html_file(path, origin="bomb.html.gz", **LIMITS)
    assert "once decompressed" in _rejection(result, RejectionReason.OVERSIZED).detail


def test_file_rejections(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<html>" + b" " * 2_000 + b"</html>")
    result = read_html_file(big, origin="big.html", max_file_bytes=1_000, max_text_chars=100)
    _rejection(result, RejectionReason.OVERSIZED)
    missing = read_html_file(tmp_path / "gone.html", origin="gone.html", **LIMITS)
    _rejection(missing, RejectionReason.NOT_FOUND)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    _rejection(
        read_html_file(text, origin="notes.txt", **LIMITS), RejectionReason.UNSUPPORTED_FORMAT
    )


@pytest.mark.skipif(not FUNDUS.is_file(), reason=f"benchmark missing: {FUNDUS}")
def test_every_fundus_page_ends_as_an_article_or_a_rejection() -> None:
    ids = set()
    pages = read_gold_pages(FUNDUS)
    for page in pages:
        data = page.html_path.read_bytes()
        result = read_page(data, origin=page.id, url=page.url, fetched=page.fetched)
        assert isinstance(result, Article | Rejection)
        if isinstance(result, Article):
            assert result.text.strip()
            assert result.url
            assert result.id not in ids
            ids.add(result.id)
    assert len(ids) >= len(pages) - 2
