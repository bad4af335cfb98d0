"""Internal pages of the case ledger (/disclosure/cases/): the list, recording a letter, a visit or
a call, one case with its history, and the handler's actions (assign, transfer, answer, close)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from communities.models import Community
from disclosure import selectors, services
from disclosure.case_forms import AssignForm, CaseRecordForm, ReplyForm, TransferForm
from disclosure.models import Case, CaseStatus
from disclosure.selectors.cases import case_detail_events
from jiedao.permissions import CASE_ROLES, RoleRequiredMixin, case_actions, case_flags, visible_to
from jiedao.personal_numbers import mask_contact
from jiedao.viewkit import ServiceActionView, ServiceFormMixin


class CaseListView(RoleRequiredMixin, ListView):
    roles = CASE_ROLES
    template_name = "disclosure/cases/case_list.html"
    paginate_by = 30

    def get_queryset(self):
        cases = selectors.case_list(user=self.request.user)
        self.status = self.request.GET.get("status", "")
        if self.status in CaseStatus.values:
            cases = cases.filter(status=self.status)
        elif self.status == "overdue":
            cases = cases.filter(status=CaseStatus.OPEN, deadline__lt=timezone.localdate())
        else:
            self.status = ""
        return cases

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for case in context["object_list"]:
            case.masked_contact = mask_contact(case.contact)  # lists show personal data masked
        tabs = [("", _("All")), *CaseStatus.choices, ("overdue", _("Overdue"))]
        context.update(
            flags=case_flags(self.request.user),
            tabs=[{"value": v, "label": label, "active": v == self.status} for v, label in tabs],
            today=timezone.localdate(),
        )
        return context


class CaseRecordView(RoleRequiredMixin, ServiceFormMixin, FormView):
    roles = CASE_ROLES
    template_name = "disclosure/cases/case_form.html"
    form_class = CaseRecordForm
    success_message = _("The case is recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["communities"] = visible_to(self.request.user, Community.objects.order_by("code"))
        return kwargs

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def save(self, form):
        new = services.case_record(actor=self.request.user, **form.cleaned_data)
        messages.info(
            self.request,
            _("Case %(number)s. Give the resident the query code %(code)s — it is shown only this once.")
            % {"number": new.case.number, "code": services.format_code(new.code)},
        )
        return new.case


class CaseDetailView(RoleRequiredMixin, DetailView):
    roles = CASE_ROLES
    template_name = "disclosure/cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return visible_to(self.request.user, Case.objects.select_related("community", "handler", "recorded_by"))

    def get_context_data(self, **kwargs):
        case = self.object
        actions = case_actions(self.request.user, case)
        return super().get_context_data(
            actions=actions,
            events=case_detail_events(case),
            assign_form=AssignForm(case=case, initial={"handler": case.handler_id}) if actions.assign else None,
            transfer_form=TransferForm() if actions.transfer else None,
            reply_form=ReplyForm() if actions.reply else None,
            today=timezone.localdate(),
            **kwargs,
        )


class CaseFormActionView(RoleRequiredMixin, ServiceActionView):
    """A POST with a small form on the case page; a form or service error comes back as a message."""

    roles = CASE_ROLES
    form_class = None

    def get_queryset(self):
        return Case.objects.select_related("community", "handler")

    def get_form(self, obj):
        return self.form_class(self.request.POST, **self.form_kwargs(obj))

    def form_kwargs(self, obj):
        return {}

    def act(self, obj):
        form = self.get_form(obj)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        return self.act_with(obj, form.cleaned_data)


class CaseAssignView(CaseFormActionView):
    form_class = AssignForm
    success_message = _("The handler is set.")

    def form_kwargs(self, obj):
        return {"case": obj}

    def act_with(self, case, data):
        services.case_assign(actor=self.request.user, case=case, handler=data["handler"])


class CaseTransferView(CaseFormActionView):
    form_class = TransferForm
    success_message = _("The case is transferred.")

    def act_with(self, case, data):
        services.case_transfer(actor=self.request.user, case=case, community=data["community"], reason=data["reason"])
        if not visible_to(self.request.user, Case.objects.filter(pk=case.pk)).exists():
            return "disclosure:case_list"  # handed to another community: out of this secretary's reach
        return None


class CaseReplyView(CaseFormActionView):
    form_class = ReplyForm
    success_message = _("The answer is saved; the resident reads it with the query code.")

    def act_with(self, case, data):
        services.case_reply(actor=self.request.user, case=case, reply=data["reply"])


class CaseCloseView(RoleRequiredMixin, ServiceActionView):
    roles = CASE_ROLES
    success_message = _("The case is closed.")

    def get_queryset(self):
        return Case.objects.all()

    def act(self, case):
        services.case_close(actor=self.request.user, case=case)


__all__ = [
    "CaseAssignView",
    "CaseCloseView",
    "CaseDetailView",
    "CaseListView",
    "CaseRecordView",
    "CaseReplyView",
    "CaseTransferView",
]
