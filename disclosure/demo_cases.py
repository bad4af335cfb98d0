"""Demo data of the case ledger: the seed's letters and visits as cases — 79 in 2004 and 69 in
2005, no collective petition — spread over the communities, the categories and the three channels
(letters, visits, calls), almost all answered within their deadline, closed and rated by the
residents (most satisfied). Idempotent: the two years are made once.

Every case goes through the services (record, assign, answer, close, rate) so it carries its real
events; the answer's and the closing's moments are then set back into 2004/2005 with the ORM, since
the services stamp them with the present time."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from communities.models import Community
from jiedao.permissions import Role, users_with_role

from . import services
from .models import Case, CaseCategory, CaseChannel, CaseEvent, CaseEventKind, Satisfaction

TZ = ZoneInfo("Asia/Shanghai")
YEARS = {2004: 79, 2005: 69}  # the seed: letters and visits fell from 79 to 69, no collective petition

TEXTS = {
    CaseCategory.ENVIRONMENT: ["反映小区垃圾清运不及时", "反映排水沟堵塞，雨天积水", "反映养殖场异味扰民"],
    CaseCategory.SAFETY: ["反映夜间路灯损坏存在安全隐患", "反映农贸市场周边交通秩序混乱"],
    CaseCategory.HOUSING: ["反映安置房屋顶渗漏", "反映新村建设安置标准的疑问"],
    CaseCategory.LAND: ["咨询土地流转收益分配办法", "反映征地补偿款发放进度", "对场镇改造拆迁补偿标准提出意见"],
    CaseCategory.WELFARE: ["申请最低生活保障的办理程序", "咨询失地农民养老保险参保"],
    CaseCategory.EMPLOYMENT: ["失地农民希望参加再就业培训", "咨询农家乐开办的扶持政策"],
    CaseCategory.DISPUTE: ["邻里宅基地界线纠纷请求调解", "反映相邻房屋排水引起的纠纷"],
    CaseCategory.OTHER: ["对社区公开栏内容提出建议", "咨询社区服务站办事时间"],
}
REPLIES = {
    CaseCategory.ENVIRONMENT: "已协调环卫所加密清运并疏通沟渠，社区将每周巡查。",
    CaseCategory.SAFETY: "已报修路灯并联系派出所加强巡逻。",
    CaseCategory.HOUSING: "已组织施工单位维修，并将安置标准书面答复来信人。",
    CaseCategory.LAND: "已将土地流转及补偿政策当面解释，并在居务公开栏公布分配明细。",
    CaseCategory.WELFARE: "已告知办理程序并协助提交申请材料。",
    CaseCategory.EMPLOYMENT: "已推荐参加街道再就业培训班并介绍扶持政策。",
    CaseCategory.DISPUTE: "已由社区调解委员会调解，双方达成协议。",
    CaseCategory.OTHER: "感谢建议，已采纳并调整。",
}
CHANNELS = [CaseChannel.VISIT] * 5 + [CaseChannel.LETTER] * 3 + [CaseChannel.CALL] * 2


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def load(*, stdout, password: str = "") -> None:
    if Case.objects.filter(received_on__year__in=list(YEARS)).exists():
        return
    staff = get_user_model().objects.filter(username="staff").first() or users_with_role(Role.STAFF).first()
    communities = list(Community.objects.order_by("code"))
    if staff is None or not communities:
        return
    secretaries = {u.profile.community_id: u for u in users_with_role(Role.SECRETARY).select_related("profile")}
    rng = random.Random(2005)
    categories = list(TEXTS)
    for year, count in YEARS.items():
        days = sorted(date(year, 1, 4) + timedelta(days=rng.randrange(0, 340)) for _i in range(count))
        for n, day in enumerate(days):
            community = communities[(n * 7 + year) % len(communities)]
            category = categories[rng.randrange(len(categories))]
            new = services.case_record(
                actor=staff,
                community=community,
                category=category,
                channel=CHANNELS[rng.randrange(len(CHANNELS))],
                body=f"{TEXTS[category][rng.randrange(len(TEXTS[category]))]}。",
                received_on=day,
            )
            case = new.case
            handler = secretaries.get(community.pk, staff)
            services.case_assign(actor=staff, case=case, handler=handler)
            services.case_reply(actor=handler, case=case, reply=REPLIES[category])
            services.case_close(actor=handler, case=case)
            if rng.random() < 0.04:  # a few answered after the deadline
                replied_on = case.deadline + timedelta(days=3)
            else:
                replied_on = min(day + timedelta(days=rng.randrange(1, 6)), case.deadline)
            replied = _at(replied_on, 15)
            closed = replied + timedelta(days=1)
            roll = rng.random()
            satisfaction = (
                Satisfaction.SATISFIED
                if roll < 0.8
                else Satisfaction.BASICALLY
                if roll < 0.98
                else Satisfaction.DISSATISFIED
            )
            services.case_rate(code=new.code, satisfaction=satisfaction)
            Case.objects.filter(pk=case.pk).update(replied_at=replied, closed_at=closed, created_at=_at(day, 9))
            when = {
                CaseEventKind.RECORDED: _at(day, 9),
                CaseEventKind.ASSIGNED: _at(day, 11),
                CaseEventKind.REPLIED: replied,
                CaseEventKind.CLOSED: closed,
                CaseEventKind.RATED: closed + timedelta(days=2),
            }
            for kind, at in when.items():
                CaseEvent.objects.filter(case=case, kind=kind).update(at=at)
    stdout.write(f"  诉求台账：{sum(YEARS.values())} 件（{', '.join(f'{y}年 {n} 件' for y, n in YEARS.items())}）")
