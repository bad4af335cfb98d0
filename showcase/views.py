from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from jiedao.pagecache import public_page
from jiedao.permissions import (
    Role,
    RoleRequiredMixin,
    ScopedObjectMixin,
    get_visible_or_404,
    inspection_actions,
    programme_actions,
    rectification_actions,
    site_actions,
)
from jiedao.viewkit import ServiceActionView, ServiceFormMixin, protected_file_response, year_param

from . import public_lists, selectors, services
from .forms import (
    CheckForm,
    FundingForm,
    InspectionForm,
    ProgrammeForm,
    RectificationForm,
    RectificationReportForm,
    SiteAcceptForm,
    SiteForm,
    StandardForm,
)
from .models import Funding, Inspection, Photo, Programme, Rectification, Site, Standard, StandardCheck

READERS = (Role.STAFF, Role.INSPECTOR, Role.AUDITOR)
EVERY_ROLE = (Role.STAFF, Role.INSPECTOR, Role.AUDITOR, Role.SECRETARY)


class _LoadObject:
    def dispatch(self, request, *args, **kwargs):
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)


class LoadAfterRoleMixin(RoleRequiredMixin, _LoadObject):
    """Sign-in and role first (302 / 403, by RoleRequiredMixin), then `load(**kwargs)` fetches the
    object (404 when out of scope), so a forbidden role never learns whether an object exists."""


# -- programmes -------------------------------------------------------------------------------


class ProgrammeListView(RoleRequiredMixin, ListView):
    roles = READERS
    template_name = "showcase/programme_list.html"

    def get_queryset(self):
        return selectors.programme_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(actions=programme_actions(self.request.user), **kwargs)


class ProgrammeDetailView(RoleRequiredMixin, DetailView):
    roles = READERS
    template_name = "showcase/programme_detail.html"
    model = Programme

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            actions=programme_actions(self.request.user, self.object),
            **selectors.programme_detail(user=self.request.user, programme=self.object),
        )


class ProgrammeCreateView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    template_name = "showcase/programme_form.html"
    form_class = ProgrammeForm
    success_message = _("Programme saved.")

    def load(self):
        self.object = Programme()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def save(self, form):
        load_defaults = form.cleaned_data.get("load_defaults", False)
        return services.programme_save(actor=self.request.user, programme=form.instance, load_defaults=load_defaults)


class ProgrammeUpdateView(ProgrammeCreateView):
    def load(self, pk):
        self.object = get_object_or_404(Programme, pk=pk)


# -- standards --------------------------------------------------------------------------------


class ProgrammePartFormView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    """The form for a new `model` row of a programme (a standard, a site); the update views
    override `load` to fetch the row instead."""

    model = None

    def load(self, pk):
        self.programme = get_object_or_404(Programme, pk=pk)
        self.object = self.model(programme=self.programme)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)


class StandardCreateView(ProgrammePartFormView):
    model = Standard
    template_name = "showcase/standard_form.html"
    form_class = StandardForm
    success_message = _("Standard saved.")

    def save(self, form):
        return services.standard_save(actor=self.request.user, standard=form.instance).programme


class StandardUpdateView(StandardCreateView):
    def load(self, pk):
        self.object = get_object_or_404(Standard.objects.select_related("programme"), pk=pk)
        self.programme = self.object.programme


class StandardsLoadDefaultsView(RoleRequiredMixin, ServiceActionView):
    model = Programme

    def act(self, programme):
        added = services.standards_load_defaults(actor=self.request.user, programme=programme)
        messages.success(self.request, _("%(n)d default standards added.") % {"n": added})


# -- sites ------------------------------------------------------------------------------------


class MySitesView(RoleRequiredMixin, ListView):
    """A secretary's own community's sites, every year."""

    roles = (Role.SECRETARY,)
    template_name = "showcase/site_list.html"

    def get_queryset(self):
        return selectors.sites_of(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(open_items=selectors.open_items_of(user=self.request.user), **kwargs)


class SiteDetailView(ScopedObjectMixin, DetailView):
    roles = EVERY_ROLE
    template_name = "showcase/site_detail.html"

    def get_queryset(self):
        return selectors.site_detail_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            actions=site_actions(self.request.user, self.object), **selectors.site_detail(site=self.object), **kwargs
        )


class SiteCreateView(ProgrammePartFormView):
    model = Site
    template_name = "showcase/site_form.html"
    form_class = SiteForm
    success_message = _("Site saved.")

    def save(self, form):
        return services.site_save(actor=self.request.user, site=form.instance)


class SiteUpdateView(SiteCreateView):
    def load(self, pk):
        self.object = get_visible_or_404(self.request.user, Site.objects.select_related("programme"), pk=pk)
        self.programme = self.object.programme


class SiteStartView(RoleRequiredMixin, ServiceActionView):
    model = Site
    success_message = _("The site is now under construction.")

    def act(self, site):
        services.site_start(actor=self.request.user, site=site)


class SiteAcceptView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    template_name = "showcase/site_accept_form.html"
    form_class = SiteAcceptForm
    success_message = _("Acceptance recorded.")

    def load(self, pk):
        self.site = get_visible_or_404(self.request.user, Site.objects.select_related("community", "programme"), pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.site, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.site_accept(
            actor=self.request.user,
            site=self.site,
            passed=data["passed"],
            score=data["score"],
            accepted_on=data["accepted_on"],
            note=data["note"],
        )


# -- checks -----------------------------------------------------------------------------------


class CheckUpdateView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    roles = (Role.INSPECTOR,)
    template_name = "showcase/check_form.html"
    form_class = CheckForm
    success_message = _("Check recorded.")

    def load(self, pk):
        self.check = get_visible_or_404(
            self.request.user, StandardCheck.objects.select_related("site__community", "standard"), pk=pk
        )

    def get_initial(self):
        return {"met": self.check.met, "note": self.check.note}

    def get_context_data(self, **kwargs):
        return super().get_context_data(check=self.check, photos=self.check.photos.order_by("id"), **kwargs)

    def save(self, form):
        data = form.cleaned_data
        services.check_record(
            actor=self.request.user,
            check=self.check,
            met=data["met"],
            note=data["note"],
            photo=data["photo"] or None,
            caption=data["caption"],
        )
        return self.check.site


# -- funding ----------------------------------------------------------------------------------


class FundingCreateView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    template_name = "showcase/funding_form.html"
    form_class = FundingForm
    success_message = _("Funding line saved.")

    def load(self, pk):
        self.site = get_visible_or_404(self.request.user, Site.objects.select_related("community", "programme"), pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Funding(site=self.site)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.site, **kwargs)

    def save(self, form):
        return services.funding_save(actor=self.request.user, funding=form.instance).site


class FundingDeleteView(RoleRequiredMixin, ServiceActionView):
    success_message = _("Funding line deleted.")

    def get_queryset(self):
        return Funding.objects.select_related("site")

    def act(self, funding):
        services.funding_delete(actor=self.request.user, funding=funding)
        return funding.site

    def get_error_url(self, funding):
        return funding.site.get_absolute_url()


# -- inspections and rectifications -----------------------------------------------------------


class InspectionListView(RoleRequiredMixin, ListView):
    roles = READERS
    template_name = "showcase/inspection_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.programme = get_object_or_404(Programme, pk=self.kwargs["pk"])
        return selectors.inspection_queryset(user=self.request.user).filter(programme=self.programme)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programme=self.programme, actions=programme_actions(self.request.user, self.programme), **kwargs
        )


class InspectionDetailView(RoleRequiredMixin, DetailView):
    roles = READERS
    template_name = "showcase/inspection_detail.html"

    def get_queryset(self):
        return selectors.inspection_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        items = self.object.rectifications.select_related("site__community", "standard").order_by("id")
        return super().get_context_data(
            rectifications=items, actions=inspection_actions(self.request.user, self.object), **kwargs
        )


class InspectionCreateView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    roles = (Role.INSPECTOR,)
    template_name = "showcase/inspection_form.html"
    form_class = InspectionForm
    success_message = _("Inspection recorded.")

    def load(self, pk):
        self.programme = get_object_or_404(Programme, pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)

    def save(self, form):
        return services.inspection_record(
            actor=self.request.user, inspection=form.instance, sites=form.cleaned_data["sites"]
        )


class RectificationCreateView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    roles = (Role.INSPECTOR,)
    template_name = "showcase/rectification_form.html"
    form_class = RectificationForm
    success_message = _("Rectification item opened.")

    def load(self, pk):
        self.inspection = get_visible_or_404(self.request.user, Inspection.objects.select_related("programme"), pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def get_context_data(self, **kwargs):
        return super().get_context_data(inspection=self.inspection, **kwargs)

    def save(self, form):
        return services.rectification_open(
            actor=self.request.user, rectification=form.instance, photo=form.cleaned_data["photo"] or None
        )


class RectificationDetailView(ScopedObjectMixin, DetailView):
    roles = EVERY_ROLE
    template_name = "showcase/rectification_detail.html"

    def get_queryset(self):
        return selectors.rectification_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        item = self.object
        return super().get_context_data(
            overdue=item.is_overdue(timezone.localdate()),
            actions=rectification_actions(self.request.user, item),
            **kwargs,
        )


class RectificationReportView(LoadAfterRoleMixin, ServiceFormMixin, FormView):
    """The secretary of the site's community reports the fix with an after photo."""

    roles = (Role.SECRETARY,)
    template_name = "showcase/rectification_report_form.html"
    form_class = RectificationReportForm
    success_message = _("Fix reported; the inspector will verify it.")

    def load(self, pk):
        items = Rectification.objects.select_related("site__community")
        self.item = get_visible_or_404(self.request.user, items, pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.item, **kwargs)

    def save(self, form):
        return services.rectification_report(
            actor=self.request.user,
            rectification=self.item,
            note=form.cleaned_data["note"],
            photo=form.cleaned_data["photo"],
        )


class RectificationCloseView(RoleRequiredMixin, ServiceActionView):
    roles = (Role.INSPECTOR,)
    model = Rectification
    success_message = _("Rectification item closed.")

    def act(self, item):
        services.rectification_close(actor=self.request.user, rectification=item)


class RectificationReturnView(RectificationCloseView):
    success_message = _("Rectification item sent back to the community.")

    def act(self, item):
        services.rectification_return(actor=self.request.user, rectification=item)


class PhotoDownloadView(RoleRequiredMixin, View):
    roles = EVERY_ROLE

    def get(self, request, pk):
        return _photo_response(get_visible_or_404(request.user, Photo, pk=pk))


def _photo_response(photo):
    return protected_file_response(
        photo.file, filename=photo.file.name.rsplit("/", 1)[-1], content_type=photo.content_type
    )


# -- the public showcase ------------------------------------------------------------------------


@method_decorator(public_page, name="get")
class PublicShowcaseView(TemplateView):
    """For residents, no login: each site's theme, progress, photos and funding totals. No names of
    people, no phone or ID numbers: only the fields named in the template reach the page."""

    template_name = "public/showcase.html"

    def get_context_data(self, **kwargs):
        year = year_param(self.request, None)
        programme = selectors.public_programme(year)
        if year is not None and programme is None:
            raise Http404
        name = self.request.GET.get("q", "").strip()[:30]
        number = self.request.GET.get("page")
        page, sites = public_lists.site_page(programme=programme, name=name, page=number) if programme else (None, [])
        return super().get_context_data(
            programme=programme,
            page_obj=page,
            sites=sites,
            query=name,
            statuses=public_lists.status_summary(programme=programme) if programme else [],
            totals=selectors.funding_totals(programme=programme) if programme else None,
            years=list(Programme.objects.order_by("-year").values_list("year", flat=True)),
            **kwargs,
        )


class PublicPhotoView(View):
    def get(self, request, pk):
        return _photo_response(get_object_or_404(selectors.public_photo_queryset(), pk=pk))
