"""Export and import templates, through jiedao.spreadsheets (escaping, response headers)."""

from __future__ import annotations

import tablib
from django.http import HttpResponse
from django.utils.encoding import force_str

from jiedao.spreadsheets import bytes_response, dataset_bytes

from .resources import PortalResource


def _write(dataset: tablib.Dataset, fmt: str) -> bytes:
    return dataset_bytes(dataset, fmt)


def export_bytes(resource: PortalResource, fmt: str = "csv", queryset=None) -> bytes:
    """The resource's rows (or `queryset`'s) as CSV (UTF-8 with BOM) or XLSX, formula-safe."""
    dataset = resource.export(queryset=queryset, force_native_type=(fmt == "xlsx"))
    dataset.title = force_str(resource._meta.model._meta.verbose_name_plural)[:31]
    return _write(dataset, fmt)


def template_bytes(resource: PortalResource, fmt: str = "csv") -> bytes:
    """An empty file with just the header row: the import template."""
    return _write(tablib.Dataset(headers=resource.get_export_headers()), fmt)


def export_response(data: bytes, fmt: str, filename: str) -> HttpResponse:
    return bytes_response(data, filename=filename, fmt=fmt)
