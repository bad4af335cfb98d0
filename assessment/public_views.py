"""The public, mobile-first voting pages of the democratic evaluation (民主测评), under /ceping/.

The code travels in POST bodies only, never in a URL (access logs record URLs): the code form
posts to /ceping/, which answers with the ballot itself; the ballot carries a short-lived signed
token instead of the code and posts to the fixed /ceping/vote/. Nothing is kept in the visitor's
session, and no page's address says which code or session it is about.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_ratelimit.core import get_usage

from jiedao.client_address import ratelimit_key

from . import selectors, services
from .forms import BallotForm, CodeEntryForm

# Failed code look-ups allowed per client address per hour before the voting page refuses (429).
# Generous on purpose: a whole meeting room may vote through one Wi-Fi address and mistype; the
# codes' 60 random bits are the real protection, this only stops scripted guessing.
CODE_ATTEMPTS_PER_HOUR = 100
FAILED_LOOKUPS = {"group": "ceping:failed-code", "key": ratelimit_key, "rate": f"{CODE_ATTEMPTS_PER_HOUR}/h"}

# The ballot's token: the code, signed, good for as long as filling in a ballot may take.
TOKEN_SALT = "assessment.ballot"
TOKEN_MAX_AGE = 2 * 60 * 60


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


def _too_many(request, code: str = ""):
    return _refuse(request, _("Too many wrong codes from this address. Try again in an hour."), code=code, status=429)


def _ballot(request, row, form, token, status=200):
    context = {"form": form, "session": row.session, "code": services.format_code(row.code), "token": token}
    return render(request, "public/ceping_ballot.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class BallotStartView(View):
    """Enter the code from the slip; a valid one opens the ballot in the answer."""

    def get(self, request):
        return render(request, "public/ceping_start.html", {"form": CodeEntryForm()})

    def post(self, request):
        form = CodeEntryForm(request.POST)
        if not form.is_valid():
            return render(request, "public/ceping_start.html", {"form": form})
        raw = form.cleaned_data["code"]
        # A valid code is checked before the limit: a client over the limit (a meeting room behind
        # one address, or a guesser next to a voter) can still vote with the code on their slip.
        try:
            row = services.ballot_check_code(raw)
        except services.BallotRejected as rejected:
            if _too_many_failures(request):
                return _too_many(request, raw)
            _count_failure(request)
            return _refuse(request, rejected.message, code=raw)
        token = signing.dumps(row.code, salt=TOKEN_SALT)
        return _ballot(request, row, BallotForm(cadres=selectors.ballot_cadres(row.session)), token)


@method_decorator(never_cache, name="dispatch")
class BallotVoteView(View):
    """The ballot's ratings, with the token it was opened with; the code is spent on success."""

    http_method_names = ["post"]

    def post(self, request):
        token = request.POST.get("token", "")
        try:
            code = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.SignatureExpired:
            return _refuse(request, _("The ballot was open too long. Enter the code again."))
        except signing.BadSignature:
            return _refuse(request, _("Enter the code printed on your ballot slip."))
        try:
            row = services.ballot_check_code(code)
        except services.BallotRejected as rejected:
            return _refuse(request, rejected.message)
        form = BallotForm(request.POST, cadres=selectors.ballot_cadres(row.session))
        if not form.is_valid():
            return _ballot(request, row, form, token)
        try:
            services.ballot_cast(code=row.code, ratings=form.ratings())
        except services.BallotRejected as rejected:
            return _refuse(request, rejected.message)
        except ValidationError as error:
            form.add_error(None, error)
            return _ballot(request, row, form, token)
        return redirect("ceping:done")


class BallotDoneView(TemplateView):
    template_name = "public/ceping_done.html"
