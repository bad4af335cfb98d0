"""居务监督委员会 pages (phone-first: the supervisor's queue, a notice to check) and the 街道's
monitoring: committees, 抽查 and 督办 instructions."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView

from communities.models import Community
from disclosure import services
from disclosure.choices import LineKind
from disclosure.forms import CommentForm
from disclosure.models import Instruction, Notice, SupervisionCommittee
from disclosure.selectors import supervision as selectors
from disclosure.supervision_forms import AnswerInstructionForm, CommitteeForm, InstructionForm, SampleCheckForm
from jiedao.permissions import (
    DISCLOSURE_ROLES,
    SUPERVISION_ROLES,
    Role,
    RoleRequiredMixin,
    ensure_can_answer_instruction,
    get_visible_or_404,
    instruction_actions,
    supervision_flags,
    supervision_notice_actions,
)
from jiedao.viewkit import ServiceActionView, ServiceFormMixin

# -- the supervisor's pages -----------------------------------------------------------------------


class SupervisionQueueView(RoleRequiredMixin, ListView):
    """The supervisor's one page: their community's 居务/财务 notices, those to check first."""

    roles = SUPERVISION_ROLES
    template_name = "disclosure/supervision/queue.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.supervision_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["object_list"]
        context["to_check"] = [n for n in rows if n.is_checking]
        context["others"] = [n for n in rows if not n.is_checking]
        return context


class SupervisionNoticeView(RoleRequiredMixin, DetailView):
    roles = SUPERVISION_ROLES
    template_name = "disclosure/supervision/notice.html"
    context_object_name = "notice"

    def get_queryset(self):
        return selectors.supervision_notice_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        notice = self.object
        lines = list(notice.finance_lines.all())
        return super().get_context_data(
            income_lines=[ln for ln in lines if ln.kind == LineKind.INCOME],
            expense_lines=[ln for ln in lines if ln.kind == LineKind.EXPENSE],
            problems=services.finance_problems(notice, lines),
            actions=supervision_notice_actions(self.request.user, notice),
            comment_form=CommentForm(),
            **kwargs,
        )


class CommitteeStepView(RoleRequiredMixin, ServiceActionView):
    """POST the committee's check or return; anyone but a supervisor of the notice's community gets
    the service's answer (403 for staff and the community's secretary, 404 for other communities)."""

    roles = (*SUPERVISION_ROLES, *DISCLOSURE_ROLES)

    def get_object(self):
        return get_object_or_404(Notice.objects.select_related("board", "catalog_item"), pk=self.kwargs["pk"])

    def get_success_url(self, notice):
        return reverse("disclosure:supervision_queue")

    def get_error_url(self, notice):
        return reverse("disclosure:supervision_notice", args=[notice.pk])

    @property
    def comment(self) -> str:
        return self.request.POST.get("comment", "")


class NoticeCommitteeCheckView(CommitteeStepView):
    success_message = _("Checked; the community may now publish the notice.")

    def act(self, notice):
        services.notice_committee_check(actor=self.request.user, notice=notice, comment=self.comment)


class NoticeCommitteeReturnView(CommitteeStepView):
    success_message = _("Returned to the residents' committee with your comment.")

    def act(self, notice):
        services.notice_committee_return(actor=self.request.user, notice=notice, comment=self.comment)


# -- committees -----------------------------------------------------------------------------------


class CommitteeListView(RoleRequiredMixin, ListView):
    roles = (*DISCLOSURE_ROLES, Role.INSPECTOR, Role.AUDITOR)
    template_name = "disclosure/supervision/committee_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.committees(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(flags=supervision_flags(self.request.user), **kwargs)


class CommitteeFormMixin(ServiceFormMixin, RoleRequiredMixin):
    roles = DISCLOSURE_ROLES
    model = SupervisionCommittee
    form_class = CommitteeForm
    template_name = "disclosure/supervision/form.html"
    success_message = _("The supervision committee is saved.")
    heading = _("Residents' supervision committee")

    def get_queryset(self):
        return selectors.committees(user=self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "communities": Community.objects.restrict(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def save(self, form):
        services.committee_save(
            actor=self.request.user, committee=form.instance, accounts=form.cleaned_data["accounts"]
        )
        return reverse("disclosure:committee_list")


class CommitteeCreateView(CommitteeFormMixin, CreateView):
    pass


class CommitteeUpdateView(CommitteeFormMixin, UpdateView):
    pass


# -- the 街道 monitors --------------------------------------------------------------------------


class MonitoringView(RoleRequiredMixin, TemplateView):
    """The 街道's view of the community boards: the 居务 chain in progress, sample checks and
    instructions (timeliness has its own page)."""

    roles = (Role.STAFF,)
    template_name = "disclosure/supervision/monitoring.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            chain=list(selectors.chain_counts()),
            checks=list(selectors.sample_checks(user=user)[:20]),
            open_instructions=list(selectors.instructions(user=user).filter(answered_at__isnull=True)[:50]),
            today=timezone.localdate(),
            **kwargs,
        )


class SampleCheckCreateView(ServiceFormMixin, RoleRequiredMixin, FormView):
    roles = (Role.STAFF,)
    form_class = SampleCheckForm
    template_name = "disclosure/supervision/form.html"
    success_message = _("The sample check is recorded.")

    @cached_property
    def notice(self):
        return get_visible_or_404(self.request.user, Notice.objects.select_related("board"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Sample check"), subject=self.notice, **kwargs)

    def save(self, form):
        services.sample_check_record(actor=self.request.user, notice=self.notice, **form.cleaned_data)
        return self.notice.get_absolute_url()


class InstructionListView(RoleRequiredMixin, ListView):
    """Staff see every instruction; a secretary their own community's, open ones first."""

    roles = (*DISCLOSURE_ROLES, Role.INSPECTOR, Role.AUDITOR)
    template_name = "disclosure/supervision/instruction_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.instructions(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            flags=supervision_flags(self.request.user), today=timezone.localdate(), **kwargs
        )
        for instruction in context["object_list"]:
            instruction.actions = instruction_actions(self.request.user, instruction)
        return context


class InstructionCreateView(ServiceFormMixin, RoleRequiredMixin, CreateView):
    roles = (Role.STAFF,)
    model = Instruction
    form_class = InstructionForm
    template_name = "disclosure/supervision/form.html"
    success_message = _("The instruction is sent to the community.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Supervision instruction"), **kwargs)

    def save(self, form):
        services.instruction_issue(actor=self.request.user, instruction=form.instance)
        return reverse("disclosure:instruction_list")


class InstructionAnswerView(ServiceFormMixin, RoleRequiredMixin, FormView):
    roles = DISCLOSURE_ROLES
    form_class = AnswerInstructionForm
    template_name = "disclosure/supervision/form.html"
    success_message = _("Your answer is sent to the sub-district.")

    @cached_property
    def instruction(self):
        return get_visible_or_404(
            self.request.user, Instruction.objects.select_related("community"), pk=self.kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        ensure_can_answer_instruction(request.user, self.instruction)  # staff 403, other communities 404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Answer the instruction"), subject=self.instruction, **kwargs)

    def save(self, form):
        services.instruction_answer(
            actor=self.request.user, instruction=self.instruction, answer=form.cleaned_data["answer"]
        )
        return reverse("disclosure:instruction_list")
