"""All-or-nothing spreadsheet import and safe export, on django-import-export 4 (DESIGN §5, §8, §11).

The small API every app uses:

    from jiedao import imports

    class StandardResource(imports.PortalResource):          # a resource: explicit whitelist
        site = imports.Field("site", "示范点", imports.NaturalKeyWidget(Site, "code", "name"))
        year = imports.Field("year", "年度", imports.IntegerWidget())
        ...
        class Meta:
            model = Standard
            fields = ("site", "year", ...)                     # explicit whitelist
            import_id_fields = ("site", "year")                # the natural key of a row
        def save_via_service(self, instance, is_create):      # every write through services
            standard_save(actor=self.actor, standard=instance)

    urlpatterns += imports.resource_urls("standard", StandardResource, title=_("standards"),
                                         filename="标准", back_url="showcase:standard_list",
                                         app_name="showcase")
    # -> showcase:standard_import, showcase:standard_export, showcase:standard_template
    #    (staff only by default; pass roles=..., or your own import_view/export_view/template_view)

Big files: set `Meta.use_bulk = True` and override `save_many_via_service` and `check_row`
(see PortalResource); the party-member roster does (communities/resources.py).

or, outside a view:

    outcome = imports.run_import(StandardResource(actor=user), uploaded_file)
    outcome.ok, outcome.created, outcome.updated, outcome.problems   # [RowProblem(line, column, message)]
    data = imports.export_bytes(StandardResource(actor=user), "xlsx")

Rules it enforces:
- **All or nothing.** The whole import runs in one transaction (`use_transactions` and
  `rollback_on_validation_errors=True`, as DESIGN §11 warns `clean_model_instances` alone is not
  enough). If any row is bad, nothing is written and *every* bad row is listed with its line
  (the spreadsheet row number, the header being line 1), its column header and a Chinese reason.
- **Formula escaping.** Every exported cell goes through `jiedao.spreadsheets.escape_cell`: text
  that begins with = + - @, a tab, a carriage return, a line feed or a single quote gets a leading
  single quote, so that spreadsheets do not run it as a formula. Import strips exactly one such
  quote (`unescape_cell`), so an export re-imports unchanged.
- **Headers.** The file's first row names the columns, in any order; every required column must
  be there and no unknown column may be. A header may carry a description in brackets after a
  space ("类型 (城市社区/村改居)" is read as "类型").
- **Files.** CSV (UTF-8, with or without BOM, or GB18030 as saved by Chinese Excel) or XLSX
  (first sheet), at most `IMPORT_MAX_BYTES` (settings, default 5 MB). Blank rows are ignored.
"""

# The package's modules: cells (escape, CellError), widgets, resources (PortalResource), reading
# (files into datasets), runner (run_import), export, views (ImportView..., resource_urls).
from .cells import FORMATS, CellError, escape_cell, unescape_cell
from .export import export_bytes, export_response, template_bytes
from .reading import ImportFileError, read_dataset
from .resources import PortalResource
from .runner import ImportOutcome, RowProblem, run_import
from .views import ExportView, ImportForm, ImportView, TemplateDownloadView, TemplateView, resource_urls
from .widgets import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    Field,
    IntegerWidget,
    NaturalKeyWidget,
    TextWidget,
    YesNoWidget,
)

__all__ = [
    "CellError",
    "ChoiceWidget",
    "DateWidget",
    "DecimalWidget",
    "ExportView",
    "Field",
    "ImportFileError",
    "ImportOutcome",
    "ImportView",
    "IntegerWidget",
    "NaturalKeyWidget",
    "PortalResource",
    "RowProblem",
    "TemplateDownloadView",
    "TemplateView",
    "TextWidget",
    "YesNoWidget",
    "escape_cell",
    "export_bytes",
    "export_response",
    "read_dataset",
    "resource_urls",
    "run_import",
    "template_bytes",
    "unescape_cell",
    "FORMATS",
    "ImportForm",
]
