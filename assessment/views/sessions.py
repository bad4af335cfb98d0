"""Ballot sessions: the codes and their slips, the live tally, the paper ballots."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView

from jiedao.permissions import RoleRequiredMixin, get_visible_or_404, session_actions
from jiedao.viewkit import ServiceActionView, ServiceFormMixin, add_service_errors, protected_file_response

from .. import selectors, services
from ..choices import CycleStatus
from ..forms import CodesForm, PaperTallyForm, SessionForm
from ..models import AppraisalCycle, BallotSession, SlipJob


class SessionCreateView(ServiceFormMixin, RoleRequiredMixin, CreateView):
    form_class = SessionForm
    template_name = "assessment/ballotsession_form.html"

    @cached_property
    def cycle(self):
        """Fetched after the role check: an anonymous visitor goes to the login page, not a 404."""
        return get_visible_or_404(
            self.request.user, AppraisalCycle.objects.exclude(status=CycleStatus.CLOSED), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cycle": self.cycle}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, **kwargs)

    success_message = gettext_lazy("Ballot session saved.")

    def save(self, form):
        return services.session_save(actor=self.request.user, session=form.instance)


class SessionUpdateView(ServiceFormMixin, RoleRequiredMixin, UpdateView):
    form_class = SessionForm
    template_name = "assessment/ballotsession_form.html"

    def get_queryset(self):
        return (
            BallotSession.objects.select_related("cycle", "community")
            .exclude(cycle__status=CycleStatus.CLOSED)
            .restrict(self.request.user)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.object.cycle, **kwargs)

    success_message = gettext_lazy("Ballot session saved.")

    def save(self, form):
        return services.session_save(actor=self.request.user, session=form.instance)


class SessionDetailView(RoleRequiredMixin, DetailView):
    """The tally as it stands (it refreshes itself while voting is open), the codes, and the
    paper tally."""

    template_name = "assessment/ballotsession_detail.html"

    def get_queryset(self):
        return BallotSession.objects.select_related("cycle", "community").restrict(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["assessment/_session_tally.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        session = self.object
        return super().get_context_data(
            actions=session_actions(self.request.user, session),
            stats=selectors.session_stats(BallotSession.objects.filter(pk=session.pk))[0],
            rows=selectors.session_tally_rows(session),
            codes=selectors.session_codes(session),
            codes_form=CodesForm(),
            slip_job=session.slip_jobs.first(),
            **kwargs,
        )


class SessionCodesIssueView(RoleRequiredMixin, ServiceActionView):
    model = BallotSession

    def act(self, session):
        form = CodesForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Enter how many codes to issue (1 to 1000)."))
        codes = services.ballot_codes_issue(actor=self.request.user, session=session, count=form.cleaned_data["count"])
        # the message names how many: not the kit's fixed success_message
        messages.success(self.request, _("%(n)s codes issued; print the slips.") % {"n": len(codes)})


class SessionCloseVotingView(RoleRequiredMixin, ServiceActionView):
    model = BallotSession
    success_message = gettext_lazy("Online voting closed; the online ballots are now in the tally.")

    def act(self, session):
        services.session_close_voting(actor=self.request.user, session=session)


class SessionSlipsView(RoleRequiredMixin, ServiceActionView):
    """Start a build of the PDF of the session's unspent codes (a Celery task); its progress and
    then its download appear on the session page."""

    model = BallotSession
    success_message = gettext_lazy("The slips are being prepared; the PDF appears on this page when it is ready.")

    def act(self, session):
        base_url = self.request.build_absolute_uri(reverse("ceping:start"))
        services.slip_job_request(actor=self.request.user, session=session, base_url=base_url)


class SlipJobProgressView(RoleRequiredMixin, DetailView):
    """The slip build's panel alone, polled by htmx until the build is done or failed."""

    template_name = "assessment/_slip_job.html"
    context_object_name = "job"

    def get_queryset(self):
        return SlipJob.objects.select_related("session").restrict(self.request.user)


class SlipJobDownloadView(RoleRequiredMixin, View):
    """The PDF of live voting codes: a protected download, never cached on the way."""

    def get(self, request, pk):
        job = get_visible_or_404(
            request.user, SlipJob.objects.select_related("session__cycle"), pk=pk, status=SlipJob.Status.DONE
        )
        filename = f"ballot-codes-{job.session.cycle.year}-{job.session_id}.pdf"
        return protected_file_response(job.file, filename=filename, content_type="application/pdf")


class SessionPaperView(RoleRequiredMixin, View):
    template_name = "assessment/ballotsession_paper.html"

    def _session(self, pk):
        return get_visible_or_404(
            self.request.user,
            BallotSession.objects.select_related("cycle", "community").exclude(cycle__status=CycleStatus.CLOSED),
            pk=pk,
        )

    def _form(self, session, data=None):
        cadres = selectors.ballot_cadres(session)
        paper = {t.cadre_id: t for t in session.paper_tallies.all()}
        return PaperTallyForm(data, session=session, cadres=cadres, tallies=paper)

    def get(self, request, pk):
        session = self._session(pk)
        return render(request, self.template_name, {"session": session, "form": self._form(session)})

    def post(self, request, pk):
        session = self._session(pk)
        form = self._form(session, request.POST)
        if form.is_valid():
            try:
                services.paper_tally_save(
                    actor=request.user,
                    session=session,
                    present=form.cleaned_data["paper_present"],
                    valid=form.cleaned_data["paper_valid"],
                    invalid=form.cleaned_data["paper_invalid"],
                    counts=form.counts(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Paper ballots recorded."))
                return redirect(session)
        return render(request, self.template_name, {"session": session, "form": form}, status=200)
