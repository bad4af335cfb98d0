"""Internal pages of the disclosure boards (/disclosure/): drafting, the review chain, the
catalogue, timeliness, residents' questions and open meetings."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView

from disclosure import selectors, services
from disclosure.choices import LineKind, NoticeStatus
from disclosure.filters import FeedbackFilter, NoticeFilter
from disclosure.forms import (
    AnswerForm,
    AttachmentForm,
    CatalogItemForm,
    CommentForm,
    CorrectedTotalsForm,
    CorrectionForm,
    FinanceLineFormSet,
    MeetingForm,
    NoticeForm,
    ReasonForm,
)
from disclosure.models import Attachment, Board, CatalogItem, Feedback, OpenMeeting
from jiedao.keyset import keyset_page
from jiedao.permissions import (
    DISCLOSURE_ROLES,
    RoleRequiredMixin,
    ScopedObjectMixin,
    disclosure_flags,
    feedback_actions,
    get_visible_or_404,
    notice_actions,
    scope_key,
)
from jiedao.reporting.cache import cached_figures, fragment_context
from jiedao.viewkit import (
    ServiceActionView,
    ServiceFormMixin,
    add_service_errors,
    chosen_year,
    protected_file_response,
    year_choices,
)


def drafting_boards(user):
    return Board.objects.restrict(user).select_related("community").order_by("order", "slug")


def line_data(formset) -> list[services.LineData]:
    return [
        services.LineData(**{k: f.cleaned_data[k] for k in ("kind", "item", "amount", "note")})
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def line_initial(notice) -> list[dict]:
    return [
        {"kind": ln.kind, "item": ln.item, "amount": ln.amount, "note": ln.note} for ln in notice.finance_lines.all()
    ]


# -- notices ------------------------------------------------------------------------------------


# Up to this many boards the filter is a list to pick from; past it (a district of many communities,
# where the list alone would outweigh the page) a box for part of a board's name.
BOARD_CHOICES_LIMIT = 50


def board_options(filterset: NoticeFilter, chosen) -> str:
    """The board filter's <option>s joined here (Django's Select widget renders a template per
    option, issue 16), or "" when the user sees more than BOARD_CHOICES_LIMIT boards."""
    field = filterset.form.fields["board"]
    chosen_slug = getattr(chosen, "slug", "")
    boards = list(field.queryset.values_list("slug", "name")[: BOARD_CHOICES_LIMIT + 1])
    if len(boards) > BOARD_CHOICES_LIMIT:
        return ""
    rows = [("", field.empty_label), *boards]
    return mark_safe(
        "".join(
            f'<option value="{escape(slug)}"{" selected" if slug == chosen_slug else ""}>{escape(name)}</option>'
            for slug, name in rows
        )
    )


class NoticeListView(RoleRequiredMixin, TemplateView):
    """Newest change first, paged by keyset (jiedao/keyset.py): no COUNT(*) over every notice and
    no OFFSET, each page one range scan of an index on (updated_at, id), with status or board
    in front when filtered (disclosure migration 0006)."""

    roles = DISCLOSURE_ROLES
    template_name = "disclosure/notice_list.html"
    per_page = 30

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # The filters and the table are a fragment kept per figures version, scope and path
            # (the template's {% cache %}): on a hit neither the boards nor the notices are read.
            listing=SimpleLazyObject(self.listing),
            flags=disclosure_flags(self.request.user),
            **fragment_context(scope_key(self.request.user)),
            **kwargs,
        )

    def listing(self) -> SimpleNamespace:
        filterset = NoticeFilter(
            self.request.GET, queryset=selectors.notice_list(user=self.request.user), request=self.request
        )
        chosen = filterset.chosen
        boards = {
            k: v
            for k, v in (
                ("board", getattr(chosen.get("board"), "slug", None)),
                ("board_name", chosen.get("board_name")),
            )
            if v
        }
        query = {"status": chosen.get("status"), **boards} if chosen.get("status") else boards
        return SimpleNamespace(
            page=keyset_page(filterset.qs, self.request.GET, field_name="updated_at", per_page=self.per_page),
            filter_query=urlencode(query),
            board_query=urlencode(boards),
            statuses=NoticeStatus.choices,
            status=chosen.get("status", ""),
            board_name=chosen.get("board_name", ""),
            board_options=board_options(filterset, chosen.get("board")),
        )


class NoticeFormMixin(ServiceFormMixin, RoleRequiredMixin):
    roles = DISCLOSURE_ROLES
    form_class = NoticeForm
    template_name = "disclosure/notice_form.html"
    success_message = _("Draft saved.")

    def get_boards(self):
        return drafting_boards(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "boards": self.get_boards()}

    def get_context_data(self, **kwargs):
        finance_items = list(
            CatalogItem.objects.filter(requires_statement=True, active=True).values_list("pk", flat=True)
        )
        return super().get_context_data(finance_items=finance_items, **kwargs)

    def save(self, form):
        return services.notice_save(actor=self.request.user, notice=form.instance)


class NoticeCreateView(NoticeFormMixin, CreateView):
    def get_boards(self):
        boards = drafting_boards(self.request.user)
        slug = self.request.GET.get("board")
        if slug:
            boards = boards.filter(slug=slug)
            if not boards.exists():
                raise Http404
        return boards

    def get_initial(self):
        return {"board": self.get_boards().first()}


class NoticeUpdateView(NoticeFormMixin, UpdateView):
    def get_queryset(self):
        return selectors.notice_detail_queryset(user=self.request.user)

    def get(self, request, *args, **kwargs):
        notice = self.get_object()
        if not notice.is_editable:
            messages.error(request, _("Only drafts can be changed; a published notice is corrected instead."))
            return redirect(notice)
        return super().get(request, *args, **kwargs)


class NoticeDetailView(ScopedObjectMixin, DetailView):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/notice_detail.html"

    def get_queryset(self):
        return selectors.notice_detail_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        notice = self.object
        lines = list(notice.finance_lines.all())
        return super().get_context_data(
            income_lines=[ln for ln in lines if ln.kind == LineKind.INCOME],
            expense_lines=[ln for ln in lines if ln.kind == LineKind.EXPENSE],
            problems=services.finance_problems(notice, lines),
            actions=notice_actions(self.request.user, notice),
            attachment_form=AttachmentForm(),
            comment_form=CommentForm(),
            reason_form=ReasonForm(),
            **kwargs,
        )


class NoticeStepView(RoleRequiredMixin, ServiceActionView):
    """POST one step of the review chain; the service decides whether it is allowed now."""

    roles = DISCLOSURE_ROLES

    def get_queryset(self):
        return selectors.notice_detail_queryset(user=self.request.user)

    @property
    def comment(self) -> str:
        return self.request.POST.get("comment", "") or self.request.POST.get("reason", "")


class NoticeSubmitView(NoticeStepView):
    success_message = _("Submitted for secrecy review.")

    def act(self, notice):
        services.notice_submit(actor=self.request.user, notice=notice)


class NoticeClearView(NoticeStepView):
    success_message = _("Secrecy review passed; awaiting approval.")

    def act(self, notice):
        services.notice_clear(actor=self.request.user, notice=notice, comment=self.comment)


class NoticeApproveView(NoticeStepView):
    success_message = _("Approved; ready to publish.")

    def act(self, notice):
        services.notice_approve(actor=self.request.user, notice=notice, comment=self.comment)


class NoticePublishView(NoticeStepView):
    success_message = _("Published on the public board.")

    def act(self, notice):
        services.notice_publish(actor=self.request.user, notice=notice)


class NoticeReturnView(NoticeStepView):
    success_message = _("Returned to the author.")

    def act(self, notice):
        services.notice_return(actor=self.request.user, notice=notice, comment=self.comment)


class NoticeWithdrawView(NoticeStepView):
    success_message = _("Withdrawn from the public board.")

    def act(self, notice):
        services.notice_withdraw(actor=self.request.user, notice=notice, reason=self.comment)


class NoticeCorrectView(RoleRequiredMixin, View):
    template_name = "disclosure/notice_correct.html"

    def get_object(self):
        queryset = selectors.notice_detail_queryset(user=self.request.user).filter(status=NoticeStatus.PUBLISHED)
        return get_visible_or_404(self.request.user, queryset, pk=self.kwargs["pk"])

    def render_forms(self, notice, form, totals, lines):
        context = {"form": form, "totals": totals, "lines": lines, "object": notice}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        notice = self.get_object()
        form = CorrectionForm(initial={"title": notice.title, "body": notice.body})
        totals = lines = None
        if notice.is_finance:
            totals = CorrectedTotalsForm(initial={name: getattr(notice, name) for name in services.TOTALS})
            lines = FinanceLineFormSet(initial=line_initial(notice))
        return self.render_forms(notice, form, totals, lines)

    def post(self, request, pk):
        notice = self.get_object()
        form = CorrectionForm(request.POST)
        totals = CorrectedTotalsForm(request.POST) if notice.is_finance else None
        lines = FinanceLineFormSet(request.POST) if notice.is_finance else None
        valid = form.is_valid() and (totals is None or (totals.is_valid() & lines.is_valid()))
        if valid:
            finance = services.FinanceData(**totals.cleaned_data, lines=line_data(lines)) if notice.is_finance else None
            try:
                services.notice_correct(actor=request.user, notice=notice, finance=finance, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The correction is published as a new revision."))
                return redirect(notice)
        return self.render_forms(notice, form, totals, lines)


class NoticeFinanceView(RoleRequiredMixin, View):
    """The 收支明细 of a financial draft, checked against its declared totals."""

    roles = DISCLOSURE_ROLES
    template_name = "disclosure/notice_finance.html"

    def get_object(self):
        return get_visible_or_404(
            self.request.user, selectors.notice_detail_queryset(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get(self, request, pk):
        notice = self.get_object()
        formset = FinanceLineFormSet(initial=line_initial(notice))
        return render(request, self.template_name, {"formset": formset, "object": notice})

    def post(self, request, pk):
        notice = self.get_object()
        formset = FinanceLineFormSet(request.POST)
        if formset.is_valid():
            try:
                services.finance_lines_replace(actor=request.user, notice=notice, lines=line_data(formset))
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                problems = services.finance_problems(notice)
                for problem in problems:
                    messages.warning(request, problem)
                if not problems:
                    messages.success(request, _("The lines reconcile with the totals."))
                return redirect(notice)
        return render(request, self.template_name, {"formset": formset, "object": notice})


# -- attachments ----------------------------------------------------------------------------------


class AttachmentUploadView(NoticeStepView):
    success_message = _("File attached.")

    def act(self, notice):
        form = AttachmentForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise ValidationError(_("Choose a file to attach."))
        services.attachment_add(actor=self.request.user, notice=notice, uploaded=form.cleaned_data["file"])


class AttachmentDeleteView(RoleRequiredMixin, ServiceActionView):
    roles = DISCLOSURE_ROLES

    def get_queryset(self):
        return Attachment.objects.restrict(self.request.user).select_related("notice__board")

    def act(self, attachment):
        services.attachment_delete(actor=self.request.user, attachment=attachment)

    def get_success_url(self, attachment):
        return attachment.notice.get_absolute_url()

    get_error_url = get_success_url


def attachment_response(attachment: Attachment):
    """Always a download, with the type we recognised, never rendered by the browser."""
    return protected_file_response(attachment.file, filename=attachment.name, content_type=attachment.content_type)


class AttachmentDownloadView(RoleRequiredMixin, View):
    roles = DISCLOSURE_ROLES

    def get(self, request, pk):
        return attachment_response(get_visible_or_404(request.user, Attachment, pk=pk))


# -- catalogue ------------------------------------------------------------------------------------


class CatalogItemListView(RoleRequiredMixin, ListView):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/catalogitem_list.html"

    def get_queryset(self):
        return CatalogItem.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(flags=disclosure_flags(self.request.user), **kwargs)


class CatalogItemFormMixin(ServiceFormMixin, RoleRequiredMixin):
    model = CatalogItem
    form_class = CatalogItemForm
    template_name = "disclosure/catalogitem_form.html"
    success_message = _("Catalogue item saved.")

    def save(self, form):
        services.catalog_item_save(actor=self.request.user, item=form.instance)
        return reverse("disclosure:catalog_list")


class CatalogItemCreateView(CatalogItemFormMixin, CreateView):
    pass


class CatalogItemUpdateView(CatalogItemFormMixin, UpdateView):
    pass


# -- timeliness -----------------------------------------------------------------------------------


class TimelinessView(RoleRequiredMixin, TemplateView):
    """公开及时率 paged by board (selectors.timeliness_page): each page counts its own boards only;
    the footer is the whole sub-district's, kept per figures version, day and year (a sum over
    every notice of the year), so paging reads it once. `?board_name=` narrows the boards by name
    and `?board=<slug>` lists one board's late and missing disclosures, on any page. The page is
    a fragment kept per figures version, day and path: on a hit none of it is read."""

    template_name = "disclosure/timeliness.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            timeliness=SimpleLazyObject(lambda: self.timeliness(today)),
            **fragment_context(scope_key(self.request.user), today),
            **kwargs,
        )

    def timeliness(self, today) -> SimpleNamespace:
        """What the page shows, read only when its fragment is not kept."""
        # Opens on the latest year with published notices; the picker lists those years and this one.
        with_data = selectors.published_years(today.year)
        year = chosen_year(self.request, with_data, today.year)
        params = self.request.GET
        name = params.get("board_name", "").replace("\x00", "").strip()[:60]
        number = params.get("page", "")
        number = max(1, int(number)) if number.isascii() and number.isdigit() and len(number) < 7 else 1
        slug = params.get("board", "")
        # Django's slug pattern: a NUL in the address would make PostgreSQL refuse the query
        board = Board.objects.select_related("community").filter(slug=slug).first() if slug_re.match(slug) else None
        total = cached_figures("timeliness-total", lambda: selectors.timeliness_totals(years=[year])[year][0], year)
        page_obj, table = selectors.timeliness_page(year=year, name=name, page=number, total=total)
        return SimpleNamespace(
            year=year,
            years=year_choices(with_data, today.year),
            page_obj=page_obj,
            table=table,
            board_name=name,
            page_number=number,
            # What the paging links carry (the year and the name); the rows' drill-down links add
            # the page, and the year picker carries the name, the page and the board.
            filter_query=urlencode({"year": year, **({"board_name": name} if name else {})}),
            board=board,
            problems=selectors.timeliness_problems(board=board, year=year) if board else [],
        )


# -- residents' questions -------------------------------------------------------------------------


class FeedbackListView(RoleRequiredMixin, ListView):
    """Staff answer every board's questions; a secretary their own community's board's."""

    roles = DISCLOSURE_ROLES
    template_name = "disclosure/feedback_list.html"
    paginate_by = 30

    def get_queryset(self):
        queue = selectors.feedback_queue().restrict(self.request.user)
        self.filterset = FeedbackFilter(self.request.GET, queryset=queue)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tabs=self.filterset.tabs(), today=timezone.localdate(), **kwargs)
        for feedback in context["object_list"]:
            feedback.actions = feedback_actions(self.request.user, feedback)
        return context


class FeedbackModerateView(RoleRequiredMixin, ServiceActionView):
    roles = DISCLOSURE_ROLES

    def get_queryset(self):
        return Feedback.objects.restrict(self.request.user)

    def act(self, feedback):
        show = self.request.POST.get("show") == "1"
        services.feedback_moderate(actor=self.request.user, feedback=feedback, show=show)
        self.success_message = _("Shown on the notice.") if show else _("Rejected; it will not be shown.")

    def get_success_url(self, feedback):
        return reverse("disclosure:feedback_list")

    get_error_url = get_success_url


class FeedbackAnswerView(ServiceFormMixin, RoleRequiredMixin, FormView):
    roles = DISCLOSURE_ROLES
    form_class = AnswerForm
    template_name = "disclosure/feedback_answer.html"
    success_message = _("The answer is published under the notice.")

    @cached_property
    def object(self):
        """Read after the role check in dispatch; another community's question is 404."""
        queryset = Feedback.objects.select_related("notice__board")
        return get_visible_or_404(self.request.user, queryset, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"answer": self.object.answer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def save(self, form):
        services.feedback_answer(actor=self.request.user, feedback=self.object, answer=form.cleaned_data["answer"])
        return reverse("disclosure:feedback_list")


# -- open meetings --------------------------------------------------------------------------------


class MeetingListView(RoleRequiredMixin, ListView):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/openmeeting_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)


class MeetingDetailView(ScopedObjectMixin, DetailView):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/openmeeting_detail.html"

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)


class MeetingFormMixin(ServiceFormMixin, RoleRequiredMixin):
    roles = DISCLOSURE_ROLES
    model = OpenMeeting
    form_class = MeetingForm
    template_name = "disclosure/openmeeting_form.html"
    success_message = _("Meeting saved.")

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "boards": drafting_boards(self.request.user)}

    def save(self, form):
        return services.meeting_save(actor=self.request.user, meeting=form.instance)


class MeetingCreateView(MeetingFormMixin, CreateView):
    pass


class MeetingUpdateView(MeetingFormMixin, UpdateView):
    pass


class MeetingDraftNoticeView(RoleRequiredMixin, ServiceActionView):
    roles = DISCLOSURE_ROLES
    success_message = _("A draft notice was made from the meeting; send it for review.")

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)

    def act(self, meeting):
        return services.meeting_draft_notice(actor=self.request.user, meeting=meeting)
