"""Monthly updates (月度工作报告): the staff overview and export, the secretary's months, the
form with its stale-edit conflict page, the detail page with the review, and the photos."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http.response import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView
from django.views.generic.base import TemplateView
from django.views.generic.detail import SingleObjectMixin
from django.views.generic.edit import FormView

from communities.forms import (
    MonthlyReviewForm,
    MonthlyUpdateCreateForm,
    MonthlyUpdateForm,
)
from communities.models import MonthlyUpdate, MonthlyUpdatePhoto
from communities.services import (
    MONTHLY_CONTENT_FIELDS,
    StaleEdit,
    monthly_update_accept,
    monthly_update_create,
    monthly_update_photo_delete,
    monthly_update_return,
    monthly_update_save,
    monthly_update_submit,
)
from jiedao import permissions
from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    ScopedObjectMixin,
    community_id_of,
    visible_to,
)

from .. import selectors
from ..choices import MonthlyCell
from ..filters import MonthlyOverviewFilter
from ..models import Community
from ..periods import deadline_day, deadline_of, local_today, parse_period, previous_month

# -- monthly updates (月度工作报告) -------------------------------------------------------------


def _form_errors_from(form, error: ValidationError, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form's fields (or on the form)."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            target = rename.get(name, name)
            form.add_error(target if target in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _value_text(value) -> str:
    return "" if value is None else str(value)


class MonthlyOverviewMixin(RoleRequiredMixin):
    """Staff: the overview's year and filters, read from the query string by a FilterSet; a bad
    value falls back to its default."""

    roles = (Role.STAFF,)

    def filters(self):
        today = local_today()
        years = selectors.monthly_year_choices(today)
        requested = self.request.GET.get("year", "")
        if requested.isdigit() and 1949 <= int(requested) <= today.year and int(requested) not in years:
            years = sorted({*years, int(requested)}, reverse=True)
        data = self.request.GET.copy()
        data.setdefault("year", str(today.year))
        communities = visible_to(self.request.user, Community.objects.all())
        overview = MonthlyOverviewFilter(data, queryset=communities, years=years)
        year = overview.value("year", today.year)
        return overview, year, today


class MonthlyUpdateOverviewView(MonthlyOverviewMixin, TemplateView):
    """Staff: the year grid of communities × months, the overdue list and the compliance."""

    template_name = "communities/monthlyupdate_overview.html"

    def get_context_data(self, **kwargs):
        overview, year, today = self.filters()
        rows = selectors.monthly_grid(
            user=self.request.user, year=year, today=today, communities=overview.qs, state=overview.value("state", "")
        )
        return super().get_context_data(
            filter=overview.form,
            year=year,
            rows=rows,
            overdue=selectors.monthly_overdue(rows),
            months=[date(year, m, 1) for m in range(1, 13)],
            legend=MonthlyCell.choices,
            deadline_day=deadline_day(),
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class MonthlyUpdateExportView(MonthlyOverviewMixin, View):
    """The overview's year (with its filters) as an XLSX file."""

    def get(self, request, *args, **kwargs):
        overview, year, today = self.filters()
        data = selectors.monthly_export_dataset(user=request.user, year=year, today=today, communities=overview.qs)
        response = HttpResponse(
            data.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="monthly-updates-{year}.xlsx"'
        return response


class MonthlyUpdateMineView(RoleRequiredMixin, TemplateView):
    """A secretary's own community: this year's months, with a way to file each one."""

    roles = (Role.SECRETARY,)
    template_name = "communities/monthlyupdate_mine.html"

    def get_context_data(self, **kwargs):
        community_id = community_id_of(self.request.user)
        if community_id is None:
            raise Http404
        today = local_today()
        year = int(self.request.GET["year"]) if self.request.GET.get("year", "").isdigit() else today.year
        rows = selectors.monthly_grid(user=self.request.user, year=year, today=today)
        community = get_object_or_404(Community, pk=community_id)
        return super().get_context_data(
            community=community,
            row=rows[0] if rows else None,
            year=year,
            years=selectors.monthly_year_choices(today),
            deadline_day=deadline_day(),
            **kwargs,
        )


class MonthlyUpdateCreateView(RoleRequiredMixin, FormView):
    """The secretary starts (and may at once submit) their community's update for a month."""

    roles = (Role.SECRETARY,)
    form_class = MonthlyUpdateCreateForm
    template_name = "communities/monthlyupdate_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and permissions.has_role(request.user, Role.SECRETARY):
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

    def get_initial(self):
        """The month asked for, else last month (the one usually being filed)."""
        period = parse_period(self.request.GET.get("period")) or previous_month(local_today())
        return {"month": f"{period:%Y-%m}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(community=self.community, **kwargs)

    def form_valid(self, form):
        try:
            update = monthly_update_create(
                actor=self.request.user,
                community=self.community,
                period=form.cleaned_data["month"],
                data=form.content(),
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            _form_errors_from(form, error, {"period": "month"})
            return self.form_invalid(form)
        if self.request.POST.get("action") == "submit":
            return _submit_and_redirect(self.request, update, update.version)
        messages.success(self.request, _("Draft saved."))
        return redirect(update)


def _submit_and_redirect(request, update: MonthlyUpdate, version):
    try:
        monthly_update_submit(actor=request.user, update=update, version=version)
    except StaleEdit:
        messages.error(request, _("Someone changed this update since you opened it. Check it before submitting."))
        return redirect(update)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("communities:monthly_update_update", pk=update.pk)
    messages.success(request, _("Monthly update submitted."))
    return redirect(update)


class MonthlyUpdateUpdateView(ScopedObjectMixin, FormView):
    """The secretary edits a draft or returned update. A stale form changes nothing: the page
    comes back with everything typed, and a table of where it differs from what is saved."""

    roles = (Role.SECRETARY,)
    form_class = MonthlyUpdateForm
    template_name = "communities/monthlyupdate_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and permissions.has_role(request.user, Role.SECRETARY):
            self.object = get_object_or_404(selectors.monthly_update_queryset(user=request.user), pk=kwargs["pk"])
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

    def form_valid(self, form):
        try:
            saved = monthly_update_save(
                actor=self.request.user,
                update=self.object,
                data=form.content(),
                version=form.cleaned_data["version"],
                photos=form.cleaned_data["photos"],
            )
        except StaleEdit as stale:
            return self.conflict(form, stale.current)
        except ValidationError as error:
            _form_errors_from(form, error)
            return self.form_invalid(form)
        if self.request.POST.get("action") == "submit":
            return _submit_and_redirect(self.request, saved, saved.version)
        messages.success(self.request, _("Draft saved."))
        return redirect(saved)

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
        return selectors.monthly_update_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        update = self.object
        actions = permissions.monthly_update_actions(self.request.user, update)
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


class MonthlyUpdateSubmitView(ScopedObjectMixin, SingleObjectMixin, View):
    roles = (Role.SECRETARY,)

    def get_queryset(self):
        return selectors.monthly_update_queryset(user=self.request.user)

    def post(self, request, pk):
        return _submit_and_redirect(request, self.get_object(), request.POST.get("version"))


class MonthlyUpdateReviewView(MonthlyUpdateDetailView):
    """Staff accept or return a submitted update (POST only). A return needs a comment; a
    missing one brings the page back with what was typed."""

    roles = (Role.STAFF,)
    http_method_names = ["post"]
    decision = ""

    def post(self, request, pk):
        self.object = self.get_object()
        form = MonthlyReviewForm(request.POST)
        if form.is_valid():
            service = monthly_update_accept if self.decision == "accept" else monthly_update_return
            try:
                service(
                    actor=request.user,
                    update=self.object,
                    version=form.cleaned_data["version"],
                    comment=form.cleaned_data["comment"],
                )
            except StaleEdit:
                messages.error(request, _("The update changed while you were reading it. Review it again."))
                return redirect(self.object)
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                if self.decision == "accept":
                    messages.success(request, _("Monthly update accepted."))
                else:
                    messages.success(request, _("Monthly update returned to the secretary."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(review_form=form, review_decision=self.decision))


class MonthlyUpdateAcceptView(MonthlyUpdateReviewView):
    decision = "accept"


class MonthlyUpdateReturnView(MonthlyUpdateReviewView):
    decision = "return"


class MonthlyUpdatePhotoView(ScopedObjectMixin, View):
    """A photo, to whoever may read its update; always as a download of the stored bytes."""

    def get(self, request, pk, photo_pk):
        photo = get_object_or_404(
            permissions.visible_to(request.user, MonthlyUpdatePhoto.objects.all()), pk=photo_pk, update_id=pk
        )
        return FileResponse(
            photo.file.open("rb"), as_attachment=True, filename=photo.original_name, content_type=photo.content_type
        )


class MonthlyUpdatePhotoDeleteView(ScopedObjectMixin, View):
    roles = (Role.SECRETARY,)

    def post(self, request, pk, photo_pk):
        photos = permissions.visible_to(request.user, MonthlyUpdatePhoto.objects.select_related("update"))
        photo = get_object_or_404(photos, pk=photo_pk, update_id=pk)
        try:
            monthly_update_photo_delete(actor=request.user, photo=photo)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(photo.update)
        messages.success(request, _("Photo removed."))
        return redirect("communities:monthly_update_update", pk=pk)
