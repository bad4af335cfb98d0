"""A process of its own for one side of the annual report benchmark (tests/benchmarks/test_report_bench.py).

    python tests/benchmarks/report_child.py build YEAR HTML_OUT REPEAT   # the whole build, as the task runs it;
                                                                         # then the report as one HTML document
    python tests/benchmarks/report_child.py render HTML_IN REPEAT        # WeasyPrint alone on it (writes .pdf)
    python tests/benchmarks/report_child.py alternate YEAR REPEAT        # both in turns, in one process

Prints one JSON line: the best time of REPEAT runs (imports and Django start-up excluded) and the
peak resident memory of the process (imports included, as for any real build). `alternate` times
the build and WeasyPrint alone on the build's HTML in turns, REPEAT times each, and prints each
side's best: a slower minute of this shared machine then falls on both sides, not on one. Its
memory is of both; the peaks come from `build` and `render`, each in a process of its own. It also prints
each turn's pair of times (a build and the render right after it), and the build's best time
before its pages start being laid out."""

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils.translation import override  # noqa: E402

import jiedao.reporting.annual as reports  # noqa: E402
from jiedao.pdf import render_pdf  # noqa: E402

# The build's progress when its pages start being laid out (jiedao.reporting.annual): what comes
# before is the build's own work (the figures, the chapters' HTML), what comes after is WeasyPrint's.
LAYOUT_PERCENT = 60


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> dict:
    with override(settings.LANGUAGE_CODE):
        if argv[0] == "build":
            year, html_out, repeat = int(argv[1]), Path(argv[2]), int(argv[3])
            # the build exactly as the task runs it: laid out in documents of a bounded size and joined
            seconds = best(repeat, lambda: reports.annual_report_pdf(year=year))
            # the baseline's input, after the measured runs: the same report as one HTML document
            html_out.write_text(reports.annual_report_html(year=year), encoding="utf-8")
        elif argv[0] == "alternate":
            year, repeat = int(argv[1]), int(argv[2])
            html = reports.annual_report_html(year=year)  # the queries and charts warmed, as the build's
            render_pdf("<p>字</p>")  # WeasyPrint's fonts loaded before either side is timed
            builds, renders, before_layout = [], [], []
            for _ in range(repeat):
                started, laying_out = time.perf_counter(), []

                def progress(percent, stage, laying_out=laying_out):
                    if percent >= LAYOUT_PERCENT and not laying_out:
                        laying_out.append(time.perf_counter())

                reports.annual_report_pdf(year=year, progress=progress)
                builds.append(time.perf_counter() - started)
                before_layout.append(laying_out[0] - started)
                renders.append(best(1, lambda: render_pdf(html)))
            return {
                "build": min(builds),
                "weasy": min(renders),
                "pairs": list(zip(builds, renders, strict=True)),
                "before_layout": min(before_layout),
            }
        else:
            source, repeat = Path(argv[1]), int(argv[2])
            text, pdf = source.read_text(encoding="utf-8"), {}
            seconds = best(repeat, lambda: pdf.update(bytes=render_pdf(text)))
            source.with_suffix(".pdf").write_bytes(pdf["bytes"])
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
