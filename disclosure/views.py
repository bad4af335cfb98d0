"""Internal pages of the disclosure boards (/disclosure/): drafting, the review chain, the
catalogue, timeliness, residents' questions and open meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from jiedao.permissions import (
    DISCLOSURE_ROLES,
    RoleRequiredMixin,
    ScopedObjectMixin,
    disclosure_flags,
    feedback_actions,
    notice_actions,
    visible_to,
)

from . import selectors, services
from .choices import LineKind, NoticeStatus
from .filters import FeedbackFilter, NoticeFilter
from .forms import (
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
from .models import Attachment, Board, CatalogItem, Feedback, OpenMeeting


def error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def drafting_boards(user):
    return visible_to(user, Board.objects.select_related("community")).order_by("order", "slug")


# -- notices ------------------------------------------------------------------------------------


class NoticeListView(RoleRequiredMixin, ListView):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/notice_list.html"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = NoticeFilter(
            self.request.GET, queryset=selectors.notice_list(user=self.request.user), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        chosen = self.filterset.chosen
        return super().get_context_data(
            statuses=NoticeStatus.choices,
            status=chosen.get("status", ""),
            board=chosen.get("board"),
            filter_form=self.filterset.form,
            flags=disclosure_flags(self.request.user),
            **kwargs,
        )


class NoticeFormMixin(RoleRequiredMixin):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/notice_form.html"

    def render_form(self, form, notice=None):
        finance_items = list(
            CatalogItem.objects.filter(requires_statement=True, active=True).values_list("pk", flat=True)
        )
        context = {"form": form, "object": notice, "finance_items": finance_items}
        return render(self.request, self.template_name, context)

    def save(self, form, notice):
        try:
            notice = services.notice_save(actor=self.request.user, notice=form.instance)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                self._add(form, exc)
            else:
                form.add_error(None, exc.messages)
            return self.render_form(form, notice)
        messages.success(self.request, _("Draft saved."))
        return redirect(notice)

    @staticmethod
    def _add(form, exc):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)


class NoticeCreateView(NoticeFormMixin, View):
    def boards(self):
        boards = drafting_boards(self.request.user)
        slug = self.request.GET.get("board")
        if slug:
            boards = boards.filter(slug=slug)
            if not boards.exists():
                raise Http404
        return boards

    def get(self, request):
        boards = self.boards()
        return self.render_form(NoticeForm(boards=boards, initial={"board": boards.first()}))

    def post(self, request):
        form = NoticeForm(request.POST, boards=self.boards())
        if not form.is_valid():
            return self.render_form(form)
        return self.save(form, None)


class NoticeUpdateView(NoticeFormMixin, View):
    def get_object(self):
        return get_object_or_404(selectors.notice_detail_queryset(user=self.request.user), pk=self.kwargs["pk"])

    def get(self, request, pk):
        notice = self.get_object()
        if not notice.is_editable:
            messages.error(request, _("Only drafts can be changed; a published notice is corrected instead."))
            return redirect(notice)
        return self.render_form(NoticeForm(instance=notice, boards=drafting_boards(request.user)), notice)

    def post(self, request, pk):
        notice = self.get_object()
        form = NoticeForm(request.POST, instance=notice, boards=drafting_boards(request.user))
        if not form.is_valid():
            return self.render_form(form, notice)
        return self.save(form, notice)


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


class NoticeActionView(RoleRequiredMixin, View):
    """POST one step of the review chain; the service decides whether it is allowed now."""

    roles = DISCLOSURE_ROLES
    action = ""
    done = {
        "submit": _("Submitted for secrecy review."),
        "clear": _("Secrecy review passed; awaiting approval."),
        "approve": _("Approved; ready to publish."),
        "publish": _("Published on the public board."),
        "return": _("Returned to the author."),
        "withdraw": _("Withdrawn from the public board."),
    }

    def post(self, request, pk):
        notice = get_object_or_404(selectors.notice_detail_queryset(user=request.user), pk=pk)
        comment = request.POST.get("comment", "") or request.POST.get("reason", "")
        service = getattr(services, f"notice_{self.action}")
        kwargs = {"actor": request.user, "notice": notice}
        if self.action in ("clear", "approve", "return"):
            kwargs["comment"] = comment
        if self.action == "withdraw":
            kwargs["reason"] = comment
        try:
            service(**kwargs)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, self.done[self.action])
        return redirect(notice)


class NoticeCorrectView(RoleRequiredMixin, View):
    template_name = "disclosure/notice_correct.html"

    def get_object(self):
        return get_object_or_404(
            selectors.notice_detail_queryset(user=self.request.user).filter(status=NoticeStatus.PUBLISHED),
            pk=self.kwargs["pk"],
        )

    def render_forms(self, notice, form, totals, lines):
        context = {"form": form, "totals": totals, "lines": lines, "object": notice}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        notice = self.get_object()
        form = CorrectionForm(initial={"title": notice.title, "body": notice.body})
        totals = lines = None
        if notice.is_finance:
            totals = CorrectedTotalsForm(initial={name: getattr(notice, name) for name in services.TOTALS})
            lines = FinanceLineFormSet(
                initial=[
                    {"kind": ln.kind, "item": ln.item, "amount": ln.amount, "note": ln.note}
                    for ln in notice.finance_lines.all()
                ]
            )
        return self.render_forms(notice, form, totals, lines)

    def post(self, request, pk):
        notice = self.get_object()
        form = CorrectionForm(request.POST)
        totals = CorrectedTotalsForm(request.POST) if notice.is_finance else None
        lines = FinanceLineFormSet(request.POST) if notice.is_finance else None
        valid = form.is_valid() and (totals is None or (totals.is_valid() & lines.is_valid()))
        if valid:
            finance = None
            if notice.is_finance:
                finance = services.FinanceData(
                    **totals.cleaned_data,
                    lines=[
                        services.LineData(**{k: f.cleaned_data[k] for k in ("kind", "item", "amount", "note")})
                        for f in lines.forms
                        if f.cleaned_data and not f.cleaned_data.get("DELETE")
                    ],
                )
            try:
                services.notice_correct(actor=request.user, notice=notice, finance=finance, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The correction is published as a new revision."))
                return redirect(notice)
        return self.render_forms(notice, form, totals, lines)


class NoticeFinanceView(RoleRequiredMixin, View):
    """The 收支明细 of a financial draft, checked against its declared totals."""

    roles = DISCLOSURE_ROLES
    template_name = "disclosure/notice_finance.html"

    def get_object(self):
        return get_object_or_404(selectors.notice_detail_queryset(user=self.request.user), pk=self.kwargs["pk"])

    def get(self, request, pk):
        notice = self.get_object()
        initial = [
            {"kind": ln.kind, "item": ln.item, "amount": ln.amount, "note": ln.note}
            for ln in notice.finance_lines.all()
        ]
        return render(request, self.template_name, {"formset": FinanceLineFormSet(initial=initial), "object": notice})

    def post(self, request, pk):
        notice = self.get_object()
        formset = FinanceLineFormSet(request.POST)
        if formset.is_valid():
            lines = [
                services.LineData(**{k: f.cleaned_data[k] for k in ("kind", "item", "amount", "note")})
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                services.finance_lines_replace(actor=request.user, notice=notice, lines=lines)
            except ValidationError as exc:
                for message in error_messages(exc):
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


class AttachmentUploadView(RoleRequiredMixin, View):
    roles = DISCLOSURE_ROLES

    def post(self, request, pk):
        notice = get_object_or_404(selectors.notice_detail_queryset(user=request.user), pk=pk)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file to attach."))
            return redirect(notice)
        try:
            services.attachment_add(actor=request.user, notice=notice, uploaded=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("File attached."))
        return redirect(notice)


class AttachmentDeleteView(RoleRequiredMixin, View):
    roles = DISCLOSURE_ROLES

    def post(self, request, pk):
        attachment = get_object_or_404(
            visible_to(request.user, Attachment.objects.select_related("notice__board")), pk=pk
        )
        try:
            services.attachment_delete(actor=request.user, attachment=attachment)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        return redirect(attachment.notice)


def attachment_response(attachment: Attachment) -> FileResponse:
    """Always a download, with the type we recognised, never rendered by the browser."""
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class AttachmentDownloadView(RoleRequiredMixin, View):
    roles = DISCLOSURE_ROLES

    def get(self, request, pk):
        attachment = get_object_or_404(visible_to(request.user, Attachment.objects.all()), pk=pk)
        return attachment_response(attachment)


# -- catalogue ------------------------------------------------------------------------------------


class CatalogItemListView(RoleRequiredMixin, ListView):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/catalogitem_list.html"

    def get_queryset(self):
        return CatalogItem.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(flags=disclosure_flags(self.request.user), **kwargs)


class CatalogItemFormView(RoleRequiredMixin, View):
    template_name = "disclosure/catalogitem_form.html"

    def get_instance(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(CatalogItem, pk=pk) if pk else CatalogItem()

    def get(self, request, pk=None):
        item = self.get_instance()
        return render(request, self.template_name, {"form": CatalogItemForm(instance=item), "object": item})

    def post(self, request, pk=None):
        item = self.get_instance()
        form = CatalogItemForm(request.POST, instance=item)
        if form.is_valid():
            try:
                services.catalog_item_save(actor=request.user, item=form.instance)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Catalogue item saved."))
                return redirect("disclosure:catalog_list")
        return render(request, self.template_name, {"form": form, "object": item})


# -- timeliness -----------------------------------------------------------------------------------


class TimelinessView(RoleRequiredMixin, TemplateView):
    template_name = "disclosure/timeliness.html"

    def get_context_data(self, **kwargs):
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), timezone.localdate().year)
        table = selectors.timeliness_table(year=year)
        slug = self.request.GET.get("board", "")
        board = next((row["board"] for row in table.rows if row["board"].slug == slug), None)
        return super().get_context_data(
            year=year, table=table, board=board, problems=table.cells_of(slug) if board else [], **kwargs
        )


# -- residents' questions -------------------------------------------------------------------------


class FeedbackListView(RoleRequiredMixin, ListView):
    template_name = "disclosure/feedback_list.html"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = FeedbackFilter(self.request.GET, queryset=selectors.feedback_queue())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(tabs=self.filterset.tabs(), today=timezone.localdate(), **kwargs)
        for feedback in context["object_list"]:
            feedback.actions = feedback_actions(self.request.user, feedback)
        return context


class FeedbackModerateView(RoleRequiredMixin, View):
    def post(self, request, pk):
        feedback = get_object_or_404(Feedback, pk=pk)
        show = request.POST.get("show") == "1"
        services.feedback_moderate(actor=request.user, feedback=feedback, show=show)
        messages.success(request, _("Shown on the notice.") if show else _("Rejected; it will not be shown."))
        return redirect("disclosure:feedback_list")


class FeedbackAnswerView(RoleRequiredMixin, View):
    template_name = "disclosure/feedback_answer.html"

    def get(self, request, pk):
        feedback = get_object_or_404(Feedback.objects.select_related("notice__board"), pk=pk)
        form = AnswerForm(initial={"answer": feedback.answer})
        return render(request, self.template_name, {"form": form, "object": feedback})

    def post(self, request, pk):
        feedback = get_object_or_404(Feedback.objects.select_related("notice__board"), pk=pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_answer(actor=request.user, feedback=feedback, answer=form.cleaned_data["answer"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The answer is published under the notice."))
                return redirect("disclosure:feedback_list")
        return render(request, self.template_name, {"form": form, "object": feedback})


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


class MeetingFormView(RoleRequiredMixin, View):
    roles = DISCLOSURE_ROLES
    template_name = "disclosure/openmeeting_form.html"

    def get_instance(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(selectors.meeting_list(user=self.request.user), pk=pk) if pk else OpenMeeting()

    def get(self, request, pk=None):
        meeting = self.get_instance()
        form = MeetingForm(instance=meeting, boards=drafting_boards(request.user))
        return render(request, self.template_name, {"form": form, "object": meeting})

    def post(self, request, pk=None):
        meeting = self.get_instance()
        form = MeetingForm(request.POST, instance=meeting, boards=drafting_boards(request.user))
        if form.is_valid():
            try:
                meeting = services.meeting_save(actor=request.user, meeting=form.instance)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Meeting saved."))
                return redirect(meeting)
        return render(request, self.template_name, {"form": form, "object": meeting})


class MeetingDraftNoticeView(RoleRequiredMixin, View):
    roles = DISCLOSURE_ROLES

    def post(self, request, pk):
        meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
        try:
            notice = services.meeting_draft_notice(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
            return redirect(meeting)
        messages.success(request, _("A draft notice was made from the meeting; send it for review."))
        return redirect(notice)
