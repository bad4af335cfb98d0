"""A synthetic city for benchmarks (`manage.py seed_scale`): N communities, each with its board,
secretary, cadres, party members, yearly figures and monthly updates, and Y years of published
notices with their revisions and review steps, plus a demonstration programme with sites.

This is a benchmark fixture, not demo data: the rows are written with bulk_create in batches
(no per-row service, no audit entry), so that 3,000 communities load in minutes. What the pages
read is consistent: every community has its board and its secretary, every published notice its
revision and review chain, every submitted monthly update its submission time.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from communities import services as communities_services
from communities.choices import Committee, CommunityKind, Education, Gender, MonthlyStatus
from communities.models import Cadre, Community, CommunityYear, MonthlyUpdate, PartyMember, add_years
from disclosure import demo as disclosure_demo
from disclosure import services as disclosure_services
from disclosure.catalogue import install as install_catalogue
from disclosure.models import Board, CatalogItem
from jiedao.demo import ROLE_ACCOUNTS, _account
from jiedao.identity import id_check_digit
from jiedao.models import Profile, SubDistrictYear
from jiedao.permissions import ROLE_GROUPS, Role
from showcase.choices import EconomicTier, SiteStatus
from showcase.defaults import DEFAULT_STANDARDS
from showcase.models import Programme, Site, Standard, StandardCheck

LAST_YEAR = 2005  # the seed's year: the history runs up to it, as the demo's does
TZ = ZoneInfo("Asia/Shanghai")
BATCH = 2000
PLACES = "秀水丛树建设向龙鹤林平丰和成天鹅石岭双林龙潭保和新鸿东山金龙白莲五桂洪河华林青龙"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "国华建明秀英志强丽娟文军永红德平玉兰海燕俊杰春梅淑芬家伟立新桂芳世荣晓东学军"
POSTS = [
    ("党委书记", Committee.BOTH),
    ("居委会主任", Committee.RESIDENTS),
    ("党委副书记", Committee.PARTY),
    ("居委会副主任", Committee.RESIDENTS),
    ("党委委员", Committee.PARTY),
    ("居委会委员", Committee.RESIDENTS),
]


def is_empty() -> bool:
    return not Community.objects.exists()


def prepare_empty() -> None:
    """What the migrations put in an empty database (after `flush`): the role groups, the
    catalogue and the sub-district's board."""
    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)
    install_catalogue(CatalogItem)
    disclosure_services.subdistrict_board()


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def _id_number(birth: date, serial: int) -> str:
    # Region code and sequence both from the serial: unique however many members there are.
    first17 = f"{110101 + serial // 1000:06d}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_digit(first17)


def build(*, communities: int, history_years: int, password: str, stdout) -> dict[str, int]:
    """Write the city into an empty database; returns the counts written."""
    years = list(range(LAST_YEAR - history_years + 1, LAST_YEAR + 1))
    rng = random.Random(f"scale-{communities}")
    password_hash = make_password(password)
    with transaction.atomic():
        prepare_empty()
        for username, full_name, role in ROLE_ACCOUNTS:
            _account(username, full_name, role, password_hash)
        staff = get_user_model().objects.get(username="staff")
        approver = get_user_model().objects.get(username=disclosure_demo.APPROVER[0])
        for year in years:
            SubDistrictYear.objects.update_or_create(
                year=year,
                defaults={
                    "fiscal_revenue": Decimal(1000 + 100 * (year - years[0])),
                    "letters_visits": rng.randrange(40, 90),
                    "per_capita_income": Decimal(3500 + 300 * (year - years[0])),
                },
            )
        city = _communities(communities, years, rng, password_hash)
    stdout.write(f"  {len(city)} communities with boards, secretaries, cadres and members")
    with transaction.atomic():
        monthly = _monthly_updates(city, years, rng, staff)
    stdout.write(f"  {monthly} monthly updates")
    notices = 0
    for year in years:
        with transaction.atomic():
            notices += disclosure_demo.bulk_year(year=year, rng=random.Random(year), staff=staff, approver=approver)
        stdout.write(f"  notices of {year}: {notices} so far")
    with transaction.atomic():
        sites = _showcase(city, rng, staff)
    stdout.write(f"  {sites} demonstration sites")
    return {"communities": len(city), "monthly_updates": monthly, "notices": notices, "sites": sites}


def _communities(count: int, years: list[int], rng: random.Random, password_hash: str) -> list[tuple]:
    """Communities, their boards, secretaries (account and profile), cadres, members and years.
    Returns (community, secretary) pairs."""
    rows = []
    for index in range(1, count + 1):
        place = PLACES[(index - 1) % len(PLACES)] + PLACES[(index * 7) % len(PLACES)]
        households = rng.randrange(800, 2600)
        rows.append(
            Community(
                code=f"SC{index:04d}",
                name=f"{place}{index}社区",
                kind=CommunityKind.URBAN if index % 10 == 0 else CommunityKind.VILLAGE,
                area_km2=Decimal(rng.randrange(80, 320)) / 100,
                households=households,
                population=households * 3 + rng.randrange(0, 900),
                party_org_name=f"中共{place}{index}社区总支部委员会",
                formerly_poor=rng.random() < 0.3,
            )
        )
    created = Community.objects.bulk_create(rows, batch_size=BATCH)
    Board.objects.bulk_create(
        [Board(community=c, slug=c.code.lower(), name=c.name, order=1) for c in created], batch_size=BATCH
    )

    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=f"shuji-{c.code.lower()}",
                first_name=f"{c.name}书记",
                email=f"shuji-{c.code.lower()}@jiedao.invalid",
                password=password_hash,
            )
            for c in created
        ],
        batch_size=BATCH,
    )
    group = Group.objects.get(name=ROLE_GROUPS[Role.SECRETARY])
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=BATCH
    )
    Profile.objects.bulk_create(
        [Profile(user=u, community=c) for u, c in zip(users, created, strict=True)], batch_size=BATCH
    )

    cadres, members, community_years = [], [], []
    serial = 0
    for community in created:
        member_count = rng.randrange(14, 26)
        for offset, year in enumerate(years):
            community_years.append(
                CommunityYear(
                    community=community,
                    year=year,
                    collective_income=Decimal(rng.randrange(500, 8000)) / 100,
                    per_capita_income=Decimal(3500 + 300 * offset + rng.randrange(0, 800)),
                    party_member_count=member_count - (len(years) - 1 - offset) // 3,
                    is_poor=community.formerly_poor and offset < len(years) - 1,
                )
            )
        for post_index, (post, committee) in enumerate(POSTS):
            cadres.append(
                Cadre(
                    community=community,
                    name=_name(rng),
                    post=post,
                    committee=committee,
                    term_start=date(LAST_YEAR - 1, 3, 1),
                    directly_elected=post_index < 2 and committee != Committee.RESIDENTS,
                    education=rng.choice(Education.values),
                )
            )
        for _n in range(member_count):
            serial += 1
            birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
            joined = min(birth + timedelta(days=365 * rng.randrange(19, 40)), date(LAST_YEAR, 6, 1))
            members.append(
                PartyMember(
                    community=community,
                    name=_name(rng),
                    gender=rng.choice(Gender.values),
                    birth_date=birth,
                    id_number=_id_number(birth, serial),
                    mobile=f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                    joined_on=joined,
                    # status follows the dates: 转正 a year after joining, unless joined within the year
                    full_on=add_years(joined, 1) if joined < date(LAST_YEAR - 1, 6, 1) else None,
                )
            )
    CommunityYear.objects.bulk_create(community_years, batch_size=BATCH)
    Cadre.objects.bulk_create(cadres, batch_size=BATCH)
    PartyMember.objects.bulk_create(members, batch_size=BATCH)
    return list(zip(created, users, strict=True))


def _monthly_updates(city: list[tuple], years: list[int], rng: random.Random, staff) -> int:
    """Every month of every year reported; all accepted except the last months of the last year,
    which are spread over the workflow's states as a live month would be."""
    rows = []
    for community, secretary in city:
        for year in years:
            for month in range(1, 13):
                period = date(year, month, 1)
                submitted = _at(period + timedelta(days=rng.randrange(31, 38)), 16)
                status = MonthlyStatus.ACCEPTED
                if year == years[-1] and month >= 11:
                    status = rng.choice(list(MonthlyStatus))
                done = status != MonthlyStatus.DRAFT
                rows.append(
                    MonthlyUpdate(
                        community=community,
                        period=period,
                        status=status,
                        key_work=f"{community.name}{year}年{month}月重点工作：组织生活、便民服务、环境整治。",
                        member_activities="主题党日活动，党员志愿服务。",
                        collective_income=Decimal(rng.randrange(0, 800)) / 100,
                        activity_count=rng.randrange(1, 6),
                        participant_count=rng.randrange(10, 60),
                        letters_visits=rng.randrange(0, 4),
                        volunteer_hours=rng.randrange(0, 120),
                        branch_committee_meetings=1,
                        general_meetings=1 if month % 3 == 0 else 0,
                        group_meetings=1,
                        party_lectures=1 if month % 3 == 0 else 0,
                        theme_days=1,
                        created_by=secretary,
                        updated_by=secretary,
                        submitted_at=submitted if done else None,
                        submitted_by=secretary if done else None,
                        first_submitted_at=submitted if done else None,
                        is_late=done and submitted.day > 5,
                        reviewed_at=submitted + timedelta(days=2) if status == MonthlyStatus.ACCEPTED else None,
                        reviewed_by=staff if status == MonthlyStatus.ACCEPTED else None,
                    )
                )
        if len(rows) >= BATCH * 5:
            MonthlyUpdate.objects.bulk_create(rows, batch_size=BATCH)
            rows.clear()
    MonthlyUpdate.objects.bulk_create(rows, batch_size=BATCH)
    communities_services.monthly_tally_rebuild()  # bulk_create sends no signal
    return MonthlyUpdate.objects.count()


def _showcase(city: list[tuple], rng: random.Random, staff) -> int:
    """The last year's programme with the default standards; one community in four a site."""
    programme = Programme.objects.create(year=LAST_YEAR, name=f"{LAST_YEAR}年党建示范点创建", bonus_points=2)
    standards = Standard.objects.bulk_create(
        [
            Standard(programme=programme, code=code, category=category, title=str(title), description=str(text),
                     points=points, required=required)
            for code, category, title, text, points, required in DEFAULT_STANDARDS
        ]
    )  # fmt: skip
    sites = []
    for index, (community, _secretary) in enumerate(city):
        if index % 4:
            continue
        status = rng.choice([SiteStatus.APPLIED, SiteStatus.BUILDING, SiteStatus.BUILDING, SiteStatus.ACCEPTED])
        accepted = status == SiteStatus.ACCEPTED
        sites.append(
            Site(
                programme=programme,
                community=community,
                theme=rng.choice(["服务型党组织", "产业发展", "和谐社区", "村务公开"]),
                economic_tier=rng.choice(EconomicTier.values),
                status=status,
                accepted_on=date(LAST_YEAR, 12, 1) if accepted else None,
                acceptance_score=Decimal(rng.randrange(800, 990)) / 10 if accepted else None,
            )
        )
    sites = Site.objects.bulk_create(sites, batch_size=BATCH)
    checked = _at(date(LAST_YEAR, 10, 1))
    StandardCheck.objects.bulk_create(
        [
            StandardCheck(site=site, standard=standard, met=rng.random() < 0.7, checked_by=staff, checked_at=checked)
            for site in sites
            if site.status != SiteStatus.APPLIED
            for standard in standards
        ],
        batch_size=BATCH,
    )
    return len(sites)
