"""Demo data for the demonstration-site programme: the seed's 2005 programme (DESIGN §1).

Six pilot sites with the seed's themes; 40 万元 of sub-district subsidy to 建设, 秀水 and 平丰;
152 万元 raised by the communities; a 督查指导组 meeting every Monday, two 现场会, a study visit
and a few rectification items still open. Everything goes through the services, as the demo
users (staff, inspector, the secretaries). Loading is idempotent: once the 2005 programme
exists, nothing is added.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from communities.models import Community
from jiedao.demo import secretary_username

from . import services
from .choices import EconomicTier, FundingSource, InspectionKind, RectificationStatus
from .models import Funding, Inspection, Programme, Rectification, Site, StandardCheck

YEAR = 2005

# community, theme, goal, tier, standards met (besides those closed by rectification), acceptance
SITES = [
    (
        "秀水社区",
        "城乡一体化与农家乐旅游",
        "以推进城乡一体化、加快北湖建设为目标，发展农家乐等旅游业。",
        EconomicTier.GOOD,
        "ALL",
        (date(2005, 12, 20), Decimal("93.5")),
    ),
    (
        "丛树社区",
        "基层民主政治建设与土地流转",
        "以推进基层民主政治建设为目标，加快土地流转，壮大集体经济。",
        EconomicTier.GOOD,
        ["H1", "H2", "H3", "H4", "H5", "H6", "S1", "S2", "S4", "S6"],
        None,
    ),
    (
        "建设社区",
        "党的阵地建设",
        "以党的阵地建设为目标，加强社区硬件、软件建设。",
        EconomicTier.AVERAGE,
        "ALL",
        (date(2005, 12, 20), Decimal("96.0")),
    ),
    (
        "向龙社区",
        "平安社区创建",
        "以平安社区创建为目标，加强社区治安综合治理。",
        EconomicTier.AVERAGE,
        ["H1", "H2", "H3", "H4", "H5", "S1", "S2", "S5"],
        None,
    ),
    (
        "鹤林社区",
        "失地农民再就业",
        "以解决失地农民再就业为目标，增加就业岗位，确保农民失地不失利、失地不失业。",
        EconomicTier.POOR,
        ["H1", "H2", "H3", "H5", "S1", "S2"],
        None,
    ),
    (
        "平丰社区",
        "无公害蔬菜基地",
        "以调整农业产业结构为目标，加强无公害蔬菜基地建设，确保农民稳定增收。",
        EconomicTier.POOR,
        ["H1", "H2", "H3", "H4", "S1", "S2", "S3"],
        None,
    ),
]

# (community, amount 万元, date, purpose): the sub-district's 40 万元 and the communities' 152 万元
SUBSIDIES = [
    ("建设社区", "15.00", date(2005, 4, 15), "党员活动室改造补助"),
    ("秀水社区", "12.00", date(2005, 4, 15), "创建工作经费补助"),
    ("平丰社区", "13.00", date(2005, 5, 10), "创建工作经费及相应开支"),
]
SELF_RAISED = [
    ("秀水社区", "35.00", date(2005, 6, 30), "活动阵地及农家乐配套建设"),
    ("丛树社区", "30.00", date(2005, 6, 30), "活动室、阅览室建设"),
    ("建设社区", "25.00", date(2005, 6, 30), "电教室、健身房设备"),
    ("向龙社区", "22.00", date(2005, 7, 31), "治安监控及活动室建设"),
    ("鹤林社区", "20.00", date(2005, 7, 31), "就业培训室及活动室建设"),
    ("平丰社区", "20.00", date(2005, 7, 31), "活动室及蔬菜基地宣传栏"),
]

# (community, standard, opened on the weekly meeting of, deadline, description, final state)
RECTIFICATIONS = [
    ("建设社区", "H2", date(2005, 4, 11), date(2005, 5, 10), "党员活动室使用面积不足80平方米，需调整布局。", "closed"),
    ("秀水社区", "S3", date(2005, 8, 1), date(2005, 8, 31), "党务公开栏内容未及时更新。", "closed"),
    ("丛树社区", "S3", date(2005, 11, 7), date(2005, 12, 31), "党务公开栏未按季度公开财务收支。", "open"),
    ("鹤林社区", "H4", date(2005, 11, 14), date(2005, 12, 20), "电教室远程教育设备尚未到位。", "reported"),
    ("向龙社区", "S4", date(2005, 12, 5), date(2006, 1, 15), "治安巡逻工作台账记录不全。", "open"),
]


def _photo(colour: str, label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 200, 440, 330), fill="#f5f5f5")
    draw.rectangle((60, 60, 200, 180), fill="#b71c1c")
    draw.polygon([(260, 180), (340, 70), (420, 180)], fill="#ffffff")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{label}.png", buffer.getvalue(), content_type="image/png")


def _mondays(start: date, end: date):
    day = start + timedelta(days=(7 - start.weekday()) % 7)
    while day <= end:
        yield day
        day += timedelta(days=7)


def load(*, stdout, password: str) -> None:
    if Programme.objects.filter(year=YEAR).exists():
        stdout.write("  showcase: the 2005 programme is already loaded")
        return
    users = get_user_model().objects
    staff, inspector = users.get(username="staff"), users.get(username="inspector")
    programme = services.programme_save(
        actor=staff,
        programme=Programme(
            year=YEAR,
            name="争创区级党建示范点",
            description="一点一特色、一点一示范：选择经济发展水平较好、一般、较差的6个社区党支部进行试点，"
            "实行目标管理，年底以加分形式计入三个文明建设考核总分。",
            bonus_points=Decimal("5.0"),
        ),
        load_defaults=True,
    )
    communities = {c.name: c for c in Community.objects.filter(name__in=[row[0] for row in SITES])}
    sites = {}
    for name, theme, goal, tier, _met, _acceptance in SITES:
        site = services.site_save(
            actor=staff,
            site=Site(programme=programme, community=communities[name], theme=theme, goal=goal, economic_tier=tier),
        )
        sites[name] = services.site_start(actor=staff, site=site)

    for name, amount, day, purpose in SUBSIDIES:
        services.funding_save(
            actor=staff,
            funding=_funding(sites[name], FundingSource.SUBSIDY, amount, day, purpose),
        )
    for name, amount, day, purpose in SELF_RAISED:
        services.funding_save(
            actor=staff,
            funding=_funding(sites[name], FundingSource.SELF_RAISED, amount, day, purpose),
        )

    weekly = {}
    for monday in _mondays(date(2005, 3, 1), date(2005, 12, 31)):
        weekly[monday] = services.inspection_record(
            actor=inspector,
            inspection=Inspection(
                programme=programme,
                kind=InspectionKind.WEEKLY,
                date=monday,
                participants="督查指导组全体成员",
                minutes="通报各示范点创建进度，明确下周工作重点。",
            ),
            sites=sites.values(),
        )
    for day, kind, where, minutes in [
        (
            date(2005, 6, 15),
            InspectionKind.FIELD_MEETING,
            ["建设社区"],
            "在建设社区召开阵地建设现场会，各社区交流学习。",
        ),
        (date(2005, 7, 12), InspectionKind.STUDY, list(sites), "组织社区党支部书记、组织委员到万家湾社区参观学习。"),
        (date(2005, 9, 20), InspectionKind.FIELD_MEETING, ["秀水社区"], "在秀水社区召开农家乐旅游示范现场会。"),
        (date(2005, 10, 18), InspectionKind.VISIT, ["鹤林社区", "平丰社区"], "深入社区督促指导硬件建设。"),
    ]:
        services.inspection_record(
            actor=inspector,
            inspection=Inspection(
                programme=programme,
                kind=kind,
                date=day,
                participants="督查指导组、各示范社区党支部书记",
                minutes=minutes,
            ),
            sites=[sites[n] for n in where],
        )

    standards = {s.code: s for s in programme.standards.all()}
    for name, code, opened, deadline, description, state in RECTIFICATIONS:
        item = services.rectification_open(
            actor=inspector,
            rectification=Rectification(
                site=sites[name],
                inspection=weekly[opened],
                standard=standards[code],
                description=description,
                deadline=deadline,
            ),
            photo=_photo("#9e9e9e", "before"),
        )
        if state in ("reported", "closed"):
            secretary = users.get(username=secretary_username(communities[name]))
            item = services.rectification_report(
                actor=secretary, rectification=item, note="已按要求整改到位。", photo=_photo("#4caf50", "after")
            )
        if state == "closed":
            services.rectification_close(actor=inspector, rectification=item)

    for name, _theme, _goal, _tier, met, acceptance in SITES:
        site = sites[name]
        checks = StandardCheck.objects.filter(site=site).select_related("standard")
        for check in checks:
            if check.met or (met != "ALL" and check.standard.code not in met):
                continue
            services.check_record(
                actor=inspector,
                check=check,
                met=True,
                note="经督查指导组现场查看，达到标准。",
                photo=_photo("#c62828", check.standard.code) if check.standard.code in ("H1", "S3") else None,
            )
        if acceptance:
            services.site_accept(
                actor=staff, site=site, passed=True, score=acceptance[1], accepted_on=acceptance[0], note="验收合格。"
            )
    still_open = Rectification.objects.filter(site__programme=programme).exclude(status=RectificationStatus.CLOSED)
    stdout.write(
        f"  showcase: {len(sites)} sites, {programme.inspections.count()} inspections, {still_open.count()} open items"
    )


def _funding(site, source, amount, day, purpose):
    return Funding(site=site, source=source, amount=Decimal(amount), date=day, purpose=purpose)
