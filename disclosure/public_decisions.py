"""Public pages of the decision trails: a board's announced meetings, one meeting's trail
(agenda → opinions → decision → implementation → result) and the residents' opinion form."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django_ratelimit.core import is_ratelimited

from jiedao.client_address import ratelimit_key
from jiedao.pagecache import public_page
from jiedao.viewkit import add_service_errors

from . import services
from .models import Board, OpenMeeting
from .selectors import decisions as selectors
from .supervision_forms import OpinionForm

PER_PAGE = 20
# The services bump the public version on every change the pages show; an opinion period closes by
# the date, which nothing announces: the kept pages are renewed this often (seconds) as well.
OPINION_PERIOD_REFRESH = 10 * 60


@method_decorator(public_page(refresh=OPINION_PERIOD_REFRESH), name="get")
class MeetingListView(View):
    """A board's meetings announced with their agenda, newest first."""

    def get(self, request, slug):
        board = get_object_or_404(Board.objects.select_related("community"), slug=slug)
        meetings = list(selectors.public_meetings(board=board)[:PER_PAGE])
        return render(request, "public/decisions/meeting_list.html", {"board": board, "meetings": meetings})


def trail_or_404(slug, pk) -> OpenMeeting:
    try:
        return selectors.public_trail(slug=slug, pk=pk)
    except OpenMeeting.DoesNotExist:
        raise Http404 from None


@method_decorator(public_page(refresh=OPINION_PERIOD_REFRESH), name="get")
class TrailView(View):
    def get(self, request, slug, pk):
        meeting = trail_or_404(slug, pk)
        context = {"meeting": meeting, "board": meeting.board, "opinions_open": services.opinions_open(meeting)}
        return render(request, "public/decisions/trail.html", context)


def opinion_rate(group, request) -> str:
    return f"{settings.DISCLOSURE_FEEDBACK_PER_HOUR}/h"


class OpinionView(View):
    """The opinion form of an announced meeting while its opinion period is open."""

    template_name = "public/decisions/opinion.html"

    def get_meeting(self, slug, pk) -> OpenMeeting:
        meeting = trail_or_404(slug, pk)
        if not services.opinions_open(meeting):
            raise Http404
        return meeting

    def get(self, request, slug, pk):
        meeting = self.get_meeting(slug, pk)
        return render(request, self.template_name, {"meeting": meeting, "board": meeting.board, "form": OpinionForm()})

    def post(self, request, slug, pk):
        meeting = self.get_meeting(slug, pk)
        form = OpinionForm(request.POST)
        context = {"meeting": meeting, "board": meeting.board, "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        if is_ratelimited(request, group="disclosure:opinion", key=ratelimit_key, rate=opinion_rate, increment=True):
            form.add_error(None, _("Too many opinions from this device; please try again in an hour."))
            return render(request, self.template_name, context, status=429)
        try:
            services.opinion_submit(meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Thank you. Your opinion will appear here once it has been checked."))
        return redirect(reverse("gongkai:meeting_trail", args=[slug, pk]) + "#opinions")
