"""The public, mobile-first voting pages of the democratic evaluation (民主测评), under /ceping/."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.core import get_usage

from . import selectors, services
from .forms import BallotForm, CodeEntryForm

# Failed code look-ups allowed per client address per hour before the voting page refuses (429).
# Generous on purpose: a whole meeting room may vote through one Wi-Fi address and mistype; the
# codes' 60 random bits are the real protection, this only stops scripted guessing.
CODE_ATTEMPTS_PER_HOUR = 100
FAILED_LOOKUPS = {"group": "ceping:failed-code", "key": "ip", "rate": f"{CODE_ATTEMPTS_PER_HOUR}/h"}


def _too_many_failures(request) -> bool:
    """Only failures count, so the check reads the counter without adding to it."""
    usage = get_usage(request, increment=False, **FAILED_LOOKUPS)
    return usage is not None and usage["count"] >= CODE_ATTEMPTS_PER_HOUR


def _count_failure(request) -> None:
    get_usage(request, increment=True, **FAILED_LOOKUPS)


def _refuse(request, message: str, *, code: str = "", status: int = 200):
    """The code page again, with the reason the code was refused and the code as typed."""
    form = CodeEntryForm(initial={"code": code})
    return render(request, "public/ceping_start.html", {"form": form, "error": message}, status=status)


def _too_many(request):
    return _refuse(request, _("Too many wrong codes from this address. Try again in an hour."), status=429)


class BallotStartView(View):
    """Enter the code from the slip (or arrive from its QR code)."""

    def get(self, request):
        return render(request, "public/ceping_start.html", {"form": CodeEntryForm()})

    def post(self, request):
        if _too_many_failures(request):
            return _too_many(request)
        form = CodeEntryForm(request.POST)
        if not form.is_valid():
            return render(request, "public/ceping_start.html", {"form": form})
        try:
            code = services.ballot_check_code(form.cleaned_data["code"])
        except services.BallotRejected as rejected:
            _count_failure(request)
            return _refuse(request, rejected.message, code=form.cleaned_data["code"])
        return redirect("ceping:ballot", code=code.code)


class BallotVoteView(View):
    """One ballot: rate each cadre of the community; the code is spent on submission."""

    def _code(self, request, code):
        if _too_many_failures(request):
            return None, _too_many(request)
        try:
            return services.ballot_check_code(code), None
        except services.BallotRejected as rejected:
            _count_failure(request)
            return None, _refuse(request, rejected.message, code=code)

    def _render(self, request, row, form):
        return render(
            request,
            "public/ceping_ballot.html",
            {"form": form, "session": row.session, "code": services.format_code(row.code), "raw_code": row.code},
        )

    def get(self, request, code):
        row, refused = self._code(request, code)
        if refused:
            return refused
        return self._render(request, row, BallotForm(cadres=selectors.ballot_cadres(row.session)))

    def post(self, request, code):
        row, refused = self._code(request, code)
        if refused:
            return refused
        form = BallotForm(request.POST, cadres=selectors.ballot_cadres(row.session))
        if not form.is_valid():
            return self._render(request, row, form)
        try:
            services.ballot_cast(code=row.code, ratings=form.ratings())
        except services.BallotRejected as rejected:
            return _refuse(request, rejected.message, code=code)
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, row, form)
        return redirect("ceping:done")


class BallotDoneView(TemplateView):
    template_name = "public/ceping_done.html"
