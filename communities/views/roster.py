"""Communities, their cadres, party-member rosters and yearly indicators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from jiedao import permissions
from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    ScopedObjectMixin,
    can_reveal_identity,
    community_id_of,
    ensure_can_manage,
    visible_to,
)

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
        return super().get_context_data(
            filter=self.filter, flags=permissions.community_list_flags(self.request.user), **kwargs
        )


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
            actions=permissions.community_actions(self.request.user, self.object),
            **kwargs,
        )


class CommunityFormMixin(RoleRequiredMixin):
    model = Community
    form_class = CommunityForm
    template_name = "communities/community_form.html"

    def form_valid(self, form):
        community = community_save(actor=self.request.user, community=form.instance)
        messages.success(self.request, _("Community saved."))
        return redirect(community)


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
        self.community = get_object_or_404(selectors.community_list(user=self.request.user), pk=self.kwargs["pk"])
        return selectors.party_members(user=self.request.user, community=self.community)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            community=self.community, actions=permissions.community_actions(self.request.user, self.community), **kwargs
        )


# -- rosters, indicators, import and export (import/export engineer) -------------------------------


def _save_or_show_errors(view, form, save):
    """Call the service; a ValidationError it raises is shown on the form, nothing saved."""
    try:
        obj = save()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return view.form_invalid(form)
    return obj


class CommunityChildCreateMixin:
    """Create views under /communities/<pk>/…: the community is looked up in the user's scope."""

    template_name = "communities/child_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.community = get_object_or_404(
                selectors.community_list(user=request.user).only("pk", "name"), pk=kwargs["pk"]
            )
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
        return visible_to(self.request.user, self.model.objects.select_related("community"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.object.community, heading=self.heading, **kwargs)


class CadreFormMixin:
    model = Cadre
    form_class = CadreForm

    def form_valid(self, form):
        result = _save_or_show_errors(self, form, lambda: cadre_save(actor=self.request.user, cadre=form.instance))
        if not isinstance(result, Cadre):
            return result
        messages.success(self.request, _("Cadre saved."))
        return redirect(result.community)


class CadreCreateView(RoleRequiredMixin, CommunityChildCreateMixin, CadreFormMixin, CreateView):
    heading = _("New cadre")


class CadreUpdateView(RoleRequiredMixin, CommunityChildUpdateMixin, CadreFormMixin, UpdateView):
    heading = _("Edit cadre")

    def get_context_data(self, **kwargs):
        return super().get_context_data(delete_url=reverse("communities:cadre_delete", args=[self.object.pk]), **kwargs)


class CadreDeleteView(RoleRequiredMixin, View):
    def post(self, request, pk):
        cadre = get_object_or_404(visible_to(request.user, Cadre.objects.all()), pk=pk)
        community = cadre.community
        cadre_delete(actor=request.user, cadre=cadre)
        messages.success(request, _("Cadre removed."))
        return redirect(community)


class PartyMemberFormMixin:
    """Staff, and the secretary of the member's own community (the service checks it)."""

    model = PartyMember
    form_class = PartyMemberEditForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reveal": can_reveal_identity(self.request.user)}

    def form_valid(self, form):
        result = _save_or_show_errors(
            self, form, lambda: party_member_save(actor=self.request.user, member=form.instance)
        )
        if not isinstance(result, PartyMember):
            return result
        messages.success(self.request, _("Party member saved."))
        return redirect("communities:partymember_list", pk=result.community_id)


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


class PartyMemberDeleteView(RoleRequiredMixin, View):
    roles = (Role.STAFF, Role.SECRETARY)

    def post(self, request, pk):
        member = get_object_or_404(visible_to(request.user, PartyMember.objects.all()), pk=pk)
        party_member_delete(actor=request.user, member=member)
        messages.success(request, _("Party member removed."))
        return redirect("communities:partymember_list", pk=member.community_id)


class CommunityYearFormMixin:
    model = CommunityYear
    form_class = CommunityYearForm

    def form_valid(self, form):
        result = _save_or_show_errors(
            self, form, lambda: community_year_save(actor=self.request.user, record=form.instance)
        )
        if not isinstance(result, CommunityYear):
            return result
        messages.success(self.request, _("Indicators saved."))
        return redirect(result.community)


class CommunityYearCreateView(RoleRequiredMixin, CommunityChildCreateMixin, CommunityYearFormMixin, CreateView):
    heading = _("New year of indicators")


class CommunityYearUpdateView(RoleRequiredMixin, CommunityChildUpdateMixin, CommunityYearFormMixin, UpdateView):
    heading = _("Edit indicators")
