"""The import, export and template views, and `resource_urls` that wires the three."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from jiedao.permissions import Role, RoleRequiredMixin
from jiedao.spreadsheets import FORMATS

from .export import export_bytes, export_response, template_bytes
from .resources import PortalResource
from .runner import run_import


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class _ResourceViewMixin(RoleRequiredMixin):
    """What the three views share. Set `resource_class`, `title`, `filename` and `back_url`
    (a URL name); `roles` defaults to staff only."""

    roles = (Role.STAFF,)
    resource_class: type[PortalResource] = None
    title = ""
    filename = "export"
    back_url = None
    url_base = ""  # "<app>:<entity>" — the three URL names add _import, _export, _template

    def get_resource_kwargs(self) -> dict:
        return {"actor": self.request.user}

    def get_resource(self) -> PortalResource:
        return self.resource_class(**self.get_resource_kwargs())

    def get_format(self) -> str:
        fmt = self.request.GET.get("format", "xlsx")
        return fmt if fmt in FORMATS else "xlsx"


class ImportView(_ResourceViewMixin, View):
    """GET: the upload form, the columns and links to the templates. POST: import, then the
    success count or the full list of bad rows (nothing written)."""

    template_name = "jiedao/import_form.html"

    def get_context(self, **extra) -> dict:
        resource = self.get_resource()
        return {
            "title": self.title,
            "columns": resource.get_export_headers(),
            "optional_columns": resource.optional_columns,
            "template_url": reverse(f"{self.url_base}_template"),
            "export_url": reverse(f"{self.url_base}_export"),
            "back_url": reverse(self.back_url) if self.back_url else None,
            **extra,
        }

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.get_context(form=ImportForm()))

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.get_context(form=form), status=400)
        outcome = run_import(self.get_resource(), form.cleaned_data["file"])
        if outcome.ok:
            messages.success(
                request,
                _("Imported %(total)d rows: %(created)d new, %(updated)d updated.")
                % {"total": outcome.total, "created": outcome.created, "updated": outcome.updated},
            )
        status = 200 if outcome.ok else 400
        return render(request, self.template_name, self.get_context(form=ImportForm(), outcome=outcome), status=status)


class ExportView(_ResourceViewMixin, View):
    """Download every row (`get_queryset`) as ?format=xlsx (default) or ?format=csv."""

    def get_queryset(self):
        return None  # the resource's own queryset

    def get(self, request, *args, **kwargs):
        fmt = self.get_format()
        data = export_bytes(self.get_resource(), fmt, queryset=self.get_queryset())
        return export_response(data, fmt, f"{self.filename}-{timezone.localdate():%Y%m%d}")


class TemplateView(_ResourceViewMixin, View):
    """Download the empty import template (header row only)."""

    def get(self, request, *args, **kwargs):
        fmt = self.get_format()
        return export_response(template_bytes(self.get_resource(), fmt), fmt, f"{self.filename}-template")


TemplateDownloadView = TemplateView  # the same view, by the name the design uses


def resource_urls(
    name: str,
    resource_class: type[PortalResource],
    *,
    title,
    filename: str,
    back_url: str | None = None,
    app_name: str,
    import_view=ImportView,
    export_view=ExportView,
    template_view=TemplateView,
    **view_attrs,
) -> list:
    """Three URL patterns under `<name>/`: import/, export/, template/, named `<name>_import`,
    `<name>_export`, `<name>_template` in `app_name`'s namespace. Extra keyword arguments become
    view attributes (e.g. roles=...); pass your own view subclasses to change behaviour."""
    attrs = {
        "resource_class": resource_class,
        "title": title,
        "filename": filename,
        "back_url": back_url,
        "url_base": f"{app_name}:{name}",
        **view_attrs,
    }
    return [
        path(f"{name}/import/", import_view.as_view(**attrs), name=f"{name}_import"),
        path(f"{name}/export/", export_view.as_view(**attrs), name=f"{name}_export"),
        path(f"{name}/template/", template_view.as_view(**attrs), name=f"{name}_template"),
    ]
