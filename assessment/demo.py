"""Demo data for appraisals and training: the seed's 2005 (DESIGN §1).

- Appraisal cycles 2004 and 2005 with results for every cadre: the committee's five scores, a
  target score, and a democratic evaluation in every community — paper tallies
  everywhere, plus a few online ballots cast with one-time codes in 秀水 and 丛树. One cadre is
  vetoed in 2005, one is 不称职 in both years, one falls below 50 % satisfaction.
- The 2005 training year of the seed: 6 training classes, 2 study tours (Pearl and Yangtze River
  deltas) for the community party secretaries, 8 secretaries and directors in degree programmes,
  and the district's seminar at 电子科技大学 attended by 240 community cadres and residents'
  group leaders. The seminar's 240 is the event's `headcount`; the ~40 secretaries and directors
  on our roster also have their own attendance records.

The 2005 target scores are not typed: `assessment.demo_targets` (after the disclosure boards are
loaded) scores the 2005 target sheet from the records, finalises it — which writes each community's
result into its cadres' appraisals — and then closes the 2005 cycle. 2004 predates the target
sheets: its target scores are the figures of that year's paper sheet.

Runs through the services as the demo staff account; idempotent (a closed cycle is left alone,
events and records are found by natural key).
"""

import random
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from communities.models import Cadre, Community
from communities.selectors import one_post_per_person

from . import services
from .choices import Choice, CycleStatus, TrainingKind
from .models import Appraisal, AppraisalCycle, BallotSession, TrainingEvent, TrainingRecord

VETO_REASON = "违反廉洁自律规定，受到党内警告处分"
TARGET_SHEET_YEAR = 2005  # from this year the target score comes from the target sheet
ONLINE_COMMUNITIES = ("SQ01", "SQ02")  # 秀水, 丛树: a few ballots cast online with codes

CLASSES_2005 = [
    ("社区干部政策理论培训班（第一期）", date(2005, 3, 15), date(2005, 3, 16), Decimal(12)),
    ("社区干部依法行政培训班（第二期）", date(2005, 4, 20), date(2005, 4, 20), Decimal(8)),
    ("新农村建设与集体经济发展培训班（第三期）", date(2005, 5, 24), date(2005, 5, 26), Decimal(16)),
    ("社区党务、居务、财务公开培训班（第四期）", date(2005, 7, 12), date(2005, 7, 13), Decimal(12)),
    ("社区治安综合治理培训班（第五期）", date(2005, 9, 6), date(2005, 9, 6), Decimal(8)),
    ("规范化服务型党组织建设培训班（第六期）", date(2005, 11, 8), date(2005, 11, 9), Decimal(12)),
]
TOURS_2005 = [
    ("赴珠江三角洲学习考察", date(2005, 6, 13), date(2005, 6, 18), "广东省广州市、深圳市、东莞市", Decimal(40)),
    ("赴长江三角洲学习考察", date(2005, 10, 17), date(2005, 10, 22), "江苏省苏州市、浙江省杭州市", Decimal(40)),
]
MINIMUM_HOURS_2005 = Decimal(48)


def _staff():
    return get_user_model().objects.get(username="staff")


def _event(title, kind, start, end, place, organiser, hours, headcount=None) -> TrainingEvent:
    event = TrainingEvent.objects.filter(title=title, start_date=start).first() or TrainingEvent(
        title=title, start_date=start
    )
    event.kind, event.end_date, event.place, event.organiser = kind, end, place, organiser
    event.hours, event.headcount = hours, headcount
    return services.training_event_save(actor=_staff(), event=event)


def _attend(event: TrainingEvent, cadres) -> None:
    have = set(event.records.values_list("cadre_id", flat=True))
    TrainingRecord.objects.bulk_create([TrainingRecord(event=event, cadre=c) for c in cadres if c.pk not in have])


def load_training(*, rng: random.Random) -> None:
    staff = _staff()
    # one post per person: a 书记 who is also 居委会主任 attends once (communities' one_post_per_person)
    in_office = Cadre.objects.filter(term_end__isnull=True)
    cadres = list(one_post_per_person(in_office).select_related("community").order_by("pk"))
    secretaries = [c for c in cadres if c.post == "党支部书记"]
    heads = [c for c in cadres if c.post in ("党支部书记", "居委会主任")]
    for title, start, end, hours in CLASSES_2005:
        event = _event(title, TrainingKind.CLASS, start, end, "街道办事处三楼会议室", "街道党工委", hours)
        _attend(event, [c for c in cadres if rng.random() < 0.86])
    for title, start, end, place, hours in TOURS_2005:
        event = _event(title, TrainingKind.TOUR, start, end, place, "街道党工委", hours)
        _attend(event, secretaries)
    degree = _event(
        "社区干部大专、本科学历教育（2005级）",
        TrainingKind.DEGREE,
        date(2005, 9, 1),
        date(2007, 7, 1),
        "四川广播电视大学成华分校",
        "区委组织部、街道党工委",
        Decimal(160),
    )
    _attend(degree, heads[:8])
    seminar = _event(
        "贯彻落实科学发展观构建和谐社会研讨班",
        TrainingKind.SEMINAR,
        date(2005, 8, 22),
        date(2005, 8, 24),
        "电子科技大学",
        "区委",
        Decimal(20),
        headcount=240,
    )
    _attend(seminar, heads)
    services.training_requirement_set(actor=staff, year=2005, minimum_hours=MINIMUM_HOURS_2005)


def _scores(rng: random.Random, low: bool = False) -> dict:
    lo, hi = (55, 72) if low else (74, 98)
    return {
        f: Decimal(rng.randrange(lo, hi)) for f in ("score_de", "score_neng", "score_qin", "score_ji", "score_lian")
    }


def _split(rng: random.Random, valid: int, satisfied_share: float, unsatisfied_share: float) -> tuple[int, int, int]:
    satisfied = round(valid * satisfied_share)
    unsatisfied = min(valid - satisfied, round(valid * unsatisfied_share))
    return satisfied, valid - satisfied - unsatisfied, unsatisfied


def load_cycle(*, year: int, rng: random.Random) -> None:
    staff = _staff()
    cycle = AppraisalCycle.objects.filter(year=year).first()
    if cycle is not None and cycle.status == CycleStatus.CLOSED:
        return
    if cycle is not None and cycle.status == CycleStatus.OPEN and cycle.sessions.filter(paper_present__gt=0).exists():
        return  # scored and counted already; assessment.demo_targets writes its target scores and closes it
    if cycle is None:
        cycle = services.cycle_save(actor=staff, cycle=AppraisalCycle(year=year))
    if cycle.status == CycleStatus.DRAFT:
        services.cycle_start(actor=staff, cycle=cycle)
    appraisals = list(
        cycle.appraisals.select_related("cadre__community").order_by("cadre__community__code", "cadre_id")
    )
    last_of = {a.cadre.community.code: a.cadre_id for a in appraisals}  # each community's last cadre
    weak = {last_of.get("SQ18")}  # 不称职 in both years
    unpopular = {last_of.get("SQ12")}  # satisfaction below 50 %
    vetoed = last_of.get("SQ15") if year == 2005 else None
    for appraisal in appraisals:
        is_weak = appraisal.cadre_id in weak
        for name, value in _scores(rng, low=is_weak).items():
            setattr(appraisal, name, value)
        target = Decimal(rng.randrange(55, 70) if is_weak else rng.randrange(72, 99))
        if year < TARGET_SHEET_YEAR:  # the year's paper target sheet, from before the portal scored it
            Appraisal.objects.filter(pk=appraisal.pk).update(target_score=target)
        appraisal.report_text = (
            f"{year}年，本人在{appraisal.cadre.community.name}担任{appraisal.cadre.post}，"
            "认真履行岗位职责，围绕集体经济发展、社区服务和党务居务公开开展工作。"
        )
        if appraisal.cadre_id == vetoed:
            appraisal.veto, appraisal.veto_reason = True, VETO_REASON
        services.appraisal_save(actor=staff, appraisal=appraisal)

    by_community: dict[int, list[Appraisal]] = {}
    for appraisal in appraisals:
        by_community.setdefault(appraisal.cadre.community_id, []).append(appraisal)
    for community in Community.objects.filter(pk__in=by_community).order_by("code"):
        expected = rng.randrange(32, 46)
        session = BallotSession.objects.filter(cycle=cycle, community=community).first()
        if session is None:
            session = services.session_save(
                actor=staff, session=BallotSession(cycle=cycle, community=community, expected_voters=expected)
            )
        online = 0
        if community.code in ONLINE_COMMUNITIES and not session.codes.exists():
            codes = services.ballot_codes_issue(actor=staff, session=session, count=6)
            for code in codes[:4]:
                services.ballot_cast(
                    code=code,
                    ratings={
                        a.cadre_id: rng.choice([Choice.SATISFIED, Choice.SATISFIED, Choice.BASIC])
                        for a in by_community[community.pk]
                    },
                )
            online = 4
        present = session.expected_voters - online - rng.randrange(0, 4)
        invalid = rng.randrange(0, 3)
        valid = present - invalid
        counts = {}
        for appraisal in by_community[community.pk]:
            if appraisal.cadre_id in unpopular:
                counts[appraisal.cadre_id] = _split(rng, valid, 0.15, 0.6)
            elif appraisal.cadre_id in weak:
                # a poor evaluation: 不称职 in both years even with a fair score from the target sheet
                counts[appraisal.cadre_id] = _split(rng, valid, 0.15, 0.55)
            else:
                counts[appraisal.cadre_id] = _split(rng, valid, rng.uniform(0.6, 0.9), rng.uniform(0.0, 0.06))
        services.paper_tally_save(
            actor=staff, session=session, present=present, valid=valid, invalid=invalid, counts=counts
        )
    if year < TARGET_SHEET_YEAR:
        services.cycle_close(actor=staff, cycle=cycle)
    # else assessment.demo_targets finalises the target sheet into the appraisals, then closes it


def load(*, stdout, password: str) -> None:
    load_cycle(year=2004, rng=random.Random(2004))
    load_cycle(year=2005, rng=random.Random(2005))
    load_training(rng=random.Random(20050))  # its own generator: the same attendance on every run
    stdout.write(
        f"  appraisals: {Appraisal.objects.count()}, ballot sessions: {BallotSession.objects.count()}, "
        f"training events: {TrainingEvent.objects.count()}"
    )
