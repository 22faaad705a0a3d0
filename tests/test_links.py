"""chengguan.links.safe_href: the one gate between an address and an href/src."""

from __future__ import annotations

import pytest

from chengguan.links import is_web_url, safe_href

HOSTILE = [
    "javascript:alert(document.domain)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "javas\u200bcript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "mailto:a@b.c",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example\\x",
    "https:\\\\evil.example",
    "https:evil.example",
    "https://",
    "http:///path",
    "/etc/passwd",
    "../secret.html",
    "data/../../x.html",
    "%2e%2e/x.html",
    "a:b/c.html",
    "",
    "   ",
    None,
    float("nan"),
]


@pytest.mark.parametrize("url", HOSTILE)
def test_refused(url: object) -> None:
    assert safe_href(url) is None  # type: ignore[arg-type]
    assert not is_web_url(url)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.shanghai.gov.cn/a/b.html?x=1&y=2#f", "https://www.shanghai.gov.cn/a/b.html?x=1&y=2#f"),
    ("  http://cgzf.sh.gov.cn/x  ", "http://cgzf.sh.gov.cn/x"),
    ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
    ("https://例子.中国/路径", "https://例子.中国/路径"),
])
def test_web_urls_pass(url: str, expected: str) -> None:
    assert safe_href(url) == expected
    assert is_web_url(url)


@pytest.mark.parametrize(("url", "base"), [
    ("data/observations.csv", ""), ("index.en.html#data", ""), ("#obs-a_1", ""),
    ("../index.html", "data"), ("explorer.en.html", "data"), ("../made-zh.html", "data/"),
])
def test_relative_links_inside_outputs_pass(url: str, base: str) -> None:
    assert safe_href(url, base) == url
    assert not is_web_url(url)  # fine on a page, not as a URL in data/


@pytest.mark.parametrize(("url", "base"), [("../index.html", ""), ("../../x", "data"), ("/index.html", "data")])
def test_relative_links_leaving_outputs_refused(url: str, base: str) -> None:
    assert safe_href(url, base) is None
