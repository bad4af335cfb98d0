"""Demo data for the communities app: the seed's sub-district (DESIGN §1).

The 2004 and 2005 collective incomes add up to the seed's totals (450.14 and 723.76 万元);
ten villages were poor in 2004 and none in 2005. Everything is upserted by natural key, so
running it again changes nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count

from jiedao.identity import id_check_digit

from .choices import Committee, CommunityKind, Education, Gender, OrgKind, OrgPostTitle, PartyOrgKind, TransferKind
from .models import (
    Cadre,
    Community,
    CommunityYear,
    FlowRecord,
    OrgPost,
    PartyMember,
    PartyOrganisation,
    Person,
    Recruit,
    Transfer,
    add_years,
)

# name, 2005 income, 2004 income (万元), poor in 2004. The 18 former villages first. The incomes
# agree with the demonstration sites' tiers (showcase/demo.py, the seed's 较好、一般、较差): by
# income 秀水 and 丛树 are in the top third of the villages, 建设 and 向龙 in the middle third,
# 鹤林 and 平丰 in the bottom third (both years; tests/showcase/test_tiers.py).
VILLAGES = [
    ("秀水", "76.26", "62.40", False),
    ("丛树", "72.80", "45.30", False),
    ("建设", "44.30", "27.60", False),
    ("向龙", "41.80", "25.90", False),
    ("鹤林", "28.60", "16.20", True),
    ("平丰", "26.90", "14.50", True),
    ("和成", "60.10", "38.70", False),
    ("天鹅", "55.60", "35.20", False),
    ("石岭", "50.20", "31.50", False),
    ("双林", "47.90", "29.80", False),
    ("龙潭", "39.50", "24.30", True),
    ("保和", "36.20", "22.10", True),
    ("新鸿", "34.70", "20.40", True),
    ("东山", "31.40", "18.60", True),
    ("金龙", "24.10", "12.30", True),
    ("白莲", "21.80", "10.40", True),
    ("五桂", "19.40", "13.14", True),
    ("洪河", "12.20", "1.80", True),
]
URBAN = ["华林", "青龙"]
DEMO_YEARS = (2004, 2005)
SEED_AREA_KM2 = Decimal("37.61")  # 幅员面积37.61平方公里
SEED_POPULATION = 99_680  # 总人口近10万人
CENT = Decimal("0.01")  # stored as the database returns it, so a second run logs no change

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "国华建明秀英志强丽娟文军永红德平玉兰海燕俊杰春梅淑芬家伟立新桂芳世荣晓东学军"
POSTS = [
    ("党支部书记", Committee.PARTY),
    ("居委会主任", Committee.RESIDENTS),
    ("党支部副书记", Committee.PARTY),
    ("居委会副主任", Committee.RESIDENTS),
    ("党支部委员", Committee.PARTY),
    ("居委会委员", Committee.RESIDENTS),
]
# One person, two posts (书记 and 居委会主任, 一肩挑) in these communities.
ONE_PERSON_TWO_POSTS = ("和成", "秀水", "东山")
MEMBERS_2005 = 409  # on the rolls at the end of 2005 (the seed's figure)
NEW_2005 = 24  # admitted as probationary members in 2005 (新发展党员)
TERM = (date(2004, 3, 1), date(2007, 2, 28))  # the branches' and the two committees' term


def community_code(index: int) -> str:
    return f"SQ{index:02d}"


def fake_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def fake_id_number(rng: random.Random, birth: date, serial: int) -> str:
    first17 = f"510108{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_digit(first17)


def _scaled(raw: list[Decimal], total: Decimal, places: Decimal) -> list[Decimal]:
    """`raw` shares rescaled to add up to exactly `total`; the last one takes the rounding."""
    factor = total / sum(raw)
    scaled = [(value * factor).quantize(places) for value in raw[:-1]]
    return [*scaled, total - sum(scaled)]


def _member_counts(rng: random.Random, n: int) -> list[int]:
    """Members per community, 14–25 each, adding up to the seed's 409."""
    counts = [rng.randrange(14, 26) for _ in range(n)]
    i = 0
    while sum(counts) != MEMBERS_2005:
        step = 1 if sum(counts) < MEMBERS_2005 else -1
        if 14 <= counts[i % n] + step <= 28:
            counts[i % n] += step
        i += 1
    return counts


def _day_in(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(0, (end - start).days + 1))


def load(*, stdout, password: str) -> None:
    rng = random.Random(2005)  # the same demo data on every machine
    rows = [(name, inc05, inc04, poor, CommunityKind.VILLAGE) for name, inc05, inc04, poor in VILLAGES]
    rows += [(name, "0", "0", False, CommunityKind.URBAN) for name in URBAN]
    # First draw everything, then write: the sub-district's area and population are rescaled to
    # the seed's totals, which needs every community's draw before the first row is written.
    communities, years = [], []
    for index, (name, income05, income04, poor04, kind) in enumerate(rows, start=1):
        code = community_code(index)
        households = rng.randrange(1200, 2600)
        area = Decimal(rng.randrange(80, 320)) / 100
        population = households * 3 + rng.randrange(0, 900)
        communities.append(
            {
                "code": code,
                "name": f"{name}社区",
                "kind": kind,
                "area_km2": area,
                "households": households,
                "population": population,
                # About 20 members each: a 社区党支部 (a 总支 needs about 50, a 党委 about 100).
                "party_org_name": f"中共{name}社区支部委员会",
                "party_org_kind": PartyOrgKind.BRANCH,
                "formerly_poor": poor04,
            }
        )
        for year, income, poor in ((2004, income04, poor04), (2005, income05, False)):
            per_capita = Decimal(rng.randrange(4200, 5000) + (800 if year == 2005 else 0))
            years.append(
                (
                    code,
                    year,
                    {
                        "collective_income": Decimal(income).quantize(CENT),
                        "per_capita_income": per_capita.quantize(CENT),
                        "is_poor": poor,
                    },
                )
            )

    areas = _scaled([c["area_km2"] for c in communities], SEED_AREA_KM2, CENT)
    people = _scaled([Decimal(c["population"]) for c in communities], Decimal(SEED_POPULATION), Decimal(1))
    by_code = {}
    for row, area, population in zip(communities, areas, people, strict=True):
        row["area_km2"] = area
        row["households"] = round(row["households"] * population / row["population"])
        row["population"] = int(population)
        code = row.pop("code")
        by_code[code], _ = Community.objects.update_or_create(code=code, defaults=row)
    _load_party(rng, list(by_code.values()))
    counts = {
        year: dict(
            PartyMember.objects.active_on(date(year, 12, 31))
            .values("community")
            .annotate(n=Count("pk"))
            .values_list("community", "n")
        )
        for year in DEMO_YEARS
    }
    for code, year, defaults in years:
        community = by_code[code]
        defaults["party_member_count"] = counts[year].get(community.pk, 0)  # the roster's count
        CommunityYear.objects.update_or_create(community=community, year=year, defaults=defaults)
    stdout.write(
        f"  communities: {Community.objects.count()}, party members at the end of 2005: "
        f"{PartyMember.objects.active_on(date(2005, 12, 31)).count()} "
        f"({PartyMember.objects.newly_developed_in(2005).count()} newly developed), "
        f"party organisations: {PartyOrganisation.objects.count()}"
    )


def _person(community: Community, values: dict) -> Person:
    if values.get("id_number"):
        person, _ = Person.objects.update_or_create(
            id_number=values["id_number"], defaults={"community": community, **values}
        )
        return person
    person, _ = Person.objects.update_or_create(
        community=community, name=values["name"], id_number__isnull=True, defaults=values
    )
    return person


def _load_party(rng: random.Random, communities: list[Community]) -> None:
    """The tree, the rosters with every date their status follows, posts, recruits, transfers."""
    root, _ = PartyOrganisation.objects.update_or_create(
        name="中共街道工作委员会",
        defaults={"kind": OrgKind.WORKING_COMMITTEE, "community": None, "parent": None, "founded_on": date(1984, 7, 1)},
    )
    counts = _member_counts(rng, len(communities))
    new_per = [0] * len(communities)
    while sum(new_per) < NEW_2005:
        i = rng.randrange(len(communities))
        if new_per[i] < 3:
            new_per[i] += 1
    serial = 0
    letters = 0
    for index, community in enumerate(communities):
        short = community.name.removesuffix("社区")
        branch, _ = PartyOrganisation.objects.update_or_create(
            name=community.party_org_name,
            defaults={
                "kind": OrgKind.BRANCH,
                "community": community,
                "parent": root,
                "founded_on": date(rng.randrange(1956, 1980), rng.randrange(1, 13), 1),
                "term_start": TERM[0],
                "term_end": TERM[1],
            },
        )
        groups = []
        for label in ("第一", "第二", "第三")[: 2 + (counts[index] > 20)]:
            group, _ = PartyOrganisation.objects.update_or_create(
                name=f"{short}社区{label}党小组",
                defaults={"kind": OrgKind.GROUP, "community": community, "parent": branch, "founded_on": TERM[0]},
            )
            groups.append(group)
        members = []
        # Transfers and 流动党员 in a few communities: one left in 2005 (on the 2004 roll only),
        # one arrived in 2005 (one of the 409, not newly developed), one away working elsewhere.
        leaves = index % 5 == 0
        arrives = index % 7 == 3
        for n in range(counts[index] + (1 if leaves else 0)):
            serial += 1
            is_new = n < new_per[index]
            if is_new:
                birth = _day_in(rng, date(1968, 1, 1), date(1984, 12, 31))
            else:
                birth = _day_in(rng, date(1935, 1, 1), date(1979, 12, 31))
            gender = rng.choice(Gender.values)
            id_number = fake_id_number(rng, birth, serial * 2 + (1 if gender == Gender.MALE else 0))
            name = "韩芬" if short == "和成" and n == counts[index] - 1 else fake_name(rng)
            values = {
                "name": name,
                "gender": gender,
                "birth_date": birth,
                "id_number": id_number,
                "mobile": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                "education": rng.choice(Education.values),
            }
            person = _person(community, values)
            if is_new:
                joined = _day_in(rng, date(2005, 1, 10), date(2005, 11, 20))
                approved = joined + timedelta(days=rng.randrange(15, 30))
                oath = approved + timedelta(days=rng.randrange(5, 15))
            else:
                earliest = add_years(birth, 19)
                joined = _day_in(rng, earliest, max(earliest, min(add_years(birth, 45), date(2004, 11, 30))))
                approved = oath = None
            defaults = {
                "community": community,
                "person": person,
                "branch": branch,
                "group": groups[n % len(groups)],
                "name": name,
                "gender": gender,
                "birth_date": birth,
                "mobile": values["mobile"],
                "joined_on": joined,
                "approved_on": approved,
                "oath_on": oath,
                "full_on": add_years(joined, 1),  # 按期转正 (the 2005 intake in 2006)
                "arrived_on": None,
                "left_on": None,
            }
            member, _ = PartyMember.objects.update_or_create(id_number=id_number, defaults=defaults)
            members.append(member)
            if is_new:
                applied = add_years(joined, -3)
                activist = applied + timedelta(days=rng.randrange(60, 120))
                candidate = add_years(activist, 1) + timedelta(days=rng.randrange(10, 60))
                review = candidate + timedelta(days=rng.randrange(20, 60))
                publicity_start = review + timedelta(days=3)
                Recruit.objects.update_or_create(
                    person=person,
                    defaults={
                        "community": community,
                        "branch": branch,
                        "applied_on": applied,
                        "activist_on": activist,
                        "contacts": "、".join(fake_name(rng) for _ in range(2)),
                        "candidate_on": candidate,
                        "review_on": review,
                        "publicity_start": publicity_start,
                        "publicity_end": publicity_start + timedelta(days=9),  # two weeks: ≥ 5 working days
                        "branch_meeting_on": joined,
                        "approved_on": approved,
                        "member": member,
                    },
                )
        old = [m for m in members if m.joined_on.year < 2005]
        if leaves:
            leaver = old[-1]
            leaver.left_on = date(2005, rng.randrange(3, 11), rng.randrange(1, 28))
            leaver.save(update_fields=["left_on", "updated_at"])
            letters += 1
            Transfer.objects.update_or_create(
                number=f"2005-{letters:03d}",
                defaults={
                    "member": leaver,
                    "kind": TransferKind.OUT,
                    "effective_on": leaver.left_on,
                    "counterpart": rng.choice(["中共成华区建设路街道工作委员会", "中共锦江区春熙路街道工作委员会"]),
                    "receipt_on": leaver.left_on + timedelta(days=40) if letters % 4 else None,
                    "created_by": None,
                },
            )
        if arrives:
            comer = old[0]
            comer.arrived_on = date(2005, rng.randrange(2, 12), rng.randrange(1, 28))
            comer.save(update_fields=["arrived_on", "updated_at"])
            Transfer.objects.update_or_create(
                member=comer,
                kind=TransferKind.IN,
                effective_on=comer.arrived_on,
                defaults={"counterpart": "中共郫县犀浦镇委员会", "created_by": None},
            )
        if index % 4 == 1:
            away = old[1]
            FlowRecord.objects.update_or_create(
                member=away,
                left_on=date(2005, 3, 1),
                defaults={
                    "location": rng.choice(["广东省东莞市", "浙江省义乌市", "新疆维吾尔自治区乌鲁木齐市"]),
                    "contact": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                    "inflow_organisation": "外出务工人员流动党员党支部",
                    "created_by": None,
                },
            )
        _load_posts(rng, community, branch, [m for m in members if m.left_on is None and m.joined_on.year < 2005])
        # one applicant on the way in each community (an activist since 2005)
        serial += 1
        birth = _day_in(rng, date(1975, 1, 1), date(1986, 12, 31))
        gender = rng.choice(Gender.values)
        applicant = _person(
            community,
            {
                "name": fake_name(rng),
                "gender": gender,
                "birth_date": birth,
                "id_number": fake_id_number(rng, birth, serial * 2 + (1 if gender == Gender.MALE else 0)),
                "education": rng.choice(Education.values),
            },
        )
        applied = date(2004, rng.randrange(3, 12), rng.randrange(1, 28))
        Recruit.objects.update_or_create(
            person=applicant,
            defaults={
                "community": community,
                "branch": branch,
                "applied_on": applied,
                "activist_on": applied + timedelta(days=90),
                "contacts": "、".join(fake_name(rng) for _ in range(2)),
            },
        )


def _load_posts(rng: random.Random, community: Community, branch: PartyOrganisation, members: list) -> None:
    """The two committees' posts (Cadre) and the branch's posts (OrgPost). Party posts are held
    by members; in ONE_PERSON_TWO_POSTS the 书记 is also 居委会主任: one Person, two posts."""
    short = community.name.removesuffix("社区")
    holders = members[-3:]
    party = iter(reversed(holders))  # 韩芬, the last drawn in 和成, is its 书记
    titles = {
        "党支部书记": OrgPostTitle.SECRETARY,
        "党支部副书记": OrgPostTitle.DEPUTY,
        "党支部委员": OrgPostTitle.MEMBER,
    }
    secretary = None
    taken = {m.name for m in members}
    for post_index, (post, committee) in enumerate(POSTS[: rng.randrange(5, 7)]):
        if committee == Committee.PARTY:
            member = next(party)
            person = member.person
            secretary = secretary or person
        elif post == "居委会主任" and short in ONE_PERSON_TWO_POSTS:
            person = secretary
        else:
            name = fake_name(rng)
            while name in taken:  # another human: never merged with a namesake
                name = fake_name(rng)
            taken.add(name)
            person = _person(community, {"name": name, "education": rng.choice(Education.values)})
        Cadre.objects.update_or_create(
            community=community,
            post=post,
            term_start=TERM[0],
            defaults={
                "name": person.name,
                "person": person,
                "committee": committee,
                "term_end": None,
                "directly_elected": post_index == 0,  # 公推直选: the 书记, a party post
                "education": person.education,
            },
        )
        if post in titles:
            OrgPost.objects.update_or_create(
                organisation=branch,
                title=titles[post],
                start_on=TERM[0],
                defaults={"person": person, "end_on": TERM[1], "directly_elected": post_index == 0},
            )
