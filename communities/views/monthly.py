"""Monthly updates (月度工作报告): the staff overview and export, the secretary's months, the
form with its stale-edit conflict page, the detail page with the review, and the photos."""

from datetime import date
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView
from django.views.generic.base import TemplateView
from django.views.generic.edit import FormView

from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    ScopedObjectMixin,
    community_id_of,
    get_visible_or_404,
    has_role,
    monthly_update_actions,
    scope_key,
)
from jiedao.reporting.cache import fragment_context
from jiedao.spreadsheets import spreadsheet_response
from jiedao.viewkit import (
    ServiceActionView,
    ServiceFormMixin,
    add_service_errors,
    protected_file_response,
)

from .. import selectors
from ..choices import MonthlyCell
from ..filters import MonthlyOverviewFilter
from ..forms import MonthlyReviewForm, MonthlyUpdateCreateForm, MonthlyUpdateForm
from ..models import Community, MonthlyUpdate, MonthlyUpdatePhoto
from ..periods import deadline_day, deadline_of, local_today, parse_period, previous_month
from ..selectors.overview import monthly_overview_page, monthly_overview_year
from ..services import (
    MONTHLY_CONTENT_FIELDS,
    StaleEdit,
    monthly_update_accept,
    monthly_update_create,
    monthly_update_photo_delete,
    monthly_update_return,
    monthly_update_save,
    monthly_update_submit,
)


def _value_text(value) -> str:
    return "" if value is None else str(value)


class MonthlyOverviewMixin(RoleRequiredMixin):
    """Staff: the overview's year and filters, read from the query string by a FilterSet; a bad
    value falls back to its default."""

    roles = (Role.STAFF,)

    def filters(self, today: date | None = None):
        today = today or local_today()
        year, years = monthly_overview_year(self.request, today)
        data = self.request.GET.copy()
        data["year"] = str(year)
        communities = Community.objects.restrict(self.request.user)
        return MonthlyOverviewFilter(data, queryset=communities, years=years), year, today


class MonthlyUpdateOverviewView(MonthlyOverviewMixin, TemplateView):
    """Staff: the year grid of communities × months paged by community, the overdue updates
    summed up and grouped by community, and the compliance (communities/selectors/overview.py)."""

    template_name = "communities/monthlyupdate_overview.html"

    def get_context_data(self, **kwargs):
        today = local_today()
        return super().get_context_data(
            # Everything the page shows is in its kept fragment (the template's {% cache %}), so the
            # filters, the year and the grid are read only when the fragment is not kept.
            overview=SimpleLazyObject(lambda: self.overview(today)),
            legend=MonthlyCell.choices,
            deadline_day=deadline_day(),
            # the fragment is the same for everyone who reads the same communities (the scope),
            # the same query string and day
            **fragment_context(scope_key(self.request.user), today),
            **kwargs,
        )

    def overview(self, today: date) -> SimpleNamespace:
        """The page of the grid (communities/selectors/overview.py) with its year, filter form and
        query strings."""
        filterset, year, today = self.filters(today)
        page = monthly_overview_page(
            user=self.request.user,
            year=year,
            communities=filterset.qs,
            state=filterset.value("state", ""),
            page_number=self.request.GET.get("page"),
            today=today,
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        query["year"] = str(year)
        return SimpleNamespace(
            **vars(page),
            year=year,
            filter=filterset.form,
            months=[date(year, m, 1) for m in range(1, 13)],
            page_query=query.urlencode(),
            query=self.request.GET.urlencode(),
        )


class MonthlyUpdateExportView(MonthlyOverviewMixin, View):
    """The overview's year (with its filters) as an XLSX file."""

    def get(self, request, *args, **kwargs):
        overview, year, today = self.filters()
        headers, rows = selectors.monthly_export_rows(
            user=request.user, year=year, today=today, communities=overview.qs
        )
        return spreadsheet_response(headers, rows, filename=f"monthly-updates-{year}", fmt="xlsx", title=str(year))


class MonthlyUpdateMineView(RoleRequiredMixin, TemplateView):
    """A secretary's own community: this year's months, with a way to file each one."""

    roles = (Role.SECRETARY,)
    template_name = "communities/monthlyupdate_mine.html"

    def get_context_data(self, **kwargs):
        community_id = community_id_of(self.request.user)
        if community_id is None:
            raise Http404
        today = local_today()
        year, years = monthly_overview_year(self.request, today)
        rows = selectors.monthly_grid(user=self.request.user, year=year, today=today)
        community = get_object_or_404(Community, pk=community_id)
        return super().get_context_data(
            community=community,
            row=rows[0] if rows else None,
            year=year,
            years=years,
            deadline_day=deadline_day(),
            **kwargs,
        )


def _submit(request, update: MonthlyUpdate, version) -> str:
    """Hand the update in; the URL to go to next, with the message saying how it went."""
    try:
        monthly_update_submit(actor=request.user, update=update, version=version)
    except StaleEdit:
        messages.error(request, _("Someone changed this update since you opened it. Check it before submitting."))
        return update.get_absolute_url()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return reverse("communities:monthly_update_update", args=[update.pk])
    messages.success(request, _("Monthly update submitted."))
    return update.get_absolute_url()


class MonthlyFormMixin(ServiceFormMixin):
    """Save the draft; "Save and submit" then hands it in, which says itself how that went."""

    success_message = _("Draft saved.")

    def submit_after(self, update: MonthlyUpdate):
        if self.request.POST.get("action") != "submit":
            return update
        self.success_message = ""  # _submit leaves its own message
        return _submit(self.request, update, update.version)


class MonthlyUpdateCreateView(RoleRequiredMixin, MonthlyFormMixin, FormView):
    """The secretary starts (and may at once submit) their community's update for a month."""

    roles = (Role.SECRETARY,)
    form_class = MonthlyUpdateCreateForm
    template_name = "communities/monthlyupdate_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, Role.SECRETARY):
            community_id = community_id_of(request.user)
            if community_id is None:
                raise Http404
            self.community = get_object_or_404(Community, pk=community_id)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        period = parse_period(request.GET.get("period"))
        if period is not None:
            existing = MonthlyUpdate.objects.filter(community=self.community, period=period).first()
            if existing is not None:
                return redirect(existing)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": MonthlyUpdate(community=self.community)}

    def get_initial(self):
        """The month asked for, else last month (the one usually being filed)."""
        period = parse_period(self.request.GET.get("period")) or previous_month(local_today())
        return {"month": f"{period:%Y-%m}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, **kwargs)

    def save(self, form):
        try:
            update = monthly_update_create(
                actor=self.request.user,
                community=self.community,
                period=form.cleaned_data["month"],
                data=form.content(),
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            # the service names the model's field; the form calls it "month"
            if hasattr(error, "error_dict") and "period" in error.error_dict:
                error.error_dict["month"] = error.error_dict.pop("period")
            raise
        return self.submit_after(update)


class MonthlyUpdateUpdateView(ScopedObjectMixin, MonthlyFormMixin, FormView):
    """The secretary edits a draft or returned update. A stale form changes nothing: the page
    comes back with everything typed, and a table of where it differs from what is saved."""

    roles = (Role.SECRETARY,)
    form_class = MonthlyUpdateForm
    template_name = "communities/monthlyupdate_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, Role.SECRETARY):
            self.object = get_visible_or_404(request.user, selectors.monthly_update_queryset(), pk=kwargs["pk"])
            if not self.object.is_editable:
                messages.info(request, _("A submitted update is read-only."))
                return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            community=self.object.community,
            photos=selectors.monthly_update_photos(self.object),
            latest_return=selectors.monthly_latest_return(self.object) if self.object.is_returned else None,
            **kwargs,
        )

    def save(self, form):
        saved = monthly_update_save(
            actor=self.request.user,
            update=self.object,
            data=form.content(),
            version=form.cleaned_data["version"],
            photos=form.cleaned_data["photos"],
        )
        return self.submit_after(saved)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except StaleEdit as stale:
            return self.conflict(form, stale.current)

    def conflict(self, form, current: MonthlyUpdate):
        changes = []
        for name in MONTHLY_CONTENT_FIELDS:
            saved, yours = getattr(current, name), form.cleaned_data[name]
            if saved != yours:
                label = MonthlyUpdate._meta.get_field(name).verbose_name
                changes.append({"label": label, "saved": _value_text(saved), "yours": _value_text(yours)})
        data = self.request.POST.copy()
        data["version"] = current.version  # saving again now means "keep mine", knowingly
        fresh = MonthlyUpdateForm(data, instance=current)
        fresh.is_valid()
        self.object = current
        context = self.get_context_data(form=fresh, conflict={"current": current, "changes": changes})
        return self.render_to_response(context, status=409)


class MonthlyUpdateDetailView(ScopedObjectMixin, DetailView):
    """The update, its photos and its timeline; the secretary's and the reviewer's buttons."""

    template_name = "communities/monthlyupdate_detail.html"
    context_object_name = "update"

    def get_queryset(self):
        return selectors.monthly_update_queryset().restrict(self.request.user)

    def get_context_data(self, **kwargs):
        update = self.object
        actions = monthly_update_actions(self.request.user, update)
        kwargs.setdefault(
            "review_form", MonthlyReviewForm(initial={"version": update.version}) if actions.review else None
        )
        return super().get_context_data(
            events=selectors.monthly_update_events(update),
            photos=selectors.monthly_update_photos(update),
            latest_return=selectors.monthly_latest_return(update) if update.is_returned else None,
            actions=actions,
            deadline=deadline_of(update.period),
            **kwargs,
        )


class MonthlyUpdateSubmitView(RoleRequiredMixin, ServiceActionView):
    roles = (Role.SECRETARY,)

    def get_queryset(self):
        return selectors.monthly_update_queryset()

    def act(self, update):
        # _submit says how it went and where to look next (the edit page when something is missing)
        return _submit(self.request, update, self.request.POST.get("version"))


class MonthlyUpdateReviewView(MonthlyUpdateDetailView):
    """Staff accept or return a submitted update (POST only). A return needs a comment; a
    missing one brings the page back with what was typed."""

    roles = (Role.STAFF,)
    http_method_names = ["post"]
    service = None  # the service of the decision
    success_message = ""

    def post(self, request, pk):
        self.object = self.get_object()
        form = MonthlyReviewForm(request.POST)
        if form.is_valid():
            try:
                self.service(
                    actor=request.user,
                    update=self.object,
                    version=form.cleaned_data["version"],
                    comment=form.cleaned_data["comment"],
                )
            except StaleEdit:
                messages.error(request, _("The update changed while you were reading it. Review it again."))
                return redirect(self.object)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(review_form=form))


class MonthlyUpdateAcceptView(MonthlyUpdateReviewView):
    service = staticmethod(monthly_update_accept)
    success_message = _("Monthly update accepted.")


class MonthlyUpdateReturnView(MonthlyUpdateReviewView):
    service = staticmethod(monthly_update_return)
    success_message = _("Monthly update returned to the secretary.")


def _photo_of(user, pk, photo_pk) -> MonthlyUpdatePhoto:
    return get_visible_or_404(user, MonthlyUpdatePhoto.objects.select_related("update"), pk=photo_pk, update_id=pk)


class MonthlyUpdatePhotoView(ScopedObjectMixin, View):
    """A photo, to whoever may read its update; always as a download of the stored bytes."""

    def get(self, request, pk, photo_pk):
        photo = _photo_of(request.user, pk, photo_pk)
        return protected_file_response(photo.file, filename=photo.original_name, content_type=photo.content_type)


class MonthlyUpdatePhotoDeleteView(RoleRequiredMixin, ServiceActionView):
    roles = (Role.SECRETARY,)
    success_message = _("Photo removed.")

    def get_object(self):
        return _photo_of(self.request.user, self.kwargs["pk"], self.kwargs["photo_pk"])

    def get_error_url(self, photo):
        return photo.update.get_absolute_url()

    def act(self, photo):
        monthly_update_photo_delete(actor=self.request.user, photo=photo)
        return reverse("communities:monthly_update_update", args=[photo.update_id])
