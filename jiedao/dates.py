"""Dates as people type them, the one parser for forms and imports.

"2026-11-30", "2026/11/30", "2026.11.30", "2026年11月30日" and "2026年1月5日" are the same kind of
date; full-width digits (２０２６年１月５日) and stray spaces are tolerated. Django's own Chinese
input format ("%Y年%n月%j日") is not a strptime format (%j is the day of the year), so the
project's format module (jiedao/formats/zh_Hans) declares these instead, and every DateField of
every form parses them; the import cells call `parse_date_text` directly.
"""

import re
import unicodedata
from datetime import date, datetime

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = [
    *(f"{fmt} %H:%M:%S" for fmt in DATE_INPUT_FORMATS),
    *(f"{fmt} %H:%M" for fmt in DATE_INPUT_FORMATS),
    *(f"{fmt}%H:%M" for fmt in DATE_INPUT_FORMATS if fmt.endswith("日")),
]

_SPACES = re.compile(r"\s+")


def normalise_date_text(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC); no spaces inside a date; 号 as 日."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    date_part, sep, time_part = text.partition(" ") if ":" in text else (text, "", "")
    date_part = _SPACES.sub("", date_part).replace("号", "日")
    if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}", date_part):
        date_part += "日"  # 2026年11月30 without its 日
    return f"{date_part} {time_part.strip()}" if sep else date_part


def parse_date_text(text) -> date | None:
    """The date `text` names in one of DATE_INPUT_FORMATS, else None."""
    if text is None:
        return None
    cleaned = normalise_date_text(text)
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None
