"""Rich text written by staff and shown to the public: one sanitiser for every app."""

import re
from html import escape

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "hr",
    "a",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}


def sanitize_html(html: str) -> str:
    """Keep text structure and tables; drop scripts, styles, event handlers, SVG and any link
    that is not http(s) or mailto."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The text of an HTML fragment with every tag removed (for checks on what a reader sees)."""
    return nh3.clean(html or "", tags=set())


# A plain-text body (no HTML tag at all) follows a small convention, so staff type structure
# instead of HTML: a blank line starts a new paragraph, a single line break stays a line break,
# lines beginning "- " (or "· ", "• ", "* ") form a list, lines beginning "1. " / "1、" a numbered
# list, and lines beginning and ending with "|" a table (a "|---|" line after the first row makes
# it the header).
_ANY_TAG = re.compile(
    r"<\s*/?\s*(p|br|strong|b|em|i|u|s|sub|sup|ul|ol|li|h[1-6]|blockquote|hr|a|table|caption|thead|tbody|tfoot"
    r"|tr|th|td|div|span|font|script|style|img|iframe|object|embed|svg|math|form|input|link|meta)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[-·•*]\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}\s*[.、．)]\s*")
_RULE_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _table(lines: list[str]) -> str:
    rows = [[escape(cell.strip()) for cell in line.strip().strip("|").split("|")] for line in lines]
    header = None
    if len(rows) > 1 and _RULE_ROW.match(lines[1].strip()):
        header, rows = rows[0], rows[2:]
    html = ["<table>"]
    if header:
        html.append("<thead><tr>" + "".join(f"<th>{c}</th>" for c in header) + "</tr></thead>")
    html.append("<tbody>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</tbody>")
    html.append("</table>")
    return "".join(html)


def _block(lines: list[str]) -> str:
    if all(_BULLET.match(line) for line in lines):
        return "<ul>" + "".join(f"<li>{escape(_BULLET.sub('', line))}</li>" for line in lines) + "</ul>"
    if all(_NUMBERED.match(line) for line in lines):
        return "<ol>" + "".join(f"<li>{escape(_NUMBERED.sub('', line))}</li>" for line in lines) + "</ol>"
    if all(line.strip().startswith("|") and line.strip().endswith("|") for line in lines):
        return _table(lines)
    return "<p>" + "<br>".join(escape(line.strip()) for line in lines) + "</p>"


def plain_text_to_html(text: str) -> str:
    """The convention above, applied to text with no HTML tag; every character escaped."""
    blocks, current = [], []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return "".join(_block(lines) for lines in blocks)


def body_html(text: str) -> str:
    """A notice body as typed: HTML is sanitised as it is; plain text follows the convention."""
    if not _ANY_TAG.search(text or ""):
        text = plain_text_to_html(text)
    return sanitize_html(text)
