"""The public disclosure boards (/gongkai/): no login, mobile-first, a fixed number of queries per page."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited

from jiedao.client_address import ratelimit_key
from jiedao.pagecache import cached_for_version, public_page
from jiedao.viewkit import add_service_errors

from . import search, selectors, services
from .choices import Category, LineKind
from .filters import BoardNoticeFilter
from .forms import FeedbackForm
from .models import Attachment, Board, Notice
from .selectors import public_lists
from .views import attachment_response

PER_PAGE = 20


@method_decorator(public_page, name="get")
class BoardIndexView(TemplateView):
    """Every board, in pages: the sub-district's first, then the communities by code; a box narrows
    them by name (a district of many sub-districts has thousands)."""

    template_name = "public/board_index.html"

    def get_context_data(self, **kwargs):
        name = self.request.GET.get("board", "").strip()[:30]
        page = public_lists.board_page(name=name, page=self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, board_name=name, **kwargs)


@method_decorator(public_page, name="get")
class BoardView(View):
    template_name = "public/board.html"

    def get(self, request, slug):
        board = get_object_or_404(Board.objects.select_related("community"), slug=slug)
        years = selectors.board_years(board)
        filterset = BoardNoticeFilter(request.GET, queryset=selectors.public_board_notices(board=board), years=years)
        filters = filterset.chosen
        page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "board": board,
                "form": filterset.form,
                "page_obj": page,
                "categories": Category.choices,
                "category": filters.get("category", ""),
                "gongkai_root": reverse("gongkai:board_index"),
                "years": years,
                "year": filters.get("year"),
                "month": filters.get("month"),
                "months": filterset.form.fields["month"].choices[1:],
            },
        )


@method_decorator(public_page, name="get")
class SearchView(View):
    """Search by words (disclosure/search.py): ranked, matched words highlighted. Pages are read one
    row past their end to know whether another follows, so no count runs over every match."""

    template_name = "public/search.html"

    def get(self, request):
        query = request.GET.get("q", "").strip()[:100]
        try:
            number = max(1, min(int(request.GET.get("page", 1)), 500))
        except ValueError:
            number = 1
        found, words = search.search_notices(
            selectors.public_notices().only(*selectors.PUBLIC_NOTICE_FIELDS, "body"), query
        )
        offset = (number - 1) * PER_PAGE
        rows = list(found[offset : offset + PER_PAGE + 1]) if query else []
        results = [
            {"notice": n, "title": search.highlight(n.title, words), "snippet": search.snippet(n.body, words)}
            for n in rows[:PER_PAGE]
        ]
        return render(
            request,
            self.template_name,
            {
                "query": query,
                "results": results,
                "number": number,
                "first": offset + 1,
                "last": offset + len(results),
                "previous_page": number - 1 if number > 1 else None,
                "next_page": number + 1 if len(rows) > PER_PAGE else None,
                # the last page of a search that reached the ranked matches' limit
                "capped": len(rows) <= PER_PAGE and offset + len(results) >= search.SEARCH_CANDIDATES,
                "candidates": search.SEARCH_CANDIDATES,
                "gongkai_root": reverse("gongkai:board_index"),
            },
        )


def feedback_rate(group, request) -> str:
    """DISCLOSURE_FEEDBACK_PER_HOUR questions an hour from one address, read at each request."""
    return f"{settings.DISCLOSURE_FEEDBACK_PER_HOUR}/h"


class NoticeView(View):
    template_name = "public/notice_detail.html"

    def get_notice(self, slug, pk) -> Notice:
        try:
            return selectors.public_notice_detail(slug=slug, pk=pk)
        except Notice.DoesNotExist:
            raise Http404 from None

    def context(self, notice, form):
        lines = list(notice.finance_lines.all())
        return {
            "notice": notice,
            "board": notice.board,
            "income_lines": [ln for ln in lines if ln.kind == LineKind.INCOME],
            "expense_lines": [ln for ln in lines if ln.kind == LineKind.EXPENSE],
            "form": form,
        }

    @method_decorator(public_page)
    def get(self, request, slug, pk):
        notice = self.get_notice(slug, pk)
        return render(request, self.template_name, self.context(notice, None))

    def post(self, request, slug, pk):
        notice = self.get_notice(slug, pk)
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(notice, form), status=400)
        data = form.cleaned_data
        if data["website"]:  # the honeypot: answer as if all went well, keep nothing
            messages.success(request, _("Thank you. Your question will appear here once it has been checked."))
            return redirect(notice.get_public_url() + "#questions")
        if is_ratelimited(request, group="disclosure:feedback", key=ratelimit_key, rate=feedback_rate, increment=True):
            form.add_error(None, _("Too many questions from this device; please try again in an hour."))
            return render(request, self.template_name, self.context(notice, form), status=429)
        try:
            services.feedback_submit(notice=notice, body=data["body"], name=data["name"], contact=data["contact"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, self.context(notice, form), status=400)
        messages.success(request, _("Thank you. Your question will appear here once it has been checked."))
        return redirect(notice.get_public_url() + "#questions")


def qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=2, title=_("QR code of the online copy")
    )
    return buffer.getvalue().decode()


class NoticeQuestionView(NoticeView):
    """The question form of a notice, fetched when a resident opens it (an htmx fragment, or a page
    of its own without JavaScript): only this response holds a CSRF token and sets its cookie."""

    template_name = "public/notice_question.html"

    def get(self, request, slug, pk):
        notice = self.get_notice(slug, pk)
        template = "public/_question_form.html" if request.htmx else self.template_name
        return render(request, template, {"notice": notice, "board": notice.board, "form": FeedbackForm()})

    def post(self, request, slug, pk):
        raise Http404


class NoticePrintView(NoticeView):
    """The notice sized for an A4 sheet on the physical board, with a QR code to the online copy."""

    template_name = "public/notice_print.html"

    @method_decorator(public_page)
    def get(self, request, slug, pk):
        notice = self.get_notice(slug, pk)
        context = self.context(notice, None)
        context["online_url"] = request.build_absolute_uri(notice.get_public_url())
        # the QR code leads through the scan counter of the 四权 index's 知情 part, then to the notice
        url = request.build_absolute_uri(reverse("gongkai:notice_qr", args=[notice.pk]))
        # the QR code once per content version and address, not on every print
        context["qr"] = mark_safe(cached_for_version(f"qr:{url}", lambda: qr_svg(url)))  # noqa: S308 — segno's own SVG, URL escaped by segno
        return render(request, self.template_name, context)

    def post(self, request, slug, pk):
        raise Http404


class PublicAttachmentView(View):
    def get(self, request, pk):
        try:
            attachment = selectors.public_attachment(pk=pk)
        except Attachment.DoesNotExist:
            raise Http404 from None
        return attachment_response(attachment)


class BoardFeed(Feed):
    feed_type = Atom1Feed

    @method_decorator(public_page)
    def __call__(self, request, *args, **kwargs):
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug):
        return get_object_or_404(Board, slug=slug)

    def title(self, board):
        return _("%(board)s disclosure board") % {"board": board.name}

    def link(self, board):
        return board.get_absolute_url()

    def subtitle(self, board):
        return _("Party, government, residents' and financial affairs disclosed by %(board)s") % {"board": board.name}

    def items(self, board):
        return selectors.public_notices().filter(board=board).only(*selectors.PUBLIC_NOTICE_FIELDS, "body")[:30]

    def item_title(self, notice):
        return notice.title + (_(" (corrected)") if notice.revision > 1 else "")

    def item_description(self, notice):
        return strip_tags(notice.body)[:500]

    def item_link(self, notice):
        return reverse("gongkai:notice", args=[notice.board.slug, notice.pk])

    def item_pubdate(self, notice):
        return notice.published_at

    def item_categories(self, notice):
        return [notice.get_category_display()]
