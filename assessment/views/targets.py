"""The target sheets (目标管理考核): staff set up, score, publish and finalise a year's sheet and
decide appeals; a secretary reads their own community's scores and the records behind them and
appeals within the window. Another community's scores are 404 to a secretary."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView

from communities.models import Community
from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    community_id_of,
    get_visible_or_404,
    is_staff_member,
    target_score_actions,
    target_sheet_actions,
)
from jiedao.viewkit import ServiceActionView, ServiceFormMixin, protected_file_response

from .. import services
from ..choices import AppealStatus, SheetStatus
from ..models import TargetAppeal, TargetItem, TargetScore, TargetSheet
from ..selectors import targets as selectors
from ..target_forms import AppealDecisionForm, AppealForm, ManualScoreForm, TargetItemForm, TargetSheetForm

READERS = (Role.STAFF, Role.SECRETARY)


class TargetSheetListView(RoleRequiredMixin, ListView):
    """Staff: every sheet. A secretary: the published ones, each leading to their own scores."""

    roles = READERS
    template_name = "assessment/targets/sheet_list.html"

    def get_queryset(self):
        return selectors.sheet_list(user=self.request.user, staff=is_staff_member(self.request.user))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            staff=is_staff_member(self.request.user), own_community_id=community_id_of(self.request.user), **kwargs
        )


class TargetSheetFormMixin(ServiceFormMixin, RoleRequiredMixin):
    model = TargetSheet
    form_class = TargetSheetForm
    template_name = "assessment/targets/form.html"
    success_message = gettext_lazy("Target sheet saved.")

    def save(self, form):
        return services.target_sheet_save(actor=self.request.user, sheet=form.instance)


class TargetSheetCreateView(TargetSheetFormMixin, CreateView):
    pass


class TargetSheetUpdateView(TargetSheetFormMixin, UpdateView):
    def get_queryset(self):
        return TargetSheet.objects.filter(status=SheetStatus.DRAFT)


class TargetSheetDetailView(RoleRequiredMixin, DetailView):
    """The sheet: its items and the 三个文明建设考核 ranking of the communities; appeals to decide."""

    model = TargetSheet
    template_name = "assessment/targets/sheet_detail.html"

    def get_context_data(self, **kwargs):
        sheet = self.object
        return super().get_context_data(
            actions=target_sheet_actions(self.request.user, sheet),
            items=selectors.sheet_items(sheet),
            results=selectors.sheet_results(sheet),
            appeals=selectors.pending_appeals(sheet),
            **kwargs,
        )


class TargetItemFormMixin(ServiceFormMixin, RoleRequiredMixin):
    model = TargetItem
    form_class = TargetItemForm
    template_name = "assessment/targets/form.html"
    success_message = gettext_lazy("Target item saved.")

    def save(self, form):
        services.target_item_save(actor=self.request.user, item=form.instance)
        return form.instance.sheet


class TargetItemCreateView(TargetItemFormMixin, CreateView):
    @cached_property
    def sheet(self):
        return get_object_or_404(TargetSheet, pk=self.kwargs["pk"], status=SheetStatus.DRAFT)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = TargetItem(sheet=self.sheet)
        return kwargs


class TargetItemUpdateView(TargetItemFormMixin, UpdateView):
    def get_queryset(self):
        return TargetItem.objects.filter(sheet__status=SheetStatus.DRAFT).select_related("sheet")


class TargetItemDeleteView(RoleRequiredMixin, ServiceActionView):
    success_message = gettext_lazy("Target item deleted.")

    def get_queryset(self):
        return TargetItem.objects.filter(sheet__status=SheetStatus.DRAFT).select_related("sheet")

    def act(self, item):
        services.target_item_delete(actor=self.request.user, item=item)
        return item.sheet.get_absolute_url()

    def get_error_url(self, item):
        return item.sheet.get_absolute_url()


class TargetSheetActionView(RoleRequiredMixin, ServiceActionView):
    model = TargetSheet
    service = None

    def act(self, sheet):
        self.service(actor=self.request.user, sheet=sheet)


class TargetSheetScoreView(TargetSheetActionView):
    service = staticmethod(services.target_sheet_score)
    success_message = gettext_lazy("Every item scored again from the records.")


class TargetSheetPublishView(TargetSheetActionView):
    service = staticmethod(services.target_sheet_publish)
    success_message = gettext_lazy("The sheet is published: secretaries see their scores and may appeal.")


class TargetSheetFinaliseView(TargetSheetActionView):
    service = staticmethod(services.target_sheet_finalise)
    success_message = gettext_lazy("The sheet is final: the appraisal's target scores follow from it.")


class TargetCommunityView(RoleRequiredMixin, TemplateView):
    """One community's scores on the sheet: staff always; its secretary once the sheet is published."""

    roles = READERS
    template_name = "assessment/targets/community.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        sheet = get_object_or_404(TargetSheet, pk=self.kwargs["pk"])
        community = get_visible_or_404(user, Community, pk=self.kwargs["community_pk"])
        if sheet.is_draft and not is_staff_member(user):
            raise Http404
        return super().get_context_data(
            sheet=sheet,
            community=community,
            scores=selectors.community_scores(user=user, sheet=sheet, community=community),
            result=selectors.result_of(sheet, community),
            actions=target_sheet_actions(user, sheet),
            today=timezone.localdate(),
            **kwargs,
        )


class TargetScoreDetailView(RoleRequiredMixin, DetailView):
    """The drill-down: the records behind one score, and its appeals with their decisions."""

    roles = READERS
    template_name = "assessment/targets/score_detail.html"

    def get_queryset(self):
        return selectors.score_detail_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        score = self.object
        appeals = selectors.score_appeals(score)
        pending = next((a for a in appeals if a.is_pending), None)
        return super().get_context_data(
            sheet=score.item.sheet,
            appeals=appeals,
            pending=pending,
            actions=target_score_actions(self.request.user, score, today=timezone.localdate(), pending=pending),
            **kwargs,
        )


class TargetScoreEvidenceView(RoleRequiredMixin, View):
    roles = READERS

    def get(self, request, pk):
        score = get_visible_or_404(request.user, selectors.score_detail_queryset(user=request.user), pk=pk)
        return protected_file_response(
            score.evidence_file,
            filename=score.evidence_file_name or "evidence",
            content_type=score.evidence_file_type or None,
        )


class TargetManualScoreView(ServiceFormMixin, RoleRequiredMixin, FormView):
    form_class = ManualScoreForm
    template_name = "assessment/targets/form.html"
    success_message = gettext_lazy("Score saved with its evidence.")

    @cached_property
    def score(self):
        return get_object_or_404(
            TargetScore.objects.select_related("item__sheet", "community"),
            pk=self.kwargs["pk"],
            item__sheet__status=SheetStatus.DRAFT,
        )

    def get_initial(self):
        return {"points": self.score.points, "note": self.score.note, "link": self.score.evidence_link}

    def get_context_data(self, **kwargs):
        return super().get_context_data(score=self.score, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.target_manual_score(
            actor=self.request.user,
            score=self.score,
            points=data["points"],
            note=data["note"],
            upload=data.get("upload"),
            link=data.get("link") or "",
        )


class TargetAppealCreateView(ServiceFormMixin, RoleRequiredMixin, FormView):
    """The community's secretary appeals a score; the service checks the window."""

    roles = (Role.SECRETARY,)
    form_class = AppealForm
    template_name = "assessment/targets/form.html"
    success_message = gettext_lazy("Appeal filed: staff will decide on it.")

    @cached_property
    def score(self):
        user = self.request.user
        return get_visible_or_404(user, selectors.score_detail_queryset(user=user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.score  # noqa: B018 - another community's score is 404 before any form is shown
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.score  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(score=self.score, **kwargs)

    def save(self, form):
        services.target_appeal_file(actor=self.request.user, score=self.score, reason=form.cleaned_data["reason"])
        return self.score


class TargetAppealDecideView(ServiceFormMixin, RoleRequiredMixin, FormView):
    form_class = AppealDecisionForm
    template_name = "assessment/targets/form.html"
    success_message = gettext_lazy("Decision recorded.")

    @cached_property
    def appeal(self):
        return get_object_or_404(
            TargetAppeal.objects.select_related("score__item__sheet", "score__community", "filed_by"),
            pk=self.kwargs["pk"],
            status=AppealStatus.PENDING,
        )

    def get(self, request, *args, **kwargs):
        self.appeal  # noqa: B018 - a decided appeal has no form
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(score=self.appeal.score, appeal=self.appeal, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        services.target_appeal_decide(
            actor=self.request.user,
            appeal=self.appeal,
            adjust=data["adjust"],
            points=data.get("points"),
            reason=data["decision_reason"],
        )
        return reverse("assessment:target_score_detail", args=[self.appeal.score_id])
