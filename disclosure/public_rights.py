"""The public 四权 index (/gongkai/siquan/): every community's index for a year, one community's
index year on year with a chart, and the page that explains each formula; and the two read
counters of the 知情 part (a beacon from the notice page, the QR code's redirect)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from disclosure import selectors
from disclosure.models import Board, Notice
from disclosure.selectors.rights import MEETINGS_TARGET, PARTICIPATION_TARGET, rights_history, rights_page
from disclosure.services.rights import notice_read_count
from jiedao.pagecache import public_page
from jiedao.viewkit import year_choices, year_param

PARTS = ("know", "take_part", "decide", "supervise")
PART_LABELS = {"know": _("know"), "take_part": _("take part"), "decide": _("decide"), "supervise": _("supervise")}
HISTORY_YEARS = 3
# The index counts reads, meetings and 诉求, which no service announces with a public-version bump:
# its pages are kept for at most this long (seconds), and say so.
RIGHTS_REFRESH = 10 * 60


def _public_notice(pk: int) -> Notice:
    try:
        return selectors.public_notices().get(pk=pk)
    except Notice.DoesNotExist:
        raise Http404 from None


@method_decorator(csrf_exempt, name="dispatch")
class NoticeReadView(View):
    """POST from the notice page's script (navigator.sendBeacon): one read. No cookie, no token
    (the page is cached and carries none), nothing about the reader kept; 204."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notice_read_count(notice=_public_notice(pk))
        return HttpResponse(status=204)


class NoticeQrView(View):
    """The QR code of the printed board leads here: one read and one scan, then the notice."""

    def get(self, request, pk):
        notice = _public_notice(pk)
        notice_read_count(notice=notice, qr=True)
        return redirect(notice.get_public_url())


BAR, GAP, SCALE, LEFT = 14, 22, 2, 70  # px: bar height, gap between years, px per point, label column


def chart_bars(history) -> dict:
    """The year-on-year chart as positions for the template's inline SVG: one group per year, a bar
    per part (0–100 points, SCALE px a point); a part without records has no bar, only its label."""
    groups, y = [], 0
    for row in history:
        bars = []
        for i, part in enumerate(PARTS):
            value = row.parts.get(part)
            bars.append(
                {
                    "part": part,
                    "label": PART_LABELS[part],
                    "value": value,
                    "y": y + i * BAR,
                    "text_y": y + i * BAR + BAR - 3,
                    "width": float(value) * SCALE if value is not None else 0,
                    "x": LEFT,
                    "label_x": LEFT + (float(value) * SCALE if value is not None else 0) + 4,
                }
            )
        groups.append({"year": row.year, "index": row.index, "y": y + 2 * BAR, "bars": bars})
        y += len(PARTS) * BAR + GAP
    return {"years": groups, "height": y, "width": LEFT + 100 * SCALE + 40, "left": LEFT}


def _index_year(request) -> tuple[int, list[int]]:
    """?year= (any sane year: the index also counts meetings and cases), else the latest year with
    published notices rather than the empty current one; and the years with notices."""
    this_year = timezone.localdate().year
    with_data = selectors.published_years(this_year)
    return year_param(request, max(with_data) if with_data else this_year), with_data


@method_decorator(public_page(refresh=RIGHTS_REFRESH), name="get")
class RightsIndexView(TemplateView):
    """The communities' index of a year, in pages; a box narrows them by name."""

    template_name = "public/rights/index.html"

    def get_context_data(self, **kwargs):
        year, with_data = _index_year(self.request)
        name = self.request.GET.get("community", "").strip()[:30]
        page = rights_page(year=year, name=name, page=self.request.GET.get("page"))
        years = sorted(year_choices([*with_data, year], timezone.localdate().year))
        return super().get_context_data(
            year=year, page_obj=page, community_name=name, years=years, refresh_minutes=RIGHTS_REFRESH // 60, **kwargs
        )


@method_decorator(public_page(refresh=RIGHTS_REFRESH), name="get")
class RightsCommunityView(TemplateView):
    template_name = "public/rights/community.html"

    def get_context_data(self, slug, **kwargs):
        board = get_object_or_404(Board.objects.select_related("community"), slug=slug, community__isnull=False)
        year, _with_data = _index_year(self.request)
        history = rights_history(board.community, range(year - HISTORY_YEARS + 1, year + 1))
        return super().get_context_data(
            board=board,
            year=year,
            row=history[-1],
            history=history,
            chart=chart_bars(history),
            refresh_minutes=RIGHTS_REFRESH // 60,
            **kwargs,
        )


class RightsMethodView(TemplateView):
    template_name = "public/rights/method.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings_target=MEETINGS_TARGET, participation_target=PARTICIPATION_TARGET, **kwargs
        )
