"""ID-card and mobile numbers inside free text: found so public text can refuse them, masked
where a resident's own words are shown. (jiedao/identity.py validates a single field instead.)"""

import re

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def has_personal_numbers(text: str) -> bool:
    return bool(ID_NUMBER_RE.search(text or "") or MOBILE_RE.search(text or ""))


def mask_personal(text: str) -> str:
    """510108199001011234 → 510108********1234, 13812345678 → 138****5678."""
    text = ID_NUMBER_RE.sub(lambda m: m.group()[:6] + "*" * 8 + m.group()[14:], text)
    return MOBILE_RE.sub(lambda m: m.group()[:3] + "****" + m.group()[7:], text)
