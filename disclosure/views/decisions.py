"""Internal pages of the decision trails (announce a meeting, moderate residents' opinions,
record decisions and their implementation) and of the event ledger."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView

from communities.models import Community
from disclosure import services
from disclosure.models import Decision, DecisionItem, MeetingOpinion, OpenMeeting
from disclosure.selectors import decisions as selectors
from disclosure.selectors import meeting_list
from disclosure.supervision_forms import AnnounceForm, DecisionForm, DecisionItemForm, EventForm
from jiedao.permissions import (
    DISCLOSURE_ROLES,
    Role,
    RoleRequiredMixin,
    decision_trail_actions,
    get_visible_or_404,
    supervision_flags,
)
from jiedao.viewkit import ServiceActionView, ServiceFormMixin

FORM_TEMPLATE = "disclosure/supervision/form.html"


class MeetingTrailView(RoleRequiredMixin, TemplateView):
    """A meeting's whole trail as the office sees it: announcement, every opinion (contact
    included, for moderation), decisions with the opinions heard, implementation items."""

    roles = DISCLOSURE_ROLES
    template_name = "disclosure/decisions/trail.html"

    def get_context_data(self, **kwargs):
        try:
            meeting = selectors.meeting_trail(user=self.request.user, pk=self.kwargs["pk"])
        except OpenMeeting.DoesNotExist:
            raise Http404 from None
        return super().get_context_data(
            meeting=meeting,
            actions=decision_trail_actions(self.request.user, meeting),
            opinions_open=services.opinions_open(meeting),
            today=timezone.localdate(),
            **kwargs,
        )


class MeetingObjectMixin(RoleRequiredMixin):
    roles = DISCLOSURE_ROLES

    @cached_property
    def meeting(self):
        return get_visible_or_404(self.request.user, meeting_list(user=self.request.user), pk=self.kwargs["pk"])

    def trail_url(self):
        return reverse("disclosure:meeting_trail", args=[self.meeting.pk])


class MeetingAnnounceView(ServiceFormMixin, MeetingObjectMixin, FormView):
    form_class = AnnounceForm
    template_name = FORM_TEMPLATE
    success_message = _("The meeting and its agenda are on the public board; residents may give opinions.")

    def get_initial(self):
        return {"opinions_until": self.meeting.opinions_until}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Announce the meeting"), subject=self.meeting, **kwargs)

    def save(self, form):
        services.meeting_announce(
            actor=self.request.user, meeting=self.meeting, opinions_until=form.cleaned_data["opinions_until"]
        )
        return self.trail_url()


class OpinionModerateView(RoleRequiredMixin, ServiceActionView):
    roles = DISCLOSURE_ROLES

    def get_queryset(self):
        return MeetingOpinion.objects.select_related("meeting__board")

    def act(self, opinion):
        show = self.request.POST.get("show") == "1"
        services.opinion_moderate(actor=self.request.user, opinion=opinion, show=show)
        self.success_message = _("Shown on the public board.") if show else _("Rejected; it will not be shown.")

    def get_success_url(self, opinion):
        return reverse("disclosure:meeting_trail", args=[opinion.meeting_id])

    get_error_url = get_success_url


class DecisionFormMixin(ServiceFormMixin, RoleRequiredMixin):
    roles = DISCLOSURE_ROLES
    model = Decision
    form_class = DecisionForm
    template_name = FORM_TEMPLATE
    success_message = _("The decision is saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.get_meeting()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Decision"), subject=self.get_meeting(), **kwargs)

    def save(self, form):
        decision = form.instance
        decision.meeting = self.get_meeting()
        services.decision_save(actor=self.request.user, decision=decision, opinions=form.cleaned_data["opinions_heard"])
        return reverse("disclosure:meeting_trail", args=[decision.meeting_id])


class DecisionCreateView(DecisionFormMixin, CreateView):
    @cached_property
    def meeting(self):
        return get_visible_or_404(self.request.user, meeting_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_meeting(self):
        return self.meeting


class DecisionUpdateView(DecisionFormMixin, UpdateView):
    def get_queryset(self):
        return selectors.decision_queryset(user=self.request.user)

    def get_meeting(self):
        return self.object.meeting


class DecisionItemFormMixin(ServiceFormMixin, RoleRequiredMixin):
    roles = DISCLOSURE_ROLES
    model = DecisionItem
    form_class = DecisionItemForm
    template_name = FORM_TEMPLATE
    success_message = _("The implementation item is saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.get_decision().meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Implementation item"), subject=self.get_decision(), **kwargs)

    def save(self, form):
        item = form.instance
        item.decision = self.get_decision()
        services.decision_item_save(actor=self.request.user, item=item)
        return reverse("disclosure:meeting_trail", args=[item.decision.meeting_id])


class DecisionItemCreateView(DecisionItemFormMixin, CreateView):
    @cached_property
    def decision(self):
        return get_visible_or_404(
            self.request.user, selectors.decision_queryset(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get_decision(self):
        return self.decision


class DecisionItemUpdateView(DecisionItemFormMixin, UpdateView):
    def get_queryset(self):
        return selectors.decision_items(user=self.request.user)

    def get_decision(self):
        return self.object.decision


# -- the event ledger ---------------------------------------------------------------------------


class EventListView(RoleRequiredMixin, ListView):
    roles = (*DISCLOSURE_ROLES, Role.INSPECTOR, Role.AUDITOR)
    template_name = "disclosure/decisions/event_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.events(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            flags=supervision_flags(self.request.user), today=timezone.localdate(), **kwargs
        )


class EventCreateView(ServiceFormMixin, RoleRequiredMixin, CreateView):
    roles = DISCLOSURE_ROLES
    form_class = EventForm
    template_name = FORM_TEMPLATE
    success_message = _("The event is recorded; it must be disclosed by its due date.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "communities": Community.objects.restrict(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Record an event to disclose"), **kwargs)

    def save(self, form):
        form.instance.recorded_by = self.request.user
        services.event_record(actor=self.request.user, event=form.instance)
        return reverse("disclosure:event_list")


class EventDraftNoticeView(RoleRequiredMixin, ServiceActionView):
    roles = DISCLOSURE_ROLES
    success_message = _("A draft notice of the event was made; complete it and send it on.")

    def get_queryset(self):
        return selectors.events(user=self.request.user)

    def act(self, event):
        return services.event_draft_notice(actor=self.request.user, event=event).get_absolute_url()

    def get_error_url(self, event):
        return reverse("disclosure:event_list")
