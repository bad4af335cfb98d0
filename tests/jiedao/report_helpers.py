"""Helpers for the annual report tests: the text and the fonts of a PDF, as a reader gets them."""

import re
import subprocess
from pathlib import Path


def pdf_text(path: Path) -> str:
    """pdftotext's text with all whitespace removed (table cells and line breaks vary)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def ensure_role_groups() -> None:
    """Transactional tests flush the database, data migrations included: put the role groups back."""
    from django.contrib.auth.models import Group

    from jiedao.permissions import ROLE_GROUPS

    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)
