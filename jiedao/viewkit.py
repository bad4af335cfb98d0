"""The view kit every app uses instead of writing its own (issue 10, item 3).

- `ServiceFormMixin`: form views whose `save(form)` calls a service; the service's
  ValidationError goes back onto the form and nothing is saved.
- `ServiceActionView`: a POST-only action on one visible object (delete, close, accept...).
- `protected_file_response`: the one builder for downloads of stored files.
- `year_param`: a `?year=` that never raises; `year_choices` / `chosen_year`: a year picker's
  years (those with data and the current one) and the year a page opens on.
"""

import re

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views import View

from .permissions import get_visible_or_404
from .uploads import detect_type

YEAR_MIN, YEAR_MAX = 1949, 2100
_YEAR = re.compile(r"[0-9]{1,6}")  # ASCII digits only: "²" and "٢٠٢٥" are not years here


def year_param(request, default: int, name: str = "year") -> int:
    """The year asked for in the query string; a missing, malformed or out-of-range one gives
    `default` (never an error page)."""
    value = (request.GET.get(name) or "").strip()
    if not _YEAR.fullmatch(value):
        return default
    year = int(value)
    return year if YEAR_MIN <= year <= YEAR_MAX else default


def year_choices(years_with_data, current_year: int) -> list[int]:
    """A year picker's years (issue 13 finding 2): the years that hold data and the current one,
    newest first — never a run of empty years."""
    return sorted({*years_with_data, current_year}, reverse=True)


def chosen_year(request, years_with_data, current_year: int, name: str = "year") -> int:
    """The year a page with a picker shows: ?year= when it is one of the picker's years, else the
    latest year that holds data, else the current year."""
    years_with_data = list(years_with_data)
    default = max(years_with_data) if years_with_data else current_year
    year = year_param(request, default, name)
    return year if year in year_choices(years_with_data, current_year) else default


def error_messages(error: ValidationError) -> list[str]:
    """Every message of a ValidationError, field errors included, as plain text."""
    return list(error.messages)


def error_text(error: ValidationError) -> str:
    return " ".join(error_messages(error))


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: errors naming one of the form's fields go
    beside that field, all others (and message-only errors) at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields else None
            if name == NON_FIELD_ERRORS:
                field = None
            form.add_error(field, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
    """For FormView/CreateView/UpdateView: implement `save(self, form)`, which calls a service and
    returns the saved object (redirected to through its get_absolute_url) or a URL."""

    success_message = ""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            # One transaction: a service that fails half-way leaves nothing behind.
            with transaction.atomic():
                target = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(target)


class ServiceActionView(View):
    """A POST-only action on one object the user may see (others are 404).

    Set `model` or override `get_queryset()`; implement `act(self, obj)` (the service call; it may
    return where to go next). A ValidationError is shown as an error message on the object's page."""

    http_method_names = ["post"]
    model = None
    pk_url_kwarg = "pk"
    success_message = ""

    def get_queryset(self):
        return self.model._default_manager.all()

    def get_object(self):
        return get_visible_or_404(self.request.user, self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def act(self, obj):
        raise NotImplementedError

    def get_success_url(self, obj):
        return obj.get_absolute_url()

    def get_error_url(self, obj):
        return obj.get_absolute_url()

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            with transaction.atomic():
                target = self.act(obj)
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect(self.get_error_url(obj))
        if self.success_message:
            messages.success(request, self.success_message)
        return redirect(target or self.get_success_url(obj))


# The extension a download's name carries for each type it is served as (the first is used when
# the name has none of them). Anything a browser would run or render as a page is served as text.
DOWNLOAD_EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
    "application/zip": ("zip",),
    "text/csv": ("csv",),
    "text/plain": ("txt",),
    "application/octet-stream": ("bin",),
}


def download_type_and_name(handle, filename: str, content_type: str | None) -> tuple[str, str]:
    """The type a stored file is served as and the name it is served under: the type given (the
    one detected at upload) or else detected from the content now, never guessed from the name;
    a type not in DOWNLOAD_EXTENSIONS (text/html, image/svg+xml …) becomes plain text or bytes;
    and the name ends with that type's extension, so `report.html` holding text is `report.txt`."""
    mime = (content_type or "").split(";")[0].strip().lower() or detect_type(handle)
    if mime not in DOWNLOAD_EXTENSIONS:  # html, svg, xml, script …: what the content is, as bytes or text
        mime = detect_type(handle)
        if mime not in DOWNLOAD_EXTENSIONS:
            mime = "application/octet-stream"
    extensions = DOWNLOAD_EXTENSIONS[mime]
    stem, dot, extension = (filename or "download").rpartition(".")
    if not dot:
        stem = extension
    if not (dot and extension.lower() in extensions):
        filename = f"{stem or 'download'}.{extensions[0]}"
    served = f"{mime}; charset=utf-8" if mime.startswith("text/") else mime
    return served, filename


def protected_file_response(fieldfile, *, filename: str, content_type: str | None = None, as_attachment: bool = True):
    """A stored file as a download that the browser will not run: its own type never sniffed,
    any HTML or SVG inside sandboxed, and not kept in shared caches. A missing file is 404.
    The served type and the name's extension follow download_type_and_name."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type, filename = download_type_and_name(handle, filename, content_type)
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
