from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from communities.selectors.public import community_page, community_summary
from disclosure.selectors.public_lists import latest_public_notices
from jiedao import audit
from jiedao.filters import AuditLogFilter
from jiedao.forms import SubDistrictYearForm
from jiedao.models import SubDistrictYear
from jiedao.pagecache import public_page
from jiedao.permissions import Role, RoleRequiredMixin
from jiedao.selectors import audit_entries, notifications_for, subdistrict_years
from jiedao.services import notification_mark_read, notifications_mark_all_read, subdistrict_year_save
from jiedao.spreadsheets import spreadsheet_response


@method_decorator(public_page, name="get")
class HomeView(TemplateView):
    """The portal's front page, open to everyone: the communities summarised and in pages, and the
    latest notices; the same size whatever the number of communities."""

    template_name = "jiedao/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=community_summary(),
            page_obj=community_page(self.request.GET.get("page")),
            latest_notices=latest_public_notices(),
            gongkai_root=reverse("gongkai:board_index"),
            **kwargs,
        )


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "jiedao/notification_list.html"
    paginate_by = 30

    def get_queryset(self):
        return notifications_for(self.request.user)

    def post(self, request):
        notifications_mark_all_read(actor=request.user)
        messages.success(request, _("All notifications marked as read."))
        return redirect("notification_list")


class NotificationOpenView(LoginRequiredMixin, View):
    """Marks the notification read and follows its link."""

    def post(self, request, pk):
        notification = get_object_or_404(notifications_for(request.user), pk=pk)
        notification_mark_read(actor=request.user, notification=notification)
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse_lazy("notification_list")
        return redirect(target)


class SubDistrictYearListView(RoleRequiredMixin, ListView):
    template_name = "jiedao/subdistrictyear_list.html"

    def get_queryset(self):
        return subdistrict_years()


class SubDistrictYearFormMixin(RoleRequiredMixin):
    model = SubDistrictYear
    form_class = SubDistrictYearForm
    template_name = "jiedao/subdistrictyear_form.html"
    success_url = reverse_lazy("jiedao:subdistrict_year_list")

    def form_valid(self, form):
        subdistrict_year_save(actor=self.request.user, instance=form.instance)
        messages.success(self.request, _("Sub-district indicators saved."))
        return redirect(self.success_url)


class SubDistrictYearCreateView(SubDistrictYearFormMixin, CreateView):
    pass


class SubDistrictYearUpdateView(SubDistrictYearFormMixin, UpdateView):
    pass


AUDIT_ROLES = (Role.AUDITOR, Role.STAFF)
AUDIT_EXPORT_LIMIT = 50_000  # the newest entries matching the filter; narrow the filter for older ones


class AuditLogView(RoleRequiredMixin, ListView):
    """The change log, read-only, for auditors (and staff): in Chinese, masked, filterable, paged."""

    roles = AUDIT_ROLES
    template_name = "jiedao/audit_log.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = AuditLogFilter(self.request.GET, queryset=audit_entries(), request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter_form=self.filterset.form, **kwargs)
        lookups = {}
        context["rows"] = [audit.entry_display(entry, lookups) for entry in context["object_list"]]
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class AuditLogExportView(RoleRequiredMixin, View):
    """The filtered log as XLSX (or CSV with ?format=csv), masked as on the page."""

    roles = AUDIT_ROLES

    def get(self, request):
        entries = AuditLogFilter(request.GET, queryset=audit_entries(), request=request).qs[:AUDIT_EXPORT_LIMIT]
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        headers = [_("Time"), _("User"), _("Action"), _("Record type"), _("Record"), _("Changes"), _("Address")]
        lookups = {}

        def rows():
            for entry in entries.iterator(chunk_size=2000):
                shown = audit.entry_display(entry, lookups)
                yield [
                    shown["time"],
                    shown["actor"],
                    shown["action"],
                    shown["object_type"],
                    shown["object"],
                    audit.change_text(shown["changes"]),
                    shown["remote_addr"],
                ]

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return spreadsheet_response(headers, rows(), filename=f"审计日志-{stamp}", fmt=fmt, title=_("Audit log"))
