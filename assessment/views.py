from datetime import date

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView

from communities.models import Community
from jiedao import imports
from jiedao.pdf import render_pdf
from jiedao.permissions import Role, RoleRequiredMixin, can_read_appraisal_results, community_id_of

from . import exports, qr, selectors, services
from .choices import CycleStatus
from .forms import (
    AppraisalForm,
    BallotForm,
    CodeEntryForm,
    CodesForm,
    CycleForm,
    PaperTallyForm,
    RequirementForm,
    SessionForm,
    TrainingEventForm,
    TrainingRecordForm,
)
from .models import Appraisal, AppraisalCycle, BallotSession, TrainingEvent, TrainingRecord
from .resources import AttendanceResource

# Failed code look-ups allowed per client address per hour before the voting page refuses (429).
# Generous on purpose: a whole meeting room may vote through one Wi-Fi address and mistype; the
# codes' 60 random bits are the real protection, this only stops scripted guessing.
CODE_ATTEMPTS_PER_HOUR = 100


def _form_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form: field errors where the field exists."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class ServiceFormMixin:
    """`form_valid` hands the form to `save` (a service call) and redirects to what it returns;
    a ValidationError from the service goes back onto the form, nothing saved."""

    success_message = ""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(saved)


# -- appraisal cycles -----------------------------------------------------------------------------


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
    def get_object(self, queryset=None):
        cycle = super().get_object(queryset)
        if cycle.is_closed:
            raise Http404
        return cycle


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
            appraisals=appraisals,
            graded=sum(1 for a in appraisals if a.grade),
            sessions=sessions,
            missing_sessions=missing,
            flags=selectors.cycle_flags(cycle),
            **kwargs,
        )


class CycleActionView(RoleRequiredMixin, View):
    action = None
    done_message = ""

    def post(self, request, pk):
        cycle = get_object_or_404(AppraisalCycle, pk=pk)
        try:
            getattr(services, self.action)(actor=request.user, cycle=cycle)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, self.done_message)
        return redirect(cycle)


class CycleStartView(CycleActionView):
    action = "cycle_start"

    @property
    def done_message(self):
        return _("The appraisal is in progress: every cadre in office has an appraisal.")


class CycleCloseView(CycleActionView):
    action = "cycle_close"

    @property
    def done_message(self):
        return _("The appraisal is closed; its results are final.")


class CycleRecalculateView(CycleActionView):
    action = "cycle_recalculate"

    @property
    def done_message(self):
        return _("Scores and grades recalculated from the latest ballots.")


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
        response = HttpResponse(
            exports.results_xlsx(cycle),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="appraisal-{cycle.year}.xlsx"'
        return response


class CommunityResultsView(RoleRequiredMixin, TemplateView):
    """One community's results: staff always; that community's secretary once the cycle is closed."""

    roles = (Role.STAFF, Role.SECRETARY)
    template_name = "assessment/community_results.html"

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(AppraisalCycle, pk=self.kwargs["pk"])
        community = get_object_or_404(Community, pk=self.kwargs["community_pk"])
        if not can_read_appraisal_results(self.request.user, cycle_status=cycle.status, community_id=community.pk):
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
            flags=[f for f in selectors.cycle_flags(self.object.cycle) if f.appraisal.pk == self.object.pk],
            **kwargs,
        )


class AppraisalUpdateView(ServiceFormMixin, RoleRequiredMixin, UpdateView):
    form_class = AppraisalForm
    template_name = "assessment/appraisal_form.html"

    def get_queryset(self):
        return Appraisal.objects.select_related("cycle", "cadre__community").exclude(cycle__status=CycleStatus.CLOSED)

    success_message = gettext_lazy("Appraisal saved.")

    def save(self, form):
        return services.appraisal_save(
            actor=self.request.user, appraisal=form.instance, report_upload=form.cleaned_data.get("upload")
        )


class AppraisalReportFileView(RoleRequiredMixin, View):
    roles = (Role.STAFF, Role.SECRETARY)

    def get(self, request, pk):
        appraisal = get_object_or_404(selectors.appraisal_queryset(user=request.user), pk=pk)
        if not appraisal.report_file:
            raise Http404
        return FileResponse(
            appraisal.report_file.open("rb"), as_attachment=True, filename=appraisal.report_file_name or "report"
        )


# -- ballot sessions ---------------------------------------------------------------------------------


class SessionCreateView(ServiceFormMixin, RoleRequiredMixin, CreateView):
    form_class = SessionForm
    template_name = "assessment/ballotsession_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.cycle = get_object_or_404(AppraisalCycle.objects.exclude(status=CycleStatus.CLOSED), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

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
        return BallotSession.objects.select_related("cycle", "community").exclude(cycle__status=CycleStatus.CLOSED)

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
        return BallotSession.objects.select_related("cycle", "community")

    def get_template_names(self):
        if self.request.htmx:
            return ["assessment/_session_tally.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        session = self.object
        return super().get_context_data(
            stats=selectors.session_stats(BallotSession.objects.filter(pk=session.pk))[0],
            rows=selectors.session_tally_rows(session),
            codes=selectors.session_codes(session),
            codes_form=CodesForm(),
            **kwargs,
        )


class SessionCodesIssueView(RoleRequiredMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(BallotSession, pk=pk)
        form = CodesForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter how many codes to issue (1 to 1000)."))
            return redirect(session)
        try:
            codes = services.ballot_codes_issue(actor=request.user, session=session, count=form.cleaned_data["count"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("%(n)s codes issued; print the slips.") % {"n": len(codes)})
        return redirect(session)


class SessionCloseVotingView(RoleRequiredMixin, View):
    def post(self, request, pk):
        session = get_object_or_404(BallotSession, pk=pk)
        try:
            services.session_close_voting(actor=request.user, session=session)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Online voting closed; the online ballots are now in the tally."))
        return redirect(session)


class SessionSlipsView(RoleRequiredMixin, View):
    """A PDF of the session's unspent codes, each with a QR code to the voting page."""

    def get(self, request, pk):
        session = get_object_or_404(BallotSession.objects.select_related("cycle", "community"), pk=pk)
        slips = []
        for code in session.codes.filter(spent=False).order_by("code").values_list("code", flat=True):
            url = request.build_absolute_uri(reverse("ceping:ballot", args=[code]))
            slips.append({"code": services.format_code(code), "url": url, "qr": qr.svg_data_uri(url)})
        start_url = request.build_absolute_uri(reverse("ceping:start"))
        html = render_to_string(
            "assessment/ballot_slips.html", {"session": session, "slips": slips, "start_url": start_url}
        )
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="ballot-codes-{session.cycle.year}-{session.pk}.pdf"'
        return response


class SessionPaperView(RoleRequiredMixin, View):
    template_name = "assessment/ballotsession_paper.html"

    def _session(self, pk):
        return get_object_or_404(
            BallotSession.objects.select_related("cycle", "community").exclude(cycle__status=CycleStatus.CLOSED), pk=pk
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
                for name, errors in error.message_dict.items():
                    target = name if name in form.fields else None
                    if name.startswith("cadre_"):
                        target = None
                    form.add_error(target, errors)
            else:
                messages.success(request, _("Paper ballots recorded."))
                return redirect(session)
        return render(request, self.template_name, {"session": session, "form": form}, status=200)


# -- public voting (/ceping/) ------------------------------------------------------------------------


def _client_key(request) -> str:
    return f"ceping:fail:{request.META.get('REMOTE_ADDR', '')}"


def _too_many_failures(request) -> bool:
    return (cache.get(_client_key(request)) or 0) >= CODE_ATTEMPTS_PER_HOUR


def _count_failure(request) -> None:
    key = _client_key(request)
    if cache.add(key, 1, timeout=3600):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)


def _refuse(request, message: str, *, code: str = "", status: int = 200):
    """The code page again, with the reason the code was refused and the code as typed."""
    form = CodeEntryForm(initial={"code": code})
    return render(request, "public/ceping_start.html", {"form": form, "error": message}, status=status)


def _too_many(request):
    return _refuse(request, _("Too many wrong codes from this address. Try again in an hour."), status=429)


class BallotStartView(View):
    """Enter the code from the slip (or arrive from its QR code)."""

    def get(self, request):
        return render(request, "public/ceping_start.html", {"form": CodeEntryForm()})

    def post(self, request):
        if _too_many_failures(request):
            return _too_many(request)
        form = CodeEntryForm(request.POST)
        if not form.is_valid():
            return render(request, "public/ceping_start.html", {"form": form})
        try:
            code = services.ballot_check_code(form.cleaned_data["code"])
        except services.BallotRejected as rejected:
            _count_failure(request)
            return _refuse(request, rejected.message, code=form.cleaned_data["code"])
        return redirect("ceping:ballot", code=code.code)


class BallotVoteView(View):
    """One ballot: rate each cadre of the community; the code is spent on submission."""

    def _code(self, request, code):
        if _too_many_failures(request):
            return None, _too_many(request)
        try:
            return services.ballot_check_code(code), None
        except services.BallotRejected as rejected:
            _count_failure(request)
            return None, _refuse(request, rejected.message, code=code)

    def _render(self, request, row, form):
        return render(
            request,
            "public/ceping_ballot.html",
            {"form": form, "session": row.session, "code": services.format_code(row.code), "raw_code": row.code},
        )

    def get(self, request, code):
        row, refused = self._code(request, code)
        if refused:
            return refused
        return self._render(request, row, BallotForm(cadres=selectors.ballot_cadres(row.session)))

    def post(self, request, code):
        row, refused = self._code(request, code)
        if refused:
            return refused
        form = BallotForm(request.POST, cadres=selectors.ballot_cadres(row.session))
        if not form.is_valid():
            return self._render(request, row, form)
        try:
            services.ballot_cast(code=row.code, ratings=form.ratings())
        except services.BallotRejected as rejected:
            return _refuse(request, rejected.message, code=code)
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, row, form)
        return redirect("ceping:done")


class BallotDoneView(TemplateView):
    template_name = "public/ceping_done.html"


# -- training ------------------------------------------------------------------------------------


def _year_param(request) -> int:
    try:
        return int(request.GET.get("year") or date.today().year)
    except ValueError:
        return date.today().year


class TrainingEventListView(RoleRequiredMixin, ListView):
    template_name = "assessment/trainingevent_list.html"

    def get_queryset(self):
        self.year = request_year = self.request.GET.get("year")
        return selectors.training_events(year=int(request_year) if (request_year or "").isdigit() else None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, **kwargs)


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
                _form_errors(form, error)
            else:
                messages.success(request, _("Attendance recorded."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(record_form=form))


class TrainingEventDeleteView(RoleRequiredMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(TrainingEvent, pk=pk)
        services.training_event_delete(actor=request.user, event=event)
        messages.success(request, _("Training event deleted with its attendance."))
        return redirect("assessment:training_event_list")


class TrainingRecordDeleteView(RoleRequiredMixin, View):
    def post(self, request, pk):
        record = get_object_or_404(TrainingRecord.objects.select_related("event"), pk=pk)
        services.training_record_delete(actor=request.user, record=record)
        messages.success(request, _("Attendance removed."))
        return redirect(record.event)


class TrainingHoursView(RoleRequiredMixin, View):
    """Every cadre's hours in a year against the minimum; those below it first."""

    template_name = "assessment/training_hours.html"

    def _render(self, request, year, form=None):
        minimum, rows = selectors.training_hours(year=year)
        below = [r for r in rows if r.below]
        form = form or RequirementForm(initial={"minimum_hours": minimum})
        return render(
            request, self.template_name, {"year": year, "minimum": minimum, "rows": rows, "below": below, "form": form}
        )

    def get(self, request):
        return self._render(request, _year_param(request))

    def post(self, request):
        year = _year_param(request)
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
