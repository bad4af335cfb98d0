"""ID-card and mobile numbers inside free text: the one detector, used where public text is refused
at save and where a resident's own words (or an audit entry) are shown masked.

Text is normalised first, so formatting cannot hide a number: NFKC turns full-width digits into
ASCII, zero-width characters vanish, and spaces, hyphens, dots and similar separators between
digits count as nothing ("138 1234 5678", "139-1234-5678", "５１０１…", a spaced ID). A number must
start and end at a boundary of what was written (the start or end of a run of digits, or a
separator), so an amount, a date or a longer account number is not taken for one.
(jiedao/identity.py validates and masks a single field instead.)"""

import re
import unicodedata
from dataclasses import dataclass

from jiedao.identity import ID_RE, mask_digits, mask_id_number, mask_mobile, mask_name

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Separators people put between groups of digits; a comma is not one (amounts: 1,234,567.89).
SEPARATORS = frozenset("-.·_/\\\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fb\uff65")
MAX_SEPARATOR_RUN = 3  # "138 - 1234" still counts; a longer gap ends the number

ID_SHAPE = re.compile(r"\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dX]")
MOBILE_SHAPE = re.compile(r"1[3-9]\d{9}")
MOBILE_PREFIXES = ("86", "0086")  # +86 138… written without a separator
# Chinese numerals read out as digits (幺 is how "1" is said over the phone); other scripts'
# decimal digits (Arabic-Indic …) count too.
CHINESE_DIGITS = {"〇": "0", "零": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5"}
CHINESE_DIGITS |= {"六": "6", "七": "7", "八": "8", "九": "9"}


def _digit(char: str) -> str | None:
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    return CHINESE_DIGITS.get(char)


@dataclass(frozen=True)
class Found:
    kind: str  # "id" or "mobile"
    value: str  # the normalised number: 18 characters (X upper-case) or 11 digits
    start: int  # its span in the original text
    end: int


def normalise(text: str) -> str:
    """NFKC without zero-width characters (separators are kept; see find_personal_numbers)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text or "") if c not in ZERO_WIDTH)


def _is_separator(char: str) -> bool:
    return char.isspace() or char in SEPARATORS


def _runs(text: str):
    """Runs of digits, each as a list of (digit, start, end, after_separator) with spans in the
    original text; separators (and zero-width characters) inside a run count as nothing."""
    run, gap, gap_seen = [], 0, False
    for index, original in enumerate(text):
        if original in ZERO_WIDTH:
            continue
        for char in unicodedata.normalize("NFKC", original):
            digit = _digit(char)
            if digit is not None:
                run.append((digit, index, index + 1, gap_seen and bool(run)))
                gap, gap_seen = 0, False
            elif char in "Xx" and run:  # an ID's last character, even after a separator
                run.append(("X", index, index + 1, gap_seen))
                yield run
                run, gap, gap_seen = [], 0, False
            elif run and _is_separator(char) and gap < MAX_SEPARATOR_RUN:
                gap, gap_seen = gap + 1, True
            else:
                if run:
                    yield run
                run, gap, gap_seen = [], 0, False
    if run:
        yield run


def _boundaries(run) -> set[int]:
    return {0, len(run)} | {i for i, item in enumerate(run) if item[3]}


def find_personal_numbers(text: str) -> list[Found]:
    found = []
    for run in _runs(text or ""):
        digits = "".join(item[0] for item in run)
        cuts = _boundaries(run)
        taken = set()
        for kind, length, shape in (("id", 18, ID_SHAPE), ("mobile", 11, MOBILE_SHAPE)):
            starts = set(cuts)
            if kind == "mobile":  # +86 / 0086 glued to the number
                starts |= {start + len(p) for start in cuts for p in MOBILE_PREFIXES if digits.startswith(p, start)}
            for start in sorted(starts):
                end = start + length
                if end not in cuts or taken & set(range(start, end)):
                    continue
                value = digits[start:end]
                if shape.fullmatch(value):
                    taken |= set(range(start, end))
                    found.append(Found(kind, value, run[start][1], run[end - 1][2]))
    return sorted(found, key=lambda f: f.start)


def has_personal_numbers(text: str) -> bool:
    return bool(find_personal_numbers(text))


def mask_personal_numbers(text: str) -> str:
    """Each number found replaced by its mask (jiedao.identity): an ID keeps only its last four
    characters, a mobile its first three and last four digits; the rest of the text is unchanged."""
    text = text or ""
    pieces, position = [], 0
    for found in find_personal_numbers(text):
        pieces.append(text[position : found.start])
        pieces.append(mask_id_number(found.value) if found.kind == "id" else mask_mobile(found.value))
        position = found.end
    pieces.append(text[position:])
    return "".join(pieces)


# The name used before the detector normalised its input.
mask_personal = mask_personal_numbers


def mask_contact(value: str | None) -> str:
    """A resident's contact: a mobile as mask_mobile, an e-mail as z***@example.com, any other
    number keeps at most its last four digits, words as a name."""
    value = str(value or "").strip()
    if not value:
        return ""
    found = find_personal_numbers(value)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(value):
        return mask_mobile(found[0].value) if found[0].kind == "mobile" else mask_id_number(found[0].value)
    if "@" in value:
        local, _sep, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if any(c.isdigit() for c in value):
        return mask_digits(value)
    return mask_name(value)


_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def mask_audit_value(value: str | None) -> str:
    """django-auditlog's mask (AUDITLOG_MASK_CALLABLE) for the fields registered as masked: what is
    stored in an audit entry is already what a role without the reveal permission may see."""
    value = "" if value is None or value == "None" else str(value).strip()
    if not value:
        return ""
    if ID_RE.match(value.upper()):
        return mask_id_number(value)
    if _ISO_DATE_RE.match(value):
        return "****-**-**"
    return mask_contact(value)
