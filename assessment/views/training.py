"""The training ledger: events, attendance (by hand or imported), hours against the minimum."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from jiedao import imports
from jiedao.permissions import RoleRequiredMixin
from jiedao.viewkit import ServiceActionView, ServiceFormMixin, add_service_errors, chosen_year, year_choices

from .. import selectors, services
from ..filters import TrainingEventFilter
from ..forms import RequirementForm, TrainingEventForm, TrainingRecordForm
from ..models import TrainingEvent, TrainingRecord
from ..resources import AttendanceResource


def _year(request) -> int:
    """The year asked for when it holds events (or is this year), else the latest with events."""
    return chosen_year(request, selectors.training_years(), timezone.localdate().year)


def _years() -> list[int]:
    return year_choices(selectors.training_years(), timezone.localdate().year)


class TrainingEventListView(RoleRequiredMixin, ListView):
    template_name = "assessment/trainingevent_list.html"

    def get_queryset(self):
        self.filterset = TrainingEventFilter(self.request.GET or None, queryset=selectors.training_events())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.filterset.chosen_year, years=_years(), **kwargs)


class TrainingEventFormMixin(ServiceFormMixin, RoleRequiredMixin):
    model = TrainingEvent
    form_class = TrainingEventForm
    template_name = "assessment/trainingevent_form.html"

    success_message = gettext_lazy("Training event saved.")

    def save(self, form):
        return services.training_event_save(actor=self.request.user, event=form.instance)


class TrainingEventCreateView(TrainingEventFormMixin, CreateView):
    pass


class TrainingEventUpdateView(TrainingEventFormMixin, UpdateView):
    pass


class TrainingEventDetailView(RoleRequiredMixin, DetailView):
    model = TrainingEvent
    template_name = "assessment/trainingevent_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            records=selectors.training_event_records(self.object),
            record_form=kwargs.pop("record_form", None) or TrainingRecordForm(event=self.object),
            **kwargs,
        )

    def post(self, request, pk):
        """Add one cadre's attendance."""
        self.object = self.get_object()
        form = TrainingRecordForm(request.POST, event=self.object)
        if form.is_valid():
            try:
                services.training_record_save(actor=request.user, record=form.instance)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Attendance recorded."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(record_form=form))


class TrainingEventDeleteView(RoleRequiredMixin, ServiceActionView):
    model = TrainingEvent
    success_message = gettext_lazy("Training event deleted with its attendance.")

    def act(self, event):
        services.training_event_delete(actor=self.request.user, event=event)

    def get_success_url(self, event):
        return reverse("assessment:training_event_list")


class TrainingRecordDeleteView(RoleRequiredMixin, ServiceActionView):
    success_message = gettext_lazy("Attendance removed.")

    def get_queryset(self):
        return TrainingRecord.objects.select_related("event")

    def act(self, record):
        services.training_record_delete(actor=self.request.user, record=record)

    def get_success_url(self, record):
        return record.event.get_absolute_url()

    get_error_url = get_success_url


class TrainingHoursView(RoleRequiredMixin, View):
    """Every cadre's hours in a year against the minimum; those below it first."""

    template_name = "assessment/training_hours.html"

    def _render(self, request, year, form=None):
        minimum, rows = selectors.training_hours(year=year)
        below = [r for r in rows if r.below]
        form = form or RequirementForm(initial={"minimum_hours": minimum})
        return render(
            request,
            self.template_name,
            {"year": year, "years": _years(), "minimum": minimum, "rows": rows, "below": below, "form": form},
        )

    def get(self, request):
        return self._render(request, _year(request))

    def post(self, request):
        year = _year(request)
        form = RequirementForm(request.POST)
        if form.is_valid():
            services.training_requirement_set(
                actor=request.user, year=year, minimum_hours=form.cleaned_data["minimum_hours"]
            )
            messages.success(request, _("Minimum hours saved."))
            return redirect(f"{reverse('assessment:training_hours')}?year={year}")
        return self._render(request, year, form)


# -- attendance import / export (jiedao.imports) --------------------------------------------------------


class AttendanceResourceMixin:
    """The three import views for one event: the event comes from the URL."""

    resource_class = AttendanceResource
    filename = "参训人员"

    def get_event(self) -> TrainingEvent:
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(TrainingEvent, pk=self.kwargs["pk"])
        return self._event

    def get_resource_kwargs(self) -> dict:
        return {**super().get_resource_kwargs(), "event": self.get_event()}


class AttendanceImportView(AttendanceResourceMixin, imports.ImportView):
    def get_context(self, **extra) -> dict:
        event = self.get_event()
        resource = self.get_resource()
        return {
            "title": _("attendance of “%(event)s”") % {"event": event.title},
            "columns": resource.get_export_headers(),
            "optional_columns": resource.optional_columns,
            "template_url": reverse("assessment:attendance_template", args=[event.pk]),
            "export_url": reverse("assessment:attendance_export", args=[event.pk]),
            "back_url": event.get_absolute_url(),
            **extra,
        }


class AttendanceExportView(AttendanceResourceMixin, imports.ExportView):
    pass


class AttendanceTemplateView(AttendanceResourceMixin, imports.TemplateView):
    pass
