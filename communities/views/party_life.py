"""Pages of the 三会一课 register and the 党费 ledger (namespace `partylife`), and the party
member's own pages: my dues, my meetings, and the sign-in page a meeting's QR code opens."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from assessment.qr import svg_data_uri
from communities.models import (
    Community,
    DuesBase,
    DuesLapseReview,
    DuesPayment,
    DuesRateBand,
    MeetingPhoto,
    PartyMeeting,
    PartyMember,
)
from communities.party_life_forms import (
    DuesBaseForm,
    DuesPaymentForm,
    DuesRateBandForm,
    DuesReviewForm,
    HalfYearForm,
    MeetingPhotosForm,
    PartyMeetingForm,
)
from communities.party_life_resources import meetings_import
from communities.periods import local_today
from communities.selectors.dues import dues_standings, member_dues, open_lapse_reviews, rate_bands
from communities.selectors.meetings import branch_cadence, meeting_roll, meetings_of, member_meetings
from communities.selectors.membership import member_of
from communities.services.dues import (
    dues_base_save,
    dues_half_year_draft,
    dues_payment_record,
    dues_rate_band_save,
    dues_review_decide,
)
from communities.services.meetings import (
    meeting_attendance_record,
    meeting_from_token,
    meeting_photos_add,
    meeting_save,
    meeting_sign_in,
    meeting_signin_reset,
    meeting_signin_token,
    signin_member,
)
from jiedao.imports import ImportForm, ImportView
from jiedao.permissions import (
    PARTY_LIFE_ROLES,
    PARTY_MEMBER_ROLES,
    Role,
    RoleRequiredMixin,
    dues_actions,
    get_visible_or_404,
    has_role,
    meeting_actions,
)
from jiedao.viewkit import ServiceFormMixin, chosen_year, protected_file_response, year_choices

PAGE_SIZE = 50


class CommunityScopedMixin(RoleRequiredMixin):
    """Pages of one community's register or ledger: another community's is 404; `record_only`
    pages are for staff and the community's secretary (inspectors and auditors: 403)."""

    roles = PARTY_LIFE_ROLES
    record_only = False

    def dispatch(self, request, *args, **kwargs):
        if has_role(request.user, *self.roles):  # the role first: a resident gets 403, not 404
            self.resolve(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def resolve(self, request, **kwargs):
        self.community = get_visible_or_404(request.user, Community, pk=kwargs["pk"])
        self.check_record(self.community.pk)

    def check_record(self, community_id):
        self.actions = dues_actions(self.request.user, community_id)
        if self.record_only and not self.actions.record:
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, actions=self.actions, **kwargs)


# -- 党费 ----------------------------------------------------------------------------------------


class DuesLedgerView(CommunityScopedMixin, TemplateView):
    template_name = "communities/dues_ledger.html"

    def get_context_data(self, **kwargs):
        today = local_today()
        members = PartyMember.objects.filter(community=self.community).active_on(today).order_by("name", "id")
        page = Paginator(members.only("id", "name", "community_id"), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page,
            is_paginated=page.has_other_pages(),
            standings=dues_standings(page.object_list, today=today),
            reviews=open_lapse_reviews(user=self.request.user, community=self.community),
            half_year_form=HalfYearForm(initial={"year": today.year, "half": 1 if today.month > 6 else 2}),
            **kwargs,
        )


class MemberScopedMixin(CommunityScopedMixin):
    def resolve(self, request, **kwargs):
        self.member = get_visible_or_404(request.user, PartyMember.objects.select_related("community"), pk=kwargs["pk"])
        self.community = self.member.community
        self.check_record(self.community.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)


class DuesMemberView(MemberScopedMixin, TemplateView):
    template_name = "communities/dues_member.html"

    def get_context_data(self, **kwargs):
        standing = dues_standings([self.member], today=local_today())[0]
        return super().get_context_data(standing=standing, **member_dues(self.member), **kwargs)


class DuesChildFormView(MemberScopedMixin, ServiceFormMixin, FormView):
    template_name = "communities/child_form.html"
    record_only = True
    heading = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"{self.heading} · {self.member.name}", **kwargs)

    def done(self):
        return reverse("partylife:dues_member", args=[self.member.pk])


class DuesBaseCreateView(DuesChildFormView):
    form_class = DuesBaseForm
    heading = _("Set the dues base")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": DuesBase(member=self.member)}

    def save(self, form):
        dues_base_save(actor=self.request.user, base=form.instance)
        messages.success(self.request, _("The dues base was saved."))
        return self.done()


class DuesPaymentCreateView(DuesChildFormView):
    form_class = DuesPaymentForm
    heading = _("Record a dues payment")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": DuesPayment(member=self.member)}

    def get_initial(self):
        return {"paid_on": local_today()}

    def save(self, form):
        dues_payment_record(actor=self.request.user, payment=form.instance)
        messages.success(self.request, _("The payment was recorded."))
        return self.done()


class DuesReviewDecideView(CommunityScopedMixin, ServiceFormMixin, FormView):
    template_name = "communities/dues_review.html"
    form_class = DuesReviewForm
    record_only = True

    def resolve(self, request, **kwargs):
        self.review = get_visible_or_404(
            request.user, DuesLapseReview.objects.select_related("member", "member__community"), pk=kwargs["pk"]
        )
        self.community = self.review.member.community
        self.check_record(self.community.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(review=self.review, **kwargs)

    def save(self, form):
        dues_review_decide(
            actor=self.request.user,
            review=self.review,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        messages.success(self.request, _("The decision was recorded."))
        return reverse("partylife:dues_ledger", args=[self.community.pk])


class DuesHalfYearDraftView(CommunityScopedMixin, View):
    """POST: draft the half-yearly 党费收缴使用情况 on the community's board."""

    http_method_names = ["post"]
    record_only = True

    def post(self, request, pk):
        form = HalfYearForm(request.POST)
        back = reverse("partylife:dues_ledger", args=[pk])
        if not form.is_valid():
            messages.error(request, _("Choose a year and a half-year."))
            return redirect(back)
        try:
            notice = dues_half_year_draft(actor=request.user, community=self.community, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        messages.success(request, _("The half-yearly dues report was drafted; complete it and send it for review."))
        return redirect(notice.get_absolute_url())


class DuesRateListView(RoleRequiredMixin, TemplateView):
    roles = PARTY_LIFE_ROLES
    template_name = "communities/dues_rates.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(table=rate_bands(), actions=dues_actions(self.request.user, None), **kwargs)


class DuesRateUpdateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    roles = (Role.STAFF,)
    form_class = DuesRateBandForm
    template_name = "communities/dues_rate_form.html"

    def get_form_kwargs(self):
        band = get_visible_or_404(self.request.user, DuesRateBand, pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": band}

    def save(self, form):
        dues_rate_band_save(actor=self.request.user, band=form.instance)
        messages.success(self.request, _("The rate table was changed."))
        return reverse("partylife:dues_rates")


# -- 三会一课 register -----------------------------------------------------------------------------


class MeetingListView(CommunityScopedMixin, TemplateView):
    template_name = "communities/meeting_list.html"

    def get_context_data(self, **kwargs):
        today = local_today()
        # opens on the latest year with meetings; the picker offers those years and this one
        held = {d.year for d in meetings_of(user=self.request.user, community=self.community).dates("held_on", "year")}
        year = chosen_year(self.request, held, today.year)
        meetings = meetings_of(user=self.request.user, community=self.community, year=year)
        page = Paginator(meetings, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            year=year,
            years=year_choices(held, today.year),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            cadences=branch_cadence(year=year, today=today, community_ids=[self.community.pk]),
            **kwargs,
        )


class MeetingCreateView(CommunityScopedMixin, ServiceFormMixin, FormView):
    template_name = "communities/child_form.html"
    form_class = PartyMeetingForm
    record_only = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": self.community, "instance": PartyMeeting()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Record a meeting"), **kwargs)

    def save(self, form):
        meeting = meeting_save(actor=self.request.user, meeting=form.instance)
        messages.success(self.request, _("The meeting was recorded; now take the attendance."))
        return meeting


class MeetingScopedMixin(CommunityScopedMixin):
    def resolve(self, request, **kwargs):
        self.meeting = get_visible_or_404(
            request.user,
            PartyMeeting.objects.select_related("organisation", "organisation__community"),
            pk=kwargs["pk"],
        )
        self.community = self.meeting.organisation.community
        self.check_record(self.community.pk)
        self.meeting_actions = meeting_actions(request.user, self.meeting)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, meeting_actions=self.meeting_actions, **kwargs)


class MeetingDetailView(MeetingScopedMixin, TemplateView):
    template_name = "communities/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = {"roll": meeting_roll(self.meeting), "photos": list(self.meeting.photos.all())}
        if self.meeting_actions.edit:
            link = self.request.build_absolute_uri(
                reverse("partylife:meeting_signin", args=[meeting_signin_token(self.meeting)])
            )
            context.update(signin_link=link, signin_qr=svg_data_uri(link), photos_form=MeetingPhotosForm())
        return super().get_context_data(**context, **kwargs)


class MeetingUpdateView(MeetingScopedMixin, ServiceFormMixin, FormView):
    template_name = "communities/child_form.html"
    form_class = PartyMeetingForm
    record_only = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "community": self.community, "instance": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Edit the meeting record"), **kwargs)

    def save(self, form):
        meeting = meeting_save(actor=self.request.user, meeting=form.instance)
        messages.success(self.request, _("The meeting record was saved."))
        return meeting


class MeetingAttendanceView(MeetingScopedMixin, View):
    """POST the roll: `present_<id>` ticked, `reason_<id>` for each absentee."""

    http_method_names = ["post"]
    record_only = True

    def post(self, request, pk):
        roll = meeting_roll(self.meeting)
        marks = {
            row.member.pk: (
                request.POST.get(f"present_{row.member.pk}") == "on",
                request.POST.get(f"reason_{row.member.pk}", ""),
            )
            for row in roll.rows
        }
        try:
            meeting_attendance_record(actor=request.user, meeting=self.meeting, marks=marks)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The attendance was saved."))
        return redirect(self.meeting)


class MeetingPhotosView(MeetingScopedMixin, View):
    http_method_names = ["post"]
    record_only = True

    def post(self, request, pk):
        form = MeetingPhotosForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.get("photos", []))
            meeting_photos_add(actor=request.user, meeting=self.meeting, photos=form.cleaned_data["photos"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The photos were added."))
        return redirect(self.meeting)


class MeetingPhotoView(MeetingScopedMixin, View):
    def get(self, request, pk, photo_pk):
        photo = get_visible_or_404(request.user, MeetingPhoto.objects.filter(meeting=self.meeting), pk=photo_pk)
        return protected_file_response(photo.file, filename=photo.original_name, content_type=photo.content_type)


class MeetingSigninResetView(MeetingScopedMixin, View):
    """POST: a new sign-in key; every QR code of the meeting printed so far stops working."""

    http_method_names = ["post"]
    record_only = True

    def post(self, request, pk):
        meeting_signin_reset(actor=request.user, meeting=self.meeting)
        messages.success(request, _("A new sign-in code was made; the old one no longer works."))
        return redirect(self.meeting)


# -- the party member's own pages (phone first) ---------------------------------------------------


class MemberPageMixin(RoleRequiredMixin):
    roles = PARTY_MEMBER_ROLES

    def member(self) -> PartyMember:
        member = member_of(self.request.user)
        if member is None:
            raise PermissionDenied
        return member


class MeetingSigninView(MemberPageMixin, TemplateView):
    """The page a meeting's QR code opens: the member confirms and is marked present. A meeting
    of another organisation is 404; a code used on another day is refused with a message."""

    template_name = "communities/meeting_signin.html"

    def get_context_data(self, **kwargs):
        meeting, _day = meeting_from_token(self.kwargs["token"])
        member = signin_member(self.request.user, meeting)
        mark = meeting.attendance.filter(member=member).first()
        return super().get_context_data(meeting=meeting, member=member, mark=mark, **kwargs)

    def post(self, request, token):
        try:
            meeting_sign_in(actor=request.user, token=token)
        except ValidationError as error:
            context = self.get_context_data()
            context["error"] = " ".join(error.messages)
            return self.render_to_response(context, status=400)
        messages.success(request, _("You are signed in to this meeting."))
        return redirect("partylife:my_meetings")


class MyDuesView(MemberPageMixin, TemplateView):
    template_name = "communities/my_dues.html"

    def get_context_data(self, **kwargs):
        member = self.member()
        standing = dues_standings([member], today=local_today())[0]
        return super().get_context_data(member=member, standing=standing, **member_dues(member), **kwargs)


class MyMeetingsView(MemberPageMixin, TemplateView):
    template_name = "communities/my_meetings.html"

    def get_context_data(self, **kwargs):
        member = self.member()
        return super().get_context_data(member=member, rows=member_meetings(member), **kwargs)


class MeetingImportView(ImportView):
    """The meeting import: the shared upload page, our own all-or-nothing reader."""

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.get_context(form=form), status=400)
        outcome = meetings_import(actor=request.user, uploaded=form.cleaned_data["file"])
        if outcome.ok:
            messages.success(request, _("Imported %(total)d rows.") % {"total": outcome.total})
        status = 200 if outcome.ok else 400
        return render(request, self.template_name, self.get_context(form=ImportForm(), outcome=outcome), status=status)
