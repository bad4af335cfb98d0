from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from jiedao.permissions import Role, RoleRequiredMixin, ScopedObjectMixin, can_reveal_identity, community_id_of

from . import selectors
from .filters import CommunityFilter
from .forms import CommunityForm
from .models import Community
from .services import community_save


class CommunityListView(RoleRequiredMixin, ListView):
    roles = (Role.STAFF, Role.INSPECTOR, Role.AUDITOR)
    template_name = "communities/community_list.html"

    def get_queryset(self):
        self.filter = CommunityFilter(self.request.GET, queryset=selectors.community_list(user=self.request.user))
        return self.filter.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filter, **kwargs)


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
        return super().get_context_data(history=selectors.indicator_history(self.object), **kwargs)


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
            community=self.community, reveal=can_reveal_identity(self.request.user), **kwargs
        )
