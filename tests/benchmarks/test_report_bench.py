"""`make bench`: the annual report of 2005 on the demo data and on a synthetic 300-community city.

For each, beside its baseline measured in the same run (these machines are shared and noisy):
- build time (context, charts, HTML and PDF) against WeasyPrint's render of the same final HTML:
  the ratio is the figure (DESIGN §13: ≤ 1.2×, ≤ 10 s on the demo data);
- peak memory of `manage.py annual_report` in a process of its own (≤ 300 MB);
- SQL queries of the build, which must not grow with the number of communities (asserted).
"""

import io
import os
import subprocess
import sys
import time
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
from jiedao.pdf import render_pdf
from jiedao.reports import annual_report_html, annual_report_pdf
from tests.jiedao.report_helpers import ensure_role_groups, pdf_pages

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2005
CITY = 300
ROOT = Path(__file__).resolve().parents[2]

# Runs a command and prints the peak resident memory (kB) of it and its children.
PEAK_RSS = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
# The memory baseline: a process that only renders the given HTML file with WeasyPrint.
RENDER_ONLY = (
    "import sys, django; django.setup(); from jiedao.pdf import render_pdf; "
    "render_pdf(open(sys.argv[1], encoding='utf-8').read())"
)


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def peak_memory_mb(command: list[str]) -> float:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DJANGO_SETTINGS_MODULE": "jiedao.settings",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def measure(name: str, tmp_path: Path, runs: int) -> dict:
    """Build and baseline alternate, so that a noisy neighbour slows both alike; best of `runs`."""
    builds, renders = [], []
    with override(settings.LANGUAGE_CODE):
        with CaptureQueriesContext(connection) as queries:
            annual_report_pdf(year=YEAR)  # also warms caches (fonts, templates)
        for _ in range(runs):
            seconds, pdf = timed(lambda: annual_report_pdf(year=YEAR))
            builds.append(seconds)
            html = annual_report_html(year=YEAR)  # the same final HTML the build rendered
            renders.append(timed(lambda: render_pdf(html))[0])  # noqa: B023 - called at once
    pdf_path, html_path = tmp_path / f"{name}.pdf", tmp_path / f"{name}.html"
    pdf_path.write_bytes(pdf)
    html_path.write_text(html, encoding="utf-8")
    return {
        "name": name,
        "communities": Community.objects.count(),
        "pages": pdf_pages(pdf_path),
        "build": min(builds),
        "weasy": min(renders),
        "queries": len(queries),
        "memory": peak_memory_mb(
            [sys.executable, "manage.py", "annual_report", "--year", str(YEAR), "--output", str(tmp_path / "m.pdf")]
        ),
        "memory_weasy": peak_memory_mb([sys.executable, "-c", RENDER_ONLY, str(html_path)]),
    }


def report(m: dict) -> None:
    print(
        f"\n  {m['name']}: {m['communities']} communities, {m['pages']} pages\n"
        f"    build              {m['build']:7.2f} s    target ≤ 10 s on the demo data\n"
        f"    WeasyPrint alone   {m['weasy']:7.2f} s    (the same final HTML, same run)\n"
        f"    ratio              {m['build'] / m['weasy']:7.2f} ×    target ≤ 1.2×\n"
        f"    peak memory        {m['memory']:7.0f} MB   target ≤ 300 MB (manage.py annual_report, own process)\n"
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
    demo = measure("demo data", tmp_path, runs=3)
    report(demo)
    add_synthetic_communities(CITY)
    city = measure("synthetic city", tmp_path, runs=1)
    report(city)
    print(
        f"    vs the demo build: {city['build'] / demo['build']:.1f}× the time for "
        f"{city['pages'] / demo['pages']:.1f}× the pages; queries {city['queries']} vs {demo['queries']}"
    )
    assert city["queries"] == demo["queries"], "the report's SQL queries grew with the number of communities"
