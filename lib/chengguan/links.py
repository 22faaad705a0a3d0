"""Which addresses may become a link: the one gate between a URL and an ``href``/``src``.

Escaping protects text, not the meaning of an attribute: ``javascript:alert(1)``, escaped, is still
a script when clicked. Every place that turns an address from the data (or from anything a reader
could have influenced) into an ``href`` or ``src`` asks :func:`safe_href` first; when it says no,
the text is shown unlinked (and escaped, as all text is).

Two kinds of address pass:

- an absolute ``http``/``https`` URL with a host (``https://www.shanghai.gov.cn/...``);
- a relative link that stays inside ``outputs/`` (``data/observations.csv``, ``../index.html``
  from a page in ``outputs/data/``, ``#obs-x``), resolved against the folder of the page that
  shows it.

Everything else is refused: other schemes (``javascript:``, ``vbscript:``, ``data:``, ``file:``...,
in any case, with tabs, newlines or controls hidden inside, which browsers strip before reading
the scheme), scheme-relative ``//host`` links, absolute paths, backslashes (browsers read them as
``/``), and relative paths that climb out of ``outputs/``.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
import unicodedata
from urllib.parse import unquote, urlsplit

__all__ = ["safe_href", "is_web_url", "unlink_unsafe", "WEB_SCHEMES"]

WEB_SCHEMES = ("http", "https")
"""The only schemes an absolute link may have."""

# A scheme as browsers read it (RFC 3986: a letter, then letters, digits, "+", "-", ".").
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _clean(url: object) -> str | None:
    """``url`` as text without surrounding whitespace, or None when it is missing or holds a
    character a browser would drop or a reader could not see (controls, format characters such as
    zero-width or bidi overrides, whitespace inside)."""
    if url is None or (isinstance(url, float) and math.isnan(url)):
        return None
    text = str(url).strip()
    if not text:
        return None
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return None
        if ch in '"<>`':  # never in a URL (RFC 3986 has them percent-encoded); an attribute breakout
            return None
    return text


def is_web_url(url: object) -> bool:
    """Whether ``url`` is an absolute ``http``/``https`` URL with a host, safe to link: the form
    every URL in ``data/`` must have (the validator refuses anything else)."""
    text = _clean(url)
    if text is None or "\\" in text:
        return False
    match = _SCHEME.match(text)
    if not match or match.group(1).lower() not in WEB_SCHEMES:
        return False
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname) and text[len(match.group(0)):].startswith("//")


def _inside_outputs(path: str, base: str) -> bool:
    """Whether the relative ``path``, seen from the folder ``base`` of ``outputs/``, stays inside it."""
    # Percent-decoding first: a server decodes "%2e%2e/" to "../" before it looks the file up.
    decoded = unquote(path)
    if decoded.startswith("/") or "\\" in decoded:
        return False
    joined = posixpath.normpath(posixpath.join(base.strip("/") or ".", decoded or "."))
    return joined != ".." and not joined.startswith("../") and not joined.startswith("/")


def safe_href(url: str | None, base: str = "") -> str | None:
    """The address to put in an ``href``/``src`` for ``url``, or None when it must not be a link.

    ``base`` is the folder, relative to ``outputs/``, of the page the link appears on (``""`` for
    ``outputs/index.html``, ``"data"`` for ``outputs/data/explorer.html``); it only matters for
    relative links, which must stay inside ``outputs/``. The returned text is the address without
    surrounding whitespace and still needs HTML escaping in the attribute (``&`` in a query).
    Missing values (None, NaN, empty text) give None.
    """
    text = _clean(url)
    if text is None:
        return None
    if _SCHEME.match(text):
        return text if is_web_url(text) else None
    if text.startswith("//") or "\\" in text:
        return None  # scheme-relative: another host, whatever the page's own scheme
    path = re.split(r"[?#]", text, maxsplit=1)[0]
    # A colon in the first segment would be read as a scheme by some parsers ("javascript%3A" is
    # harmless, but "a:b" is not a relative path we ever write).
    if ":" in path.split("/", 1)[0]:
        return None
    return text if _inside_outputs(path, base) else None


# -- a finished page --------------------------------------------------------------------------

# The attributes whose value a browser follows or fetches.
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "background",
                   "data", "cite", "srcset")
_TAG = re.compile(
    r"""<([A-Za-z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)(\s*/?)>""")
_ATTRIBUTE = re.compile(
    r"""(\s+)([^\s"'>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# Images embedded by the build (charts are PNG in the page): raster types only, never SVG/HTML.
_EMBEDDED_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)


def unlink_unsafe(page: str, base: str = "") -> str:
    """``page`` (HTML) with every link or resource address that :func:`safe_href` refuses removed
    (the attribute goes, the element and its text stay): the last gate of a rendered page, after
    the helpers that should already have refused them. ``<img src>`` may also hold an embedded
    PNG/JPEG/GIF/WebP image (``data:image/png;base64,...``). ``base`` as for :func:`safe_href`."""

    def attribute(tag: str, match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name not in _URL_ATTRIBUTES or match.group(4) is None:
            return match.group(0)
        raw = match.group(4)
        value = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
        if name == "srcset":  # "a.png 1x, b.png 2x": every address must pass
            urls = [part.strip().split()[0] for part in value.split(",") if part.strip()]
            return match.group(0) if urls and all(safe_href(u, base) for u in urls) else ""
        if tag == "img" and name == "src" and _EMBEDDED_IMAGE.fullmatch(value.strip()):
            return match.group(0)
        return match.group(0) if safe_href(value, base) is not None else ""

    def tag(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        attributes = _ATTRIBUTE.sub(lambda m: attribute(name, m), match.group(2))
        return f"<{match.group(1)}{attributes}{match.group(3)}>"

    return _TAG.sub(tag, page)
