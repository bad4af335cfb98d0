"""The party organisation tree, a member's record with its lifecycle actions, and the 党员's own
pages (issue 14). Namespace `org`, mounted at /org/."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView

from communities.choices import Education, Gender, OrgKind, ProbationDecision
from communities.models import (
    Community,
    FlowRecord,
    OrgPost,
    PartyMember,
    PartyOrganisation,
    Person,
    Recruit,
    Transfer,
)
from communities.periods import local_today
from communities.selectors.membership import member_internal_notices, member_of, organisation_tree
from communities.services.lifecycle import (
    member_decide_probation,
    member_record_oath,
    recruit_apply,
    recruit_approve,
    recruit_drop,
    recruit_make_activist,
    recruit_make_candidate,
    recruit_record_branch_meeting,
    recruit_record_publicity,
    recruit_record_review,
)
from communities.services.organisation import member_account_open, org_post_save, organisation_save
from communities.services.transfers import (
    flow_record_save,
    transfer_in,
    transfer_letter_pdf,
    transfer_out,
    transfer_record_receipt,
)
from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    can_member_read_notice,
    get_visible_or_404,
    has_role,
    member_actions,
    organisation_actions,
    organisation_list_flags,
    recruit_actions,
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
            # the sub-district's own organisations and those the reader may open: no link to a 404
            children=org.children.filter(
                Q(community__isnull=True) | Q(pk__in=PartyOrganisation.objects.restrict(self.request.user).values("pk"))
            ).order_by("name"),
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


# -- 发展党员: the recruits of a community and their steps ------------------------------------------


class CommunityKeeperMixin(RoleRequiredMixin):
    """Pages under /org/community/<pk>/: staff, or the community's own secretary (another's is 404)."""

    roles = KEEPERS

    def dispatch(self, request, *args, **kwargs):
        if has_role(request.user, *self.roles):
            self.community = get_visible_or_404(request.user, Community.objects.only("pk", "name"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class RecruitListView(CommunityKeeperMixin, TemplateView):
    template_name = "communities/recruit_list.html"

    def get_context_data(self, **kwargs):
        recruits = (
            Recruit.objects.filter(community=self.community)
            .select_related("person", "branch", "member")
            .order_by("-applied_on", "pk")
        )
        rows = [(r, recruit_actions(self.request.user, r)) for r in recruits]
        return super().get_context_data(community=self.community, rows=rows, **kwargs)


class RecruitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—"), *Education.choices], required=False)
    branch = forms.ModelChoiceField(label=_("Party branch"), queryset=PartyOrganisation.objects.none())
    applied_on = forms.DateField(label=_("Application submitted on"), widget=DATE)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = PartyOrganisation.objects.filter(community=community, kind=OrgKind.BRANCH)


class RecruitCreateView(CommunityKeeperMixin, ServiceFormMixin, FormView):
    form_class = RecruitForm
    template_name = "communities/child_form.html"
    success_message = _("Application recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": self.community}

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, heading=_("Record an application"), **kwargs)

    def save(self, form):
        data = form.cleaned_data
        person = Person(
            community=self.community,
            name=data["name"],
            gender=data["gender"],
            birth_date=data["birth_date"],
            id_number=data["id_number"].upper(),
            mobile=data["mobile"],
            education=data["education"],
        )
        recruit_apply(actor=self.request.user, person=person, branch=data["branch"], applied_on=data["applied_on"])
        return reverse("org:recruit_list", args=[self.community.pk])


class RecruitStepForm(forms.Form):
    STEPS = [
        ("activist", _("Activist")),
        ("candidate", _("Candidate for development")),
        ("review", _("Political review")),
        ("publicity", _("Public notice")),
        ("branch_meeting", _("Branch general meeting")),
        ("approve", _("Approved by the higher organisation")),
        ("drop", _("No longer pursued")),
    ]
    step = forms.ChoiceField(label=_("Step"), choices=STEPS)
    on = forms.DateField(label=_("Date (for a public notice: its first day)"), widget=DATE)
    end = forms.DateField(label=_("Last day of the public notice"), widget=DATE, required=False)
    contacts = forms.CharField(label=_("Members assigned to cultivate"), max_length=100, required=False)


class RecruitStepView(RoleRequiredMixin, ServiceFormMixin, FormView):
    """One step of 发展党员; the service refuses a step out of order or too early, with the reason."""

    roles = KEEPERS
    form_class = RecruitStepForm
    template_name = "communities/recruit_step.html"
    success_message = _("Step recorded.")

    def dispatch(self, request, *args, **kwargs):
        if has_role(request.user, *self.roles):
            self.recruit = get_visible_or_404(
                request.user, Recruit.objects.select_related("person", "community", "branch"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(recruit=self.recruit, **kwargs)

    def save(self, form):
        d, user, r = form.cleaned_data, self.request.user, self.recruit
        step = d["step"]
        if step == "activist":
            recruit_make_activist(actor=user, recruit=r, on=d["on"], contacts=d["contacts"])
        elif step == "candidate":
            recruit_make_candidate(actor=user, recruit=r, on=d["on"])
        elif step == "review":
            recruit_record_review(actor=user, recruit=r, on=d["on"])
        elif step == "publicity":
            if d["end"] is None:
                raise ValidationError({"end": _("Enter the last day of the public notice.")})
            recruit_record_publicity(actor=user, recruit=r, start=d["on"], end=d["end"])
        elif step == "branch_meeting":
            recruit_record_branch_meeting(actor=user, recruit=r, on=d["on"])
        elif step == "approve":
            return recruit_approve(actor=user, recruit=r, on=d["on"])
        else:
            recruit_drop(actor=user, recruit=r, on=d["on"])
        return reverse("org:recruit_list", args=[r.community_id])


# -- transfers in and 流动党员 ----------------------------------------------------------------------


class TransferInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, required=False)
    joined_on = forms.DateField(label=_("Date joined the party"), widget=DATE)
    full_on = forms.DateField(label=_("Became a full member on"), widget=DATE, required=False)
    branch = forms.ModelChoiceField(label=_("Party branch"), queryset=PartyOrganisation.objects.none())
    effective_on = forms.DateField(label=_("Effective date"), widget=DATE)
    counterpart = forms.CharField(label=_("Organisation transferred from"), max_length=100)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = PartyOrganisation.objects.filter(community=community, kind=OrgKind.BRANCH)


class TransferInView(CommunityKeeperMixin, ServiceFormMixin, FormView):
    form_class = TransferInForm
    template_name = "communities/child_form.html"
    success_message = _("Transfer in recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": self.community}

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, heading=_("Transfer in"), **kwargs)

    def save(self, form):
        d = form.cleaned_data
        member = PartyMember(
            community=self.community,
            name=d["name"],
            gender=d["gender"],
            birth_date=d["birth_date"],
            id_number=d["id_number"],
            mobile=d["mobile"],
            joined_on=d["joined_on"],
            full_on=d["full_on"],
        )
        transfer = transfer_in(
            actor=self.request.user,
            member=member,
            effective_on=d["effective_on"],
            counterpart=d["counterpart"],
            branch=d["branch"],
        )
        return transfer.member


class FlowForm(forms.ModelForm):
    class Meta:
        model = FlowRecord
        fields = ["left_on", "location", "contact", "inflow_organisation", "returned_on"]
        widgets = {"left_on": DATE, "returned_on": DATE}


class MemberFlowView(MemberActionView):
    """Record a 流动党员's time away (or, on an open record, their return)."""

    form_class = FlowForm
    heading = _("Away from home (mobile party member)")
    success_message = _("Saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.member.flows.filter(returned_on__isnull=True).first() or FlowRecord(
            member=self.member
        )
        return kwargs

    def save(self, form):
        flow_record_save(actor=self.request.user, flow=form.instance)
        return self.member


# -- the tree's own records: an organisation under another, its term, its posts -----------------


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = PartyOrganisation
        fields = ["name", "kind", "founded_on", "term_start", "term_end"]
        widgets = {"founded_on": DATE, "term_start": DATE, "term_end": DATE}


class OrganisationScopedMixin(RoleRequiredMixin):
    """An organisation the user keeps: staff any, a secretary their community's (another's is 404;
    the 党工委 itself is staff's)."""

    roles = KEEPERS

    def dispatch(self, request, *args, **kwargs):
        if has_role(request.user, *self.roles):
            queryset = PartyOrganisation.objects.select_related("community", "parent")
            root = queryset.filter(pk=kwargs["pk"], community__isnull=True).first()
            self.organisation = root or get_visible_or_404(request.user, queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def get_success_url(self):
        return reverse("org:organisation_detail", args=[self.organisation.pk])


class OrganisationChildCreateView(OrganisationScopedMixin, ServiceFormMixin, FormView):
    """A 支部 under a 党委 or 总支, a 党小组 under a 支部: in the parent's community. Under the 党工委
    (staff only) the community is chosen on the form."""

    form_class = OrganisationForm

    def get_form_class(self):
        return OrganisationTopForm if self.organisation.community_id is None else OrganisationForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "community" in form.fields:  # a secretary may only add their own community's
            form.fields["community"].queryset = Community.objects.restrict(self.request.user)
        return form

    template_name = "communities/organisation_form.html"
    success_message = _("Party organisation saved.")

    def get_form_kwargs(self):
        parent = self.organisation
        child = PartyOrganisation(parent=parent, community=parent.community)
        return {**super().get_form_kwargs(), "instance": child}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("New organisation under it"), **kwargs)

    def save(self, form):
        child = form.instance
        organisation_save(actor=self.request.user, organisation=child)
        return reverse("org:organisation_detail", args=[child.pk])


class OrganisationTopForm(OrganisationForm):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.all())

    class Meta(OrganisationForm.Meta):
        fields = ["community", *OrganisationForm.Meta.fields]


class OrganisationUpdateView(OrganisationScopedMixin, ServiceFormMixin, FormView):
    form_class = OrganisationForm
    template_name = "communities/organisation_form.html"
    success_message = _("Party organisation saved.")

    def get(self, request, *args, **kwargs):
        if not organisation_actions(request.user, self.organisation).edit:  # the 党工委: staff's
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.organisation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Edit"), **kwargs)

    def save(self, form):
        organisation_save(actor=self.request.user, organisation=form.instance)
        return reverse("org:organisation_detail", args=[form.instance.pk])


class PostForm(forms.ModelForm):
    class Meta:
        model = OrgPost
        fields = ["person", "title", "start_on", "end_on", "directly_elected"]
        widgets = {"start_on": DATE, "end_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = self.instance.organisation.community_id
        self.fields["person"].queryset = Person.objects.filter(community_id=community_id).order_by("name")


class PostCreateView(OrganisationScopedMixin, ServiceFormMixin, FormView):
    form_class = PostForm
    template_name = "communities/organisation_form.html"
    success_message = _("Post saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": OrgPost(organisation=self.organisation)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Add a post"), **kwargs)

    def save(self, form):
        org_post_save(actor=self.request.user, post=form.instance)
        return reverse("org:organisation_detail", args=[self.organisation.pk])
