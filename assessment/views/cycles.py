"""Appraisal cycles, their results, and the cadres' appraisals."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView

from communities.models import Community
from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    appraisal_actions,
    can_read_appraisal_results,
    community_id_of,
    cycle_actions,
    get_visible_or_404,
)
from jiedao.spreadsheets import bytes_response
from jiedao.viewkit import ServiceActionView, ServiceFormMixin, protected_file_response

from .. import exports, selectors, services
from ..choices import CycleStatus
from ..forms import AppraisalForm, CycleForm
from ..models import Appraisal, AppraisalCycle


class CycleListView(RoleRequiredMixin, ListView):
    template_name = "assessment/appraisalcycle_list.html"

    def get_queryset(self):
        return selectors.cycle_list()


class CycleFormMixin(ServiceFormMixin, RoleRequiredMixin):
    model = AppraisalCycle
    form_class = CycleForm
    template_name = "assessment/appraisalcycle_form.html"

    success_message = gettext_lazy("Appraisal cycle saved.")

    def save(self, form):
        return services.cycle_save(actor=self.request.user, cycle=form.instance)


class CycleCreateView(CycleFormMixin, CreateView):
    pass


class CycleUpdateView(CycleFormMixin, UpdateView):
    def get_queryset(self):
        return AppraisalCycle.objects.exclude(status=CycleStatus.CLOSED)


class CycleDetailView(RoleRequiredMixin, DetailView):
    """The cycle's overview: progress, the ballot sessions, and the flags."""

    model = AppraisalCycle
    template_name = "assessment/appraisalcycle_detail.html"

    def get_context_data(self, **kwargs):
        cycle = self.object
        appraisals = list(selectors.cycle_appraisals(cycle))
        sessions = selectors.session_stats(cycle.sessions.all())
        with_session = {s.session.community_id for s in sessions}
        missing = Community.objects.filter(cadres__appraisals__cycle=cycle).exclude(pk__in=with_session).distinct()
        return super().get_context_data(
            actions=cycle_actions(self.request.user, cycle),
            appraisals=appraisals,
            graded=sum(1 for a in appraisals if a.grade),
            sessions=sessions,
            missing_sessions=missing,
            flags=selectors.cycle_flags(cycle),
            **kwargs,
        )


class CycleActionView(RoleRequiredMixin, ServiceActionView):
    """One of the cycle's services, `service(actor=, cycle=)`, on the cycle in the URL."""

    model = AppraisalCycle
    service = None

    def act(self, cycle):
        self.service(actor=self.request.user, cycle=cycle)


class CycleStartView(CycleActionView):
    service = staticmethod(services.cycle_start)
    success_message = gettext_lazy("The appraisal is in progress: every cadre in office has an appraisal.")


class CycleCloseView(CycleActionView):
    service = staticmethod(services.cycle_close)
    success_message = gettext_lazy("The appraisal is closed; its results are final.")


class CycleRecalculateView(CycleActionView):
    service = staticmethod(services.cycle_recalculate)
    success_message = gettext_lazy("Scores and grades recalculated from the latest ballots.")


class CycleResultsView(RoleRequiredMixin, DetailView):
    model = AppraisalCycle
    template_name = "assessment/appraisalcycle_results.html"

    def get_context_data(self, **kwargs):
        ranking = selectors.ranking(self.object)
        return super().get_context_data(
            ranking=ranking,
            distribution=selectors.grade_distribution(ranking),
            tables=selectors.community_tables(sorted(ranking, key=lambda a: (a.cadre.term_start, a.cadre.name))),
            **kwargs,
        )


class CycleExportView(RoleRequiredMixin, View):
    def get(self, request, pk):
        cycle = get_object_or_404(AppraisalCycle, pk=pk)
        return bytes_response(exports.results_xlsx(cycle), filename=f"appraisal-{cycle.year}")


class CommunityResultsView(RoleRequiredMixin, TemplateView):
    """One community's results: staff always; that community's secretary once the cycle is closed."""

    roles = (Role.STAFF, Role.SECRETARY)
    template_name = "assessment/community_results.html"

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(AppraisalCycle, pk=self.kwargs["pk"])
        community = get_visible_or_404(self.request.user, Community, pk=self.kwargs["community_pk"])
        if not can_read_appraisal_results(self.request.user, cycle, community.pk):
            raise Http404
        appraisals = list(
            selectors.cycle_appraisals(cycle)
            .filter(cadre__community=community)
            .order_by("cadre__term_start", "cadre__name")
        )
        sessions = selectors.session_stats(cycle.sessions.filter(community=community))
        return super().get_context_data(
            cycle=cycle, community=community, appraisals=appraisals, session=sessions[0] if sessions else None, **kwargs
        )


class MyResultsView(RoleRequiredMixin, TemplateView):
    """A secretary's way in: their community's results of every closed cycle."""

    roles = (Role.SECRETARY,)
    template_name = "assessment/my_results.html"

    def get_context_data(self, **kwargs):
        community_id = community_id_of(self.request.user)
        if community_id is None:
            raise Http404
        return super().get_context_data(
            community=get_object_or_404(Community, pk=community_id),
            cycles=selectors.my_closed_cycles(user=self.request.user),
            **kwargs,
        )


# -- appraisals -----------------------------------------------------------------------------------


class AppraisalDetailView(RoleRequiredMixin, DetailView):
    """The cadre's result sheet."""

    roles = (Role.STAFF, Role.SECRETARY)
    template_name = "assessment/appraisal_detail.html"

    def get_queryset(self):
        return selectors.appraisal_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            actions=appraisal_actions(self.request.user, self.object),
            flags=[f for f in selectors.cycle_flags(self.object.cycle) if f.appraisal.pk == self.object.pk],
            **kwargs,
        )


class AppraisalUpdateView(ServiceFormMixin, RoleRequiredMixin, UpdateView):
    form_class = AppraisalForm
    template_name = "assessment/appraisal_form.html"

    def get_queryset(self):
        return (
            Appraisal.objects.select_related("cycle", "cadre__community")
            .exclude(cycle__status=CycleStatus.CLOSED)
            .restrict(self.request.user)
        )

    success_message = gettext_lazy("Appraisal saved.")

    def save(self, form):
        return services.appraisal_save(
            actor=self.request.user, appraisal=form.instance, report_upload=form.cleaned_data.get("upload")
        )


class AppraisalReportFileView(RoleRequiredMixin, View):
    roles = (Role.STAFF, Role.SECRETARY)

    def get(self, request, pk):
        appraisal = get_visible_or_404(request.user, selectors.appraisal_queryset(user=request.user), pk=pk)
        return protected_file_response(appraisal.report_file, filename=appraisal.report_file_name or "report")
