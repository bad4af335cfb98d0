"""The annual report's part on the 四权 index (chapter 三, 基层民主): every community's index and its
four parts for the year and the year before, read from disclosure.selectors.rights, with a chart
of the sub-district's mean of each part, year on year."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from disclosure.selectors.rights import RightsRow, rights_by_year
from jiedao.reporting import charts

PARTS = ("know", "take_part", "decide", "supervise")


def _mean(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1")) if values else None


@dataclass(frozen=True)
class RightsSection:
    year: int
    rows: list[RightsRow]
    previous: dict  # community id → the year before's RightsRow
    means: dict  # part → mean over the communities (this year)
    means_previous: dict
    chart: charts.Chart

    def previous_of(self, row: RightsRow) -> RightsRow | None:
        return self.previous.get(row.community.pk)


def rights_report_section(*, year: int) -> RightsSection:
    by_year = rights_by_year([year - 1, year])
    rows, before = by_year[year], by_year[year - 1]
    means = {p: _mean(r.parts.get(p) for r in rows) for p in (*PARTS,)}
    means["index"] = _mean(r.index for r in rows)
    means_previous = {p: _mean(r.parts.get(p) for r in before) for p in PARTS}
    means_previous["index"] = _mean(r.index for r in before)
    labels = [_("To know"), _("To take part"), _("To decide"), _("To supervise")]
    chart = charts.grouped_bars(
        title=_("The four rights index: the communities' mean of each part"),
        categories=labels,
        series={str(year - 1): [means_previous[p] for p in PARTS], str(year): [means[p] for p in PARTS]},
        unit=_("points"),
    )
    return RightsSection(
        year=year,
        rows=rows,
        previous={r.community.pk: r for r in before},
        means=means,
        means_previous=means_previous,
        chart=chart,
    )
