"""Figures as selectors for the dashboard and the annual report (DESIGN §6): the economy of every
community and of the sub-district, read from the database, never typed into a template. The number of
SQL queries does not depend on the number of communities (tests/jiedao/test_report_queries.py)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from communities.choices import CommunityKind
from communities.models import Cadre, Community, CommunityYear, PartyMember
from communities.models.membership import belongs_on
from communities.selectors import change_ratio, one_post_per_person
from disclosure.selectors import CaseFigures, case_counts_by_year, case_figures
from jiedao.models import SubDistrictYear
from jiedao.reporting import charts

# -- figures with their change ----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """An indicator this year beside last year. `kind` says how to print it: wan (万元),
    yuan (元), count (with `unit`) or rate (0..1, its change in percentage points)."""

    key: str
    label: str
    current: object
    previous: object
    kind: str
    unit: str = ""
    built: bool = True  # False: the app that computes it is not built yet
    # What a rise means: True (good news: income, rates), False (bad news: letters and visits,
    # poor villages), None (neither). The change is coloured by this, never by its sign alone.
    up_is_good: bool | None = True

    @property
    def tone(self) -> str:
        """ "good", "bad" or "" (no change, no base year, or a figure that is neither)."""
        delta = self.change
        if delta is None or delta == 0 or self.up_is_good is None:
            return ""
        return "good" if (delta > 0) == self.up_is_good else "bad"

    @property
    def change(self):
        if self.current is None or self.previous is None:
            return None
        if self.kind == "rate":
            return Decimal(self.current) - Decimal(self.previous)
        return change_ratio(self.current, self.previous)


@dataclass
class CommunityRow:
    community: Community
    current: CommunityYear | None = None
    previous: CommunityYear | None = None
    cadres: list = field(default_factory=list)  # in office this year
    elected: list = field(default_factory=list)  # of them, directly elected (公推直选)

    def _value(self, which: str, attr: str):
        record = getattr(self, which)
        return getattr(record, attr) if record is not None else None

    income_previous = property(lambda self: self._value("previous", "collective_income"))
    income_current = property(lambda self: self._value("current", "collective_income"))
    # 农民人均纯收入 means something only where there are farmers: a former village, not an urban community
    has_farmers = property(lambda self: self.community.kind == CommunityKind.VILLAGE)
    per_capita_previous = property(
        lambda self: self._value("previous", "per_capita_income") if self.has_farmers else None
    )
    per_capita_current = property(
        lambda self: self._value("current", "per_capita_income") if self.has_farmers else None
    )
    members_previous = property(lambda self: self._value("previous", "party_member_count"))
    members_current = property(lambda self: self._value("current", "party_member_count"))

    @property
    def income_change(self):
        if not (self.current and self.previous):
            return None
        return change_ratio(self.current.collective_income, self.previous.collective_income)

    @property
    def per_capita_change(self):
        if not (self.current and self.previous and self.has_farmers):
            return None
        return change_ratio(self.current.per_capita_income, self.previous.per_capita_income)


def _year_end(year) -> Func:
    """31 December of a year column, in SQL."""
    return Func(Cast(year, IntegerField()), Value(12), Value(31), function="make_date", output_field=DateField())


def with_roster_members(records):
    """Yearly records annotated `roster_members`: the party members on the roll on 31 December
    of the record's year wherever the community keeps a roster, else the typed count — the rule of
    `communities.selectors.apply_roster_counts`, computed in the same query for any number of
    years (that one costs a query per year)."""
    roster = PartyMember.objects.filter(community=OuterRef("community_id"))
    on_roll = (
        PartyMember.objects.filter(community=OuterRef("community_id"))
        .filter(belongs_on(_year_end(OuterRef("year"))))
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return records.annotate(
        roster_members=Case(
            When(Exists(roster), then=Coalesce(Subquery(on_roll), 0)),
            default=F("party_member_count"),
            output_field=IntegerField(),
        )
    )


def roster_counted(records) -> list:
    """The records, `party_member_count` read from the roster as `apply_roster_counts` does. One query."""
    records = list(with_roster_members(records))
    for record in records:
        record.party_member_count = record.roster_members
    return records


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


@dataclass
class Economy:
    """Chapter 四 and the dashboard's economic figures, from CommunityYear and SubDistrictYear."""

    year: int
    rows: list[CommunityRow]
    subdistrict: SubDistrictYear | None
    subdistrict_previous: SubDistrictYear | None
    history: list[dict]  # one dict per year on record: year, income, poor, members, fiscal, per_capita, letters
    # 来信来访 per year: {"total", "collective", "ledger"} — counted from the case ledger from its first
    # year on, the typed SubDistrictYear figures before it; `cases` is the ledger's detail for `year`.
    letters: dict = field(default_factory=dict)
    cases: CaseFigures | None = None
    chart_top: bool = False  # a city past CHART_MAX_COMMUNITIES: its chart shows those with the most income

    @property
    def letters_now(self) -> dict | None:
        return self.letters.get(self.year)

    @property
    def letters_before(self) -> dict | None:
        return self.letters.get(self.year - 1)

    def letters_total(self, year: int) -> int | None:
        record = self.letters.get(year)
        return record["total"] if record else None

    def _yearly(self, year: int, key: str):
        """A sub-district total of `year` from the history (summed in SQL over every community)."""
        return next((h[key] for h in self.history if h["year"] == year), None)

    @property
    def income_total(self):
        return self._yearly(self.year, "income")

    @property
    def income_total_previous(self):
        return self._yearly(self.year - 1, "income")

    @property
    def members_total(self):
        return self._yearly(self.year, "members")

    @property
    def members_total_previous(self):
        return self._yearly(self.year - 1, "members")

    @property
    def poor(self) -> list[Community]:
        return [r.community for r in self.rows if r.current and r.current.is_poor]

    @property
    def poor_previous(self) -> list[Community]:
        return [r.community for r in self.rows if r.previous and r.previous.is_poor]

    @property
    def has_previous(self) -> bool:
        return any(r.previous for r in self.rows) or self.subdistrict_previous is not None

    def figures(self) -> list[Figure]:
        sd, sdp = self.subdistrict, self.subdistrict_previous
        return [
            Figure(
                "collective_income",
                _("Collective disposable income"),
                self.income_total,
                self.income_total_previous,
                "wan",
            ),
            Figure(
                "per_capita_income",
                _("Farmers' per-capita net income"),
                sd.per_capita_income if sd else None,
                sdp.per_capita_income if sdp else None,
                "yuan",
            ),
            Figure(
                "fiscal_revenue",
                _("Fiscal revenue"),
                sd.fiscal_revenue if sd else None,
                sdp.fiscal_revenue if sdp else None,
                "wan",
            ),
            Figure(
                "letters_visits",
                _("Letters and visits"),
                self.letters_total(self.year),
                self.letters_total(self.year - 1),
                "count",
                _("cases"),
                up_is_good=False,  # fewer letters and visits is good news
            ),
            Figure(
                "poor_villages",
                _("Poor villages"),
                self._yearly(self.year, "poor"),
                self._yearly(self.year - 1, "poor"),
                "count",
                _("villages"),
                up_is_good=False,  # fewer poor villages is good news
            ),
        ]


def economy(*, year: int, with_cadres: bool = False, with_members: bool = True, chart_only: bool = False) -> Economy:
    """A fixed number of queries, however many communities there are. Without `with_members` (the
    dashboard, which shows no member count), the records keep their typed member counts and the
    history has none: the roster is not counted (40 ms a year at 3,000 communities). With
    `chart_only` (the dashboard), `rows` are only the communities the income chart shows: past
    CHART_MAX_COMMUNITIES, those with the most income this year. The totals are the history's
    either way, summed in SQL."""
    if chart_only:  # the most income first, one more than the chart shows: is the city larger?
        # Walks the index communityyear_year_income from the top, whatever the city's size; the
        # communities with no record of the year come after, by code.
        top = CommunityYear.objects.filter(year=year).select_related("community")
        top = top.order_by("-collective_income", "community__code")[: CHART_MAX_COMMUNITIES + 1]
        communities = [record.community for record in top]
        if len(communities) <= CHART_MAX_COMMUNITIES:
            unrecorded = Community.objects.exclude(pk__in=[c.pk for c in communities]).order_by("code")
            communities += unrecorded[: CHART_MAX_COMMUNITIES + 1 - len(communities)]
        larger = len(communities) > CHART_MAX_COMMUNITIES
        communities = communities[:CHART_MAX_COMMUNITIES] if larger else sorted(communities, key=lambda c: c.code)
    else:
        communities, larger = list(Community.objects.order_by("code")), False
    rows = {c.pk: CommunityRow(community=c) for c in communities}
    records = CommunityYear.objects.filter(year__in=(year, year - 1)).order_by()
    if chart_only:
        records = records.filter(community_id__in=list(rows))
    for record in roster_counted(records) if with_members else records:
        row = rows.get(record.community_id)
        if row is not None:
            setattr(row, "current" if record.year == year else "previous", record)
    if with_cadres:
        in_office = one_post_per_person(  # people, not posts: a 书记 who is also 居委会主任 counts once
            Cadre.objects.filter(term_start__lte=date(year, 12, 31)).filter(
                Q(term_end__isnull=True) | Q(term_end__gte=date(year, 1, 1))
            )
        )
        for cadre in in_office.order_by("community_id", "term_start", "name"):
            row = rows.get(cadre.community_id)
            if row is not None:
                row.cadres.append(cadre)
                if cadre.directly_elected:
                    row.elected.append(cadre)
    subdistrict_years = {y.year: y for y in SubDistrictYear.objects.all()}
    yearly = CommunityYear.objects.order_by()
    members = {"members": Sum("roster_members")} if with_members else {}
    by_year = {  # members per year as the rosters count them (issue 14), every year in one query
        r["year"]: r
        for r in (with_roster_members(yearly) if with_members else yearly)
        .values("year")
        .annotate(income=Sum("collective_income"), poor=Count("pk", filter=Q(is_poor=True)), **members)
    }
    letters = letters_by_year(subdistrict_years)
    history = []
    for y in sorted(set(by_year) | set(subdistrict_years) | set(letters)):
        if y > year:
            continue
        c, s = by_year.get(y, {}), subdistrict_years.get(y)
        history.append(
            {
                "year": y,
                "income": c.get("income"),
                "members": c.get("members"),
                "poor": c.get("poor"),
                "fiscal_revenue": s.fiscal_revenue if s else None,
                "per_capita_income": s.per_capita_income if s else None,
                "letters_visits": letters[y]["total"] if letters.get(y) else None,
            }
        )
    return Economy(
        year=year,
        rows=list(rows.values()),
        subdistrict=subdistrict_years.get(year),
        subdistrict_previous=subdistrict_years.get(year - 1),
        history=history,
        letters=letters,
        cases=case_figures(year) if (letters.get(year) or {}).get("ledger") else None,
        chart_top=larger or len(communities) > CHART_MAX_COMMUNITIES,
    )


def letters_by_year(subdistrict_years: dict) -> dict[int, dict]:
    """来信来访 and 集体上访 per year: from the case ledger for every year from its first case on (a
    year of the ledger without a case counts 0), from the typed SubDistrictYear figures before it."""
    ledger = case_counts_by_year()
    first = min(ledger) if ledger else None
    letters = {
        y: {"total": s.letters_visits, "collective": s.collective_petitions, "ledger": False}
        for y, s in subdistrict_years.items()
        if first is None or y < first
    }
    if first is not None:
        for y in range(first, max(max(ledger), max(subdistrict_years, default=first)) + 1):
            total, collective = ledger.get(y, (0, 0))
            letters[y] = {"total": total, "collective": collective, "ledger": True}
    return letters


def years_on_record() -> list[int]:
    """The years with community or sub-district figures, newest first. One query."""
    years = (
        CommunityYear.objects.order_by()
        .values_list("year", flat=True)
        .union(SubDistrictYear.objects.order_by().values_list("year", flat=True))
    )
    return sorted(years, reverse=True)


# -- charts -------------------------------------------------------------------------------------


CHART_MAX_COMMUNITIES = 30  # a larger city's chart shows the top 30; every community is in the tables


def income_chart(eco: Economy) -> charts.Chart:
    rows = [r for r in eco.rows if r.current or r.previous]
    title = _("Collective disposable income by community")
    if eco.chart_top:
        rows = sorted(rows, key=lambda r: r.current.collective_income if r.current else Decimal(-1), reverse=True)
        rows = rows[:CHART_MAX_COMMUNITIES]
        title = _("Collective disposable income: the %(count)s communities with the most") % {"count": len(rows)}
    return charts.grouped_bars(
        title=title,
        categories=[r.community.name for r in rows],
        series={
            str(eco.year - 1): [r.previous.collective_income if r.previous else None for r in rows],
            str(eco.year): [r.current.collective_income if r.current else None for r in rows],
        },
        unit=_("10k yuan"),
        horizontal=True,
    )


def trend_charts(eco: Economy) -> list[charts.Chart]:
    years = [h["year"] for h in eco.history]
    if not years:
        return []
    return [
        charts.trend_lines(
            title=_("Collective income and fiscal revenue over the years"),
            years=years,
            series={
                _("Collective disposable income"): [h["income"] for h in eco.history],
                _("Fiscal revenue"): [h["fiscal_revenue"] for h in eco.history],
            },
            unit=_("10k yuan"),
        ),
        charts.trend_lines(
            title=_("Farmers' per-capita net income over the years"),
            years=years,
            series={_("Farmers' per-capita net income"): [h["per_capita_income"] for h in eco.history]},
            unit=_("yuan"),
        ),
        charts.trend_lines(
            title=_("Letters and visits over the years"),
            years=years,
            series={_("Letters and visits"): [h["letters_visits"] for h in eco.history]},
            unit=_("cases"),
        ),
    ]


def grade_chart(grades: dict | None) -> charts.Chart | None:
    if not grades:
        return None
    return charts.distribution(title=_("Appraisal grade distribution"), counts=grades, unit=_("people"))
