"""`make bench`: the annual report of 2005 on the demo data and on a synthetic 300-community city.

For each, beside its baseline measured in the same run (these machines are shared and noisy):
- build time (context, charts, HTML and PDF) against WeasyPrint's render of the same final HTML,
  timed in pairs (a build, then the render): the median of the pairs' ratios is the figure (issue
  16: ≤ 1.1×; ≤ 10 s on the demo data);
- peak memory of the build in a process of its own (≤ 300 MB), beside a process that only renders
  the same HTML with WeasyPrint (tests/benchmarks/report_child.py runs both sides);
- SQL queries of the build, which must not grow with the number of communities (asserted).
"""

import io
import json
import os
import statistics
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from communities.models import Cadre, Community, CommunityYear
from jiedao.reporting.annual import annual_report_html
from tests.jiedao.report_helpers import ensure_role_groups, pdf_pages

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2005
CITY = 300
ROOT = Path(__file__).resolve().parents[2]

CHILD = Path(__file__).with_name("report_child.py")


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def child(*args) -> dict:
    """One side of the comparison in a fresh process: its best time and its peak memory."""
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_TASK_ALWAYS_EAGER": "true"}
    done = subprocess.run(
        [sys.executable, str(CHILD), *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(name: str, tmp_path: Path, repeat: int) -> dict:
    """Pairs of times, a build and WeasyPrint alone right after it: `repeat` pairs from one process
    taking turns, and one from a process of each side's own, which gives its peak memory, as a real
    build runs. The ratio is the median of the pairs' ratios: this shared machine slows down and
    speeds up by a third for seconds at a time, which moves each side's best time on its own (the
    same code gave 1.01× and 1.21× as the ratio of the two best times), while a pair's two runs
    mostly share their moment. Each side's best time is printed too."""
    html = tmp_path / f"{name}.html"
    with override(settings.LANGUAGE_CODE), CaptureQueriesContext(connection) as queries:
        annual_report_html(year=YEAR)  # every query of a build is made before the PDF is laid out
    times = child("alternate", YEAR, repeat)
    build = child("build", YEAR, html, 1)
    weasy = child("render", html, 1)  # the same final HTML, right after, same machine
    pdf = html.with_suffix(".pdf")  # written by the render-only process
    pairs = [*times["pairs"], (build["seconds"], weasy["seconds"])]
    return {
        "name": name,
        "communities": Community.objects.count(),
        "pages": pdf_pages(pdf),
        "build": min(times["build"], build["seconds"]),
        "weasy": min(times["weasy"], weasy["seconds"]),
        "ratios": sorted(b / w for b, w in pairs),
        "before_layout": times["before_layout"],
        "memory": build["peak_mb"],
        "memory_weasy": weasy["peak_mb"],
        "queries": len(queries),
    }


def mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report(m: dict, *, memory_limit: int = 300, time_limit: float | None = 10) -> None:
    ratio = statistics.median(m["ratios"])
    pairs = ", ".join(f"{r:.2f}" for r in m["ratios"])
    memory_ok = mark(m["memory"] <= memory_limit)
    time_target = f"target ≤ {time_limit:.0f} s: {mark(m['build'] <= time_limit)}" if time_limit else ""
    print(
        f"\n  {m['name']}: {m['communities']} communities, {m['pages']} pages\n"
        f"    build              {m['build']:7.2f} s    {time_target}\n"
        f"      before layout    {m['before_layout']:7.2f} s    (the figures and the chapters' HTML; best)\n"
        f"    WeasyPrint alone   {m['weasy']:7.2f} s    (the same final HTML, same run; each side's best)\n"
        f"    ratio              {ratio:7.2f} ×    target ≤ 1.1×: {mark(ratio <= 1.1)}"
        f" (median of {len(m['ratios'])} pairs: {pairs}; of the best times {m['build'] / m['weasy']:.2f}×)\n"
        f"    peak memory        {m['memory']:7.0f} MB   target ≤ {memory_limit} MB: {memory_ok}"
        " (the build in a process of its own)\n"
        f"    WeasyPrint alone   {m['memory_weasy']:7.0f} MB   (rendering the same HTML, own process)\n"
        f"    SQL queries        {m['queries']:7d}"
    )


def add_synthetic_communities(total: int) -> None:
    """Grow the demo sub-district into a city of `total` communities, with figures and cadres."""
    start = Community.objects.count()
    communities = Community.objects.bulk_create(
        Community(
            code=f"SYN{i:04d}",
            name=f"合成{i:03d}社区",
            area_km2=Decimal("1.20"),
            households=1500,
            population=4800,
            party_org_name=f"中共合成{i:03d}社区委员会",
        )
        for i in range(start + 1, total + 1)
    )
    CommunityYear.objects.bulk_create(
        CommunityYear(
            community=c,
            year=year,
            collective_income=Decimal(10 + (c.pk % 50)) + (Decimal("2.5") if year == YEAR else 0),
            per_capita_income=Decimal(4800 + (c.pk % 300)) + (600 if year == YEAR else 0),
            party_member_count=20,
            is_poor=(year == YEAR - 1 and c.pk % 4 == 0),
        )
        for c in communities
        for year in (YEAR - 1, YEAR)
    )
    Cadre.objects.bulk_create(
        Cadre(community=c, name=f"干部{c.pk}-{n}", post=f"委员{n}", term_start=date(2004, 3, 1), directly_elected=n < 2)
        for c in communities
        for n in range(5)
    )


def test_annual_report_benchmark(tmp_path, settings):
    ensure_role_groups()
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--password", "bench-pass-123", stdout=io.StringIO())
    print("\nAnnual report benchmark (year 2005)")
    demo = measure("demo data", tmp_path, repeat=8)  # nine pairs with the processes' own
    report(demo)
    add_synthetic_communities(CITY)
    city = measure("synthetic city", tmp_path, repeat=1)
    report(city, memory_limit=400, time_limit=120)  # issue 16: ≤ 400 MB and under 2 minutes at 300
    print(
        f"    vs the demo build: {city['build'] / demo['build']:.1f}× the time for "
        f"{city['pages'] / demo['pages']:.1f}× the pages; queries {city['queries']} vs {demo['queries']}"
    )
    assert city["queries"] == demo["queries"], "the report's SQL queries grew with the number of communities"
