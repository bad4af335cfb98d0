"""Demo data for the communities app: the seed's sub-district (DESIGN §1).

The 2004 and 2005 collective incomes add up to the seed's totals (450.14 and 723.76 万元);
ten villages were poor in 2004 and none in 2005. Everything is upserted by natural key, so
running it again changes nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from jiedao.identity import id_check_digit

from .choices import Committee, CommunityKind, Education, Gender, MemberCategory, PartyOrgKind
from .models import Cadre, Community, CommunityYear, PartyMember

# name, 2005 income, 2004 income (万元), poor in 2004. The 18 former villages first.
VILLAGES = [
    ("秀水", "76.26", "62.40", False),
    ("丛树", "72.80", "45.30", False),
    ("建设", "60.10", "38.70", False),
    ("向龙", "55.60", "35.20", False),
    ("鹤林", "50.20", "31.50", False),
    ("平丰", "47.90", "29.80", False),
    ("和成", "44.30", "27.60", False),
    ("天鹅", "41.80", "25.90", False),
    ("石岭", "39.50", "24.30", True),
    ("双林", "36.20", "22.10", True),
    ("龙潭", "34.70", "20.40", True),
    ("保和", "31.40", "18.60", True),
    ("新鸿", "28.60", "16.20", True),
    ("东山", "26.90", "14.50", True),
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
    ("党委书记", Committee.BOTH),
    ("居委会主任", Committee.RESIDENTS),
    ("党委副书记", Committee.PARTY),
    ("居委会副主任", Committee.RESIDENTS),
    ("党委委员", Committee.PARTY),
    ("居委会委员", Committee.RESIDENTS),
]


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


def load(*, stdout, password: str) -> None:
    rng = random.Random(2005)  # the same demo data on every machine
    rows = [(name, inc05, inc04, poor, CommunityKind.VILLAGE) for name, inc05, inc04, poor in VILLAGES]
    rows += [(name, "0", "0", False, CommunityKind.URBAN) for name in URBAN]
    # First draw everything, then write: the sub-district's area and population are rescaled to
    # the seed's totals, which needs every community's draw before the first row is written.
    communities, years, cadres, members = [], [], [], []
    serial = 0
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
                "party_org_name": f"中共{name}社区{'委员会' if index <= 6 else '总支部委员会'}",
                "party_org_kind": PartyOrgKind.COMMITTEE if index <= 6 else PartyOrgKind.GENERAL_BRANCH,
                "formerly_poor": poor04,
            }
        )
        member_count = rng.randrange(14, 26)
        for year, income, poor in ((2004, income04, poor04), (2005, income05, False)):
            per_capita = Decimal(rng.randrange(4200, 5000) + (800 if year == 2005 else 0))
            years.append(
                (
                    code,
                    year,
                    {
                        "collective_income": Decimal(income).quantize(CENT),
                        "per_capita_income": per_capita.quantize(CENT),
                        "party_member_count": member_count - (2 if year == 2004 else 0),
                        "is_poor": poor,
                    },
                )
            )
        for post_index, (post, committee) in enumerate(POSTS[: rng.randrange(5, 7)]):
            cadres.append(
                (
                    code,
                    post,
                    {
                        "name": fake_name(rng),
                        "committee": committee,
                        "term_end": None,
                        "directly_elected": post_index < 2,
                        "education": rng.choice(Education.values),
                    },
                )
            )
        for _n in range(member_count):
            serial += 1
            birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
            gender = rng.choice(Gender.values)
            id_number = fake_id_number(rng, birth, serial * 2 + (1 if gender == Gender.MALE else 0))
            members.append(
                (
                    code,
                    id_number,
                    {
                        "name": fake_name(rng),
                        "gender": gender,
                        "birth_date": birth,
                        "mobile": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
                        "joined_on": min(birth + timedelta(days=365 * rng.randrange(19, 40)), date(2005, 6, 1)),
                        "category": MemberCategory.PROBATIONARY if rng.random() < 0.05 else MemberCategory.FULL,
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
    for code, year, defaults in years:
        CommunityYear.objects.update_or_create(community=by_code[code], year=year, defaults=defaults)
    for code, post, defaults in cadres:
        Cadre.objects.update_or_create(
            community=by_code[code], post=post, term_start=date(2004, 3, 1), defaults=defaults
        )
    for code, id_number, defaults in members:
        PartyMember.objects.update_or_create(id_number=id_number, defaults={"community": by_code[code], **defaults})
    stdout.write(f"  communities: {Community.objects.count()}, party members: {PartyMember.objects.count()}")
