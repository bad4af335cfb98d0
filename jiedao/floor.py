"""The benchmark's floor (`make bench`): a bare view answering "ok" through the same settings and
middleware as every page, so a page's throughput reads as a share of what Django itself allows.
Mounted only with BENCHMARK_FLOOR=true (settings swap in this URLconf); never in production."""

from django.http import HttpResponse
from django.urls import path

from jiedao.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-floor/", floor, name="bench_floor"), *portal_urlpatterns]
