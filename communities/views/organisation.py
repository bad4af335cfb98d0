"""The party organisation tree, a member's record with its lifecycle actions, and the 党员's own
pages (issue 14). Namespace `org`, mounted at /org/."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView

from communities.choices import ProbationDecision
from communities.models import PartyMember, PartyOrganisation, Transfer
from communities.periods import local_today
from communities.selectors.membership import member_internal_notices, member_of, organisation_tree
from communities.services.lifecycle import member_decide_probation, member_record_oath
from communities.services.organisation import member_account_open
from communities.services.transfers import transfer_letter_pdf, transfer_out, transfer_record_receipt
from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    can_member_read_notice,
    get_visible_or_404,
    has_role,
    member_actions,
    organisation_actions,
    organisation_list_flags,
)
from jiedao.viewkit import ServiceFormMixin

READERS = (Role.STAFF, Role.SECRETARY, Role.INSPECTOR, Role.AUDITOR)
KEEPERS = (Role.STAFF, Role.SECRETARY)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationTreeView(RoleRequiredMixin, TemplateView):
    roles = READERS
    template_name = "communities/organisation_tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=organisation_tree(user=self.request.user, today=local_today()),
            flags=organisation_list_flags(self.request.user),
            **kwargs,
        )


class OrganisationDetailView(RoleRequiredMixin, DetailView):
    roles = READERS
    template_name = "communities/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        queryset = PartyOrganisation.objects.select_related("community", "parent")
        found = queryset.filter(pk=self.kwargs["pk"], community__isnull=True).first()  # the 党工委: everyone here
        return found or get_visible_or_404(self.request.user, queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        org = self.object
        return super().get_context_data(
            posts=org.posts.select_related("person").order_by("title", "start_on"),
            children=org.children.order_by("name"),
            actions=organisation_actions(self.request.user, org),
            **kwargs,
        )


# -- a member's record (staff, the community's secretary; the member themself) -------------------


def member_queryset():
    return PartyMember.objects.select_related("community", "branch", "group", "person", "user")


class MemberObjectMixin:
    """The member record: in the user's scope (404 otherwise), or the 党员's own record."""

    def get_member(self) -> PartyMember:
        own = member_of(self.request.user)
        if own is not None and own.pk == self.kwargs["pk"]:
            return own
        return get_visible_or_404(self.request.user, member_queryset(), pk=self.kwargs["pk"])


class MemberDetailView(RoleRequiredMixin, MemberObjectMixin, TemplateView):
    roles = (*KEEPERS, Role.MEMBER)
    template_name = "communities/member_detail.html"

    def get_context_data(self, **kwargs):
        member = self.get_member()
        return super().get_context_data(**member_context(self.request.user, member), **kwargs)


def member_context(user, member) -> dict:
    today = local_today()
    return {
        "member": member,
        "status": member.get_status_display(),
        "today": today,
        "transfers": member.transfers.order_by("-effective_on"),
        "flows": member.flows.order_by("-left_on"),
        "actions": member_actions(user, member),
        "decisions": ProbationDecision.choices,
        "recruit": getattr(member, "recruit", None),
    }


class MyRecordView(RoleRequiredMixin, TemplateView):
    """/org/me/: the 党员's own record (masked like everyone's), links to their dues and meetings,
    and the party-internal notices of their own organisation."""

    roles = (Role.MEMBER,)
    template_name = "communities/member_me.html"

    def get_context_data(self, **kwargs):
        member = member_of(self.request.user)
        if member is None:
            raise Http404
        return super().get_context_data(
            **member_context(self.request.user, member),
            notices=member_internal_notices(self.request.user)[:20],
            **kwargs,
        )


class MyNoticeView(RoleRequiredMixin, TemplateView):
    roles = (Role.MEMBER,)
    template_name = "communities/member_notice.html"

    def get_context_data(self, **kwargs):
        notice = get_object_or_404(member_internal_notices(self.request.user), pk=self.kwargs["pk"])
        if not can_member_read_notice(self.request.user, notice):
            raise Http404
        return super().get_context_data(notice=notice, **kwargs)


# -- actions on a member (POST forms on the record's page) ----------------------------------------


class OathForm(forms.Form):
    on = forms.DateField(label=_("Date of the oath"), widget=DATE)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision on full membership"), choices=ProbationDecision.choices)
    on = forms.DateField(label=_("Date of the branch general meeting's decision"), widget=DATE)
    extend_months = forms.IntegerField(label=_("Extend by (months)"), required=False, min_value=1, max_value=12)


class TransferOutForm(forms.Form):
    effective_on = forms.DateField(label=_("Effective date"), widget=DATE)
    counterpart = forms.CharField(label=_("Organisation transferred to"), max_length=100)
    note = forms.CharField(label=_("Remarks"), max_length=200, required=False)


class AccountForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)


class MemberActionView(RoleRequiredMixin, MemberObjectMixin, ServiceFormMixin, FormView):
    roles = KEEPERS
    template_name = "communities/member_action.html"
    heading = ""

    def dispatch(self, request, *args, **kwargs):
        if has_role(request.user, *self.roles):  # others get the mixin's login page or 403
            self.member = get_visible_or_404(request.user, member_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, heading=self.heading, **kwargs)

    def get_success_url(self):
        return self.member.get_absolute_url()


class MemberOathView(MemberActionView):
    form_class = OathForm
    heading = _("Record the oath")
    success_message = _("Oath recorded.")

    def save(self, form):
        return member_record_oath(actor=self.request.user, member=self.member, on=form.cleaned_data["on"])


class MemberDecisionView(MemberActionView):
    form_class = DecisionForm
    heading = _("Decision at the end of the probation")
    success_message = _("Decision recorded.")

    def save(self, form):
        return member_decide_probation(actor=self.request.user, member=self.member, **form.cleaned_data)


class MemberTransferOutView(MemberActionView):
    form_class = TransferOutForm
    heading = _("Transfer out")
    success_message = _("Transfer recorded; print the numbered letter of introduction.")

    def save(self, form):
        transfer_out(actor=self.request.user, member=self.member, **form.cleaned_data)
        return self.member


class MemberAccountView(MemberActionView):
    form_class = AccountForm
    heading = _("Open a member account")

    def save(self, form):
        user, password = member_account_open(
            actor=self.request.user, member=self.member, username=form.cleaned_data["username"]
        )
        messages.success(
            self.request,
            _("Account %(user)s opened. Initial password (shown once, hand it over): %(password)s")
            % {"user": user.username, "password": password},
        )
        return self.member


class TransferObjectMixin(RoleRequiredMixin):
    roles = KEEPERS

    def get_transfer(self) -> Transfer:
        return get_visible_or_404(
            self.request.user,
            Transfer.objects.select_related("member__community", "member__branch"),
            pk=self.kwargs["pk"],
        )


class TransferLetterView(TransferObjectMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        transfer = self.get_transfer()
        if not transfer.is_out:
            raise Http404
        response = HttpResponse(transfer_letter_pdf(transfer), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="jieshaoxin-{transfer.number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class ReceiptForm(forms.Form):
    on = forms.DateField(label=_("Receipt returned on"), widget=DATE)


class TransferReceiptView(TransferObjectMixin, ServiceFormMixin, FormView):
    form_class = ReceiptForm
    template_name = "communities/member_action.html"
    success_message = _("Receipt recorded.")

    def dispatch(self, request, *args, **kwargs):
        if has_role(request.user, *self.roles):
            self.transfer = self.get_transfer()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.transfer.member, heading=_("Record the receipt"), **kwargs)

    def save(self, form):
        transfer_record_receipt(actor=self.request.user, transfer=self.transfer, on=form.cleaned_data["on"])
        return self.transfer.member

    def get_success_url(self):
        return self.transfer.member.get_absolute_url()
