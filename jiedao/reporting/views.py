"""The dashboard and the annual report pages (DESIGN §6). Thin: role check, service, redirect.

Who sees what: the dashboard is for staff (the whole sub-district, every community) and for
community secretaries, who see their own community's figures only — never another community's,
and no sub-district totals. The annual report (request, progress, download) is staff only.
Inspectors and auditors get 403 on both; anonymous visitors go to the login page.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from communities.models import Community
from jiedao.forms import AnnualReportTextForm
from jiedao.models import AnnualReport
from jiedao.permissions import DASHBOARD_ROLES, REPORT_ROLES, RoleRequiredMixin, dashboard_community_id
from jiedao.reporting.cache import cached_figures, fragment_context
from jiedao.reporting.dashboard import cached_community_dashboard_context, cached_dashboard_context
from jiedao.reporting.figures import years_on_record
from jiedao.reporting.services import annual_report_request, annual_report_text_save
from jiedao.reporting.texts import annual_report_text_of
from jiedao.viewkit import ServiceFormMixin, protected_file_response, year_param


def _chosen_year(years: list[int], asked: int | None) -> int:
    """The year asked for (?year=) if it is on record, else the latest on record, else last
    calendar year."""
    default = years[0] if years else timezone.localdate().year - 1
    return asked if asked in years else default


class DashboardView(RoleRequiredMixin, TemplateView):
    roles = DASHBOARD_ROLES

    def get_context_data(self, **kwargs):
        community_id = dashboard_community_id(self.request.user)
        asked = year_param(self.request, None)
        if community_id is None:
            self.template_name = "jiedao/dashboard.html"
            community = None
        else:
            self.template_name = "jiedao/dashboard_community.html"
            community = get_object_or_404(Community, pk=community_id)
        # The page's body (year picker, figures, charts) is a fragment kept per version, community,
        # year asked and language: on a hit neither the years on record nor the figures are read.
        return super().get_context_data(
            community=community,
            dashboard=SimpleLazyObject(lambda: self.dashboard(community, asked)),
            **fragment_context(community_id or "all", asked or "latest"),
            **kwargs,
        )

    def dashboard(self, community: Community | None, asked: int | None) -> SimpleNamespace:
        years = cached_figures("years", years_on_record)
        year = _chosen_year(years, asked)
        if community is None:
            figures = cached_dashboard_context(year=year)
        else:
            figures = cached_community_dashboard_context(community=community, year=year)
        return SimpleNamespace(years=years, year=year, figures=figures["figures"], charts=figures["charts"])


class AnnualReportListView(RoleRequiredMixin, ListView):
    """Every build, newest first, and the form that starts one."""

    roles = REPORT_ROLES

    template_name = "jiedao/annualreport_list.html"
    paginate_by = 30

    def get_queryset(self):
        return AnnualReport.objects.select_related("requested_by")

    def get_context_data(self, **kwargs):
        years = years_on_record()
        return super().get_context_data(years=years, default_year=years[0] if years else None, **kwargs)


class AnnualReportRequestView(RoleRequiredMixin, View):
    roles = REPORT_ROLES

    def post(self, request):
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            messages.error(request, _("Choose a year."))
            return redirect("jiedao:annual_report_list")
        try:
            report = annual_report_request(actor=request.user, year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("jiedao:annual_report_list")
        if report.requested_by_id == request.user.pk and report.status == AnnualReport.Status.QUEUED:
            messages.success(request, _("The report is being built."))
        return redirect(report)


class AnnualReportDetailView(RoleRequiredMixin, DetailView):
    roles = REPORT_ROLES
    model = AnnualReport
    template_name = "jiedao/annualreport_detail.html"


class AnnualReportProgressView(RoleRequiredMixin, DetailView):
    """The progress panel alone, polled by htmx until the build is done or failed."""

    roles = REPORT_ROLES

    model = AnnualReport
    template_name = "jiedao/report/_progress.html"


class AnnualReportDownloadView(RoleRequiredMixin, View):
    roles = REPORT_ROLES

    def get(self, request, pk):
        report = get_object_or_404(AnnualReport, pk=pk, status=AnnualReport.Status.DONE)
        if not report.file or not report.file.storage.exists(report.file.name):
            raise Http404
        filename = _("annual-report-%(year)s-v%(version)s.pdf") % {"year": report.year, "version": report.version}
        return protected_file_response(report.file, filename=filename, content_type="application/pdf")


class AnnualReportTextView(RoleRequiredMixin, ServiceFormMixin, FormView):
    """Staff edit the year's 存在问题和下步打算 and 落款 before a build (drafted until first saved)."""

    roles = REPORT_ROLES
    form_class = AnnualReportTextForm
    template_name = "jiedao/annualreport_text_form.html"

    def get_form_kwargs(self):
        if self.kwargs["year"] not in years_on_record():
            raise Http404
        return {**super().get_form_kwargs(), "instance": annual_report_text_of(year=self.kwargs["year"])}

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.kwargs["year"], **kwargs)

    def save(self, form):
        annual_report_text_save(actor=self.request.user, year=self.kwargs["year"], **form.cleaned_data)
        messages.success(self.request, _("Saved: the next build of the report prints this text."))
        return reverse("jiedao:annual_report_list")
