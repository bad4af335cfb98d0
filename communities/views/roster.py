"""Communities, their cadres, party-member rosters and yearly indicators."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    ScopedObjectMixin,
    can_reveal_identity,
    community_actions,
    community_id_of,
    community_list_flags,
    ensure_can_manage,
    get_visible_or_404,
)
from jiedao.viewkit import ServiceActionView, ServiceFormMixin

from .. import selectors
from ..filters import CommunityFilter
from ..forms import CadreForm, CommunityForm, CommunityYearForm, PartyMemberEditForm
from ..models import Cadre, Community, CommunityYear, PartyMember
from ..services import (
    cadre_delete,
    cadre_save,
    community_save,
    community_year_save,
    party_member_delete,
    party_member_save,
)


class CommunityListView(RoleRequiredMixin, ListView):
    roles = (Role.STAFF, Role.INSPECTOR, Role.AUDITOR)
    template_name = "communities/community_list.html"

    def get_queryset(self):
        self.filter = CommunityFilter(self.request.GET, queryset=selectors.community_list(user=self.request.user))
        return self.filter.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filter, flags=community_list_flags(self.request.user), **kwargs)


class MyCommunityView(RoleRequiredMixin, View):
    """A secretary's way in: their own community's page."""

    roles = (Role.SECRETARY,)

    def get(self, request):
        community_id = community_id_of(request.user)
        if community_id is None:
            raise Http404
        return redirect("communities:community_detail", pk=community_id)


class CommunityDetailView(ScopedObjectMixin, DetailView):
    template_name = "communities/community_detail.html"

    def get_queryset(self):
        return selectors.community_detail_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            history=selectors.indicator_history(self.object),
            actions=community_actions(self.request.user, self.object),
            **kwargs,
        )


class CommunityFormMixin(RoleRequiredMixin, ServiceFormMixin):
    model = Community
    form_class = CommunityForm
    template_name = "communities/community_form.html"
    success_message = _("Community saved.")

    def save(self, form):
        return community_save(actor=self.request.user, community=form.instance)


class CommunityCreateView(CommunityFormMixin, CreateView):
    pass


class CommunityUpdateView(CommunityFormMixin, UpdateView):
    pass


class PartyMemberListView(ScopedObjectMixin, ListView):
    """One community's roster: staff and that community's secretary. Numbers are masked
    unless the viewer holds the reveal permission."""

    roles = (Role.STAFF, Role.SECRETARY)
    template_name = "communities/partymember_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.community = get_visible_or_404(self.request.user, Community, pk=self.kwargs["pk"])
        return selectors.party_members(user=self.request.user, community=self.community)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            community=self.community, actions=community_actions(self.request.user, self.community), **kwargs
        )


# -- rosters and indicators (staff; party members also the community's own secretary) ----------


class CommunityChildCreateMixin:
    """Create views under /communities/<pk>/…: the community is looked up in the user's scope."""

    template_name = "communities/child_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.community = get_visible_or_404(request.user, Community.objects.only("pk", "name"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(community=self.community)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, heading=self.heading, **kwargs)


class CommunityChildUpdateMixin:
    template_name = "communities/child_form.html"

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user).select_related("community")

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.object.community, heading=self.heading, **kwargs)


class CadreFormMixin(ServiceFormMixin):
    model = Cadre
    form_class = CadreForm
    success_message = _("Cadre saved.")

    def save(self, form):
        return cadre_save(actor=self.request.user, cadre=form.instance).community


class CadreCreateView(RoleRequiredMixin, CommunityChildCreateMixin, CadreFormMixin, CreateView):
    heading = _("New cadre")


class CadreUpdateView(RoleRequiredMixin, CommunityChildUpdateMixin, CadreFormMixin, UpdateView):
    heading = _("Edit cadre")

    def get_context_data(self, **kwargs):
        return super().get_context_data(delete_url=reverse("communities:cadre_delete", args=[self.object.pk]), **kwargs)


class CadreDeleteView(RoleRequiredMixin, ServiceActionView):
    model = Cadre
    success_message = _("Cadre removed.")

    def act(self, cadre):
        community = cadre.community
        cadre_delete(actor=self.request.user, cadre=cadre)
        return community


class PartyMemberFormMixin(ServiceFormMixin):
    """Staff, and the secretary of the member's own community (the service checks it)."""

    model = PartyMember
    form_class = PartyMemberEditForm
    success_message = _("Party member saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reveal": can_reveal_identity(self.request.user)}

    def save(self, form):
        member = party_member_save(actor=self.request.user, member=form.instance)
        return reverse("communities:partymember_list", args=[member.community_id])


class PartyMemberCreateView(RoleRequiredMixin, CommunityChildCreateMixin, PartyMemberFormMixin, CreateView):
    roles = (Role.STAFF, Role.SECRETARY)
    heading = _("New party member")

    def get(self, request, *args, **kwargs):
        ensure_can_manage(request.user, self.community.pk)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        ensure_can_manage(request.user, self.community.pk)
        return super().post(request, *args, **kwargs)


class PartyMemberUpdateView(RoleRequiredMixin, CommunityChildUpdateMixin, PartyMemberFormMixin, UpdateView):
    roles = (Role.STAFF, Role.SECRETARY)
    heading = _("Edit party member")

    def get_object(self, queryset=None):
        member = super().get_object(queryset)
        ensure_can_manage(self.request.user, member.community_id)
        return member

    def get_context_data(self, **kwargs):
        delete_url = reverse("communities:partymember_delete", args=[self.object.pk])
        return super().get_context_data(delete_url=delete_url, **kwargs)


class PartyMemberDeleteView(RoleRequiredMixin, ServiceActionView):
    roles = (Role.STAFF, Role.SECRETARY)
    model = PartyMember
    success_message = _("Party member removed.")

    def act(self, member):
        party_member_delete(actor=self.request.user, member=member)
        return self.get_error_url(member)

    def get_error_url(self, member):
        return reverse("communities:partymember_list", args=[member.community_id])


class CommunityYearFormMixin(ServiceFormMixin):
    model = CommunityYear
    form_class = CommunityYearForm
    success_message = _("Indicators saved.")

    def save(self, form):
        return community_year_save(actor=self.request.user, record=form.instance).community


class CommunityYearCreateView(RoleRequiredMixin, CommunityChildCreateMixin, CommunityYearFormMixin, CreateView):
    heading = _("New year of indicators")


class CommunityYearUpdateView(RoleRequiredMixin, CommunityChildUpdateMixin, CommunityYearFormMixin, UpdateView):
    heading = _("Edit indicators")
