"""The resident's side of the case ledger (/gongkai/suqiu/): file a request or complaint (phone
first), then follow it with the query code — which travels only in POST bodies, never in a URL —
to read its public status and answer, rate the answer once closed, or re-open it.

These pages are never cached (the code and the case are personal); filings and failed look-ups
are limited per client address (django-ratelimit in the shared cache)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from disclosure import services
from disclosure.case_forms import CaseFileForm, CodeForm, RateForm, ReopenForm
from disclosure.models import Case, CaseEventKind
from jiedao.client_address import ratelimit_key
from jiedao.viewkit import add_service_errors

# What a resident sees of the history: the steps and their dates, never who or why.
PUBLIC_EVENTS = (
    CaseEventKind.FILED,
    CaseEventKind.RECORDED,
    CaseEventKind.TRANSFERRED,
    CaseEventKind.REPLIED,
    CaseEventKind.CLOSED,
    CaseEventKind.RATED,
    CaseEventKind.REOPENED,
)


def filing_rate(group, request) -> str:
    return f"{settings.CASE_FILINGS_PER_HOUR}/h"


def lookup_rate(group, request) -> str:
    return f"{settings.CASE_LOOKUPS_PER_HOUR}/h"


@method_decorator(never_cache, name="dispatch")
class CaseFileView(View):
    template_name = "public/cases/file.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CaseFileForm()})

    def post(self, request):
        form = CaseFileForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        if data["website"]:  # the honeypot: a bot gets the form back, nothing kept
            return render(request, self.template_name, {"form": CaseFileForm()})
        if is_ratelimited(request, group="disclosure:case-file", key=ratelimit_key, rate=filing_rate, increment=True):
            form.add_error(None, _("Too many requests from this device; please try again in an hour."))
            return render(request, self.template_name, {"form": form}, status=429)
        try:
            new = services.case_file(
                community=data["community"], category=data["category"], body=data["body"], contact=data["contact"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render(request, self.template_name, {"form": form}, status=400)
        return render(
            request,
            "public/cases/filed.html",
            {"case": new.case, "code": services.format_code(new.code)},
        )


def public_status(case: Case, code: str) -> dict:
    events = [e for e in case.events.all() if e.kind in PUBLIC_EVENTS]
    until = services.reopen_until(case)
    return {
        "case": case,
        "code": code,
        "events": events,
        "rate_form": RateForm(initial={"code": code}) if case.is_closed and not case.is_rated else None,
        "reopen_form": ReopenForm(initial={"code": code}) if until else None,
        "reopen_until": until,
    }


@method_decorator(never_cache, name="dispatch")
class CaseQueryView(View):
    """GET: the code form. POST: `action` look (default), rate or reopen, each with the code."""

    template_name = "public/cases/query.html"
    status_template = "public/cases/status.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CodeForm()})

    def find(self, request, form):
        """The case behind a valid code; None (with the form's error set) otherwise."""
        code = form.cleaned_data["code"]
        try:
            return services.case_by_code(code)
        except Http404:
            pass
        limited = is_ratelimited(
            request, group="disclosure:case-code", key=ratelimit_key, rate=lookup_rate, increment=True
        )
        form.add_error(
            "code",
            _("Too many wrong codes from this device; please try again in an hour.")
            if limited
            else _("No case has this query code. Check it and try again."),
        )
        return None

    def post(self, request):
        action = request.POST.get("action", "look")
        form_class = {"rate": RateForm, "reopen": ReopenForm}.get(action, CodeForm)
        form = form_class(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": CodeForm(request.POST)}, status=400)
        case = self.find(request, form)
        if case is None:
            return render(request, self.template_name, {"form": form}, status=404)
        code = services.normalise_code(form.cleaned_data["code"])
        try:
            if action == "rate":
                case = services.case_rate(code=code, satisfaction=form.cleaned_data["satisfaction"])
                message = _("Thank you for rating the answer.")
            elif action == "reopen":
                case = services.case_reopen(code=code, reason=form.cleaned_data["reason"])
                message = _("The case is re-opened and will be handled again.")
            else:
                message = ""
        except ValidationError as exc:
            context = public_status(case, code)
            context["error"] = " ".join(exc.messages)
            return render(request, self.status_template, context, status=400)
        case = Case.objects.select_related("community").prefetch_related("events").get(pk=case.pk)
        context = public_status(case, code)
        context["message"] = message
        return render(request, self.status_template, context)
