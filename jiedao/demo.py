"""Demo data for the sub-district: its yearly indicators and one account per role.

Accounts exist only because this command made them (never a migration). They all share the
demo password, printed by `make run`; set DEMO_PASSWORD to choose another.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from communities.demo_monthly import load as load_monthly
from communities.demo_party_life import load as load_party_life
from communities.models import Community
from jiedao.models import Profile, SubDistrictYear
from jiedao.permissions import ROLE_GROUPS, Role

SUBDISTRICT_YEARS = {
    2004: {"fiscal_revenue": "1236", "letters_visits": 79, "collective_petitions": 0, "per_capita_income": "4610"},
    2005: {"fiscal_revenue": "1768", "letters_visits": 69, "collective_petitions": 0, "per_capita_income": "5406"},
}

# username, full name, role
ROLE_ACCOUNTS = [
    ("staff", "街道办 王主任", Role.STAFF),
    ("inspector", "督查组 李组长", Role.INSPECTOR),
    ("auditor", "审计员 赵会计", Role.AUDITOR),
    ("shenpi", "街道办 陈副主任（审批）", Role.STAFF),  # approves notices: the approver is never the author
]


def secretary_username(community: Community) -> str:
    return f"shuji-{community.code.lower()}"


def _account(username: str, full_name: str, role: Role, password_hash: str, community=None):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": full_name, "email": f"{username}@jiedao.invalid", "password": password_hash},
    )
    # get_or_create: the roles' migration made the groups, but a database flushed by a test has none
    user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])
    Profile.objects.update_or_create(user=user, defaults={"community": community})
    return user


def load(*, stdout, password: str) -> None:
    # One hash for every demo account: hashing is deliberately slow, and they share the password.
    password_hash = make_password(password)
    for year, figures in SUBDISTRICT_YEARS.items():
        SubDistrictYear.objects.update_or_create(
            year=year,
            defaults={k: Decimal(v) if isinstance(v, str) else v for k, v in figures.items()},
        )
    for username, full_name, role in ROLE_ACCOUNTS:
        _account(username, full_name, role, password_hash)
    for community in Community.objects.order_by("code"):
        _account(secretary_username(community), f"{community.name}书记", Role.SECRETARY, password_hash, community)
    get_user_model().objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@jiedao.invalid", "password": password_hash},
    )
    load_party_life(stdout=stdout)  # the 三会一课 register and 党费 ledger the monthly updates count
    load_monthly(stdout=stdout)  # after the secretaries' accounts: their monthly updates


def demo_accounts() -> list[tuple[str, str]]:
    """(username, who) for every demo account, in the order `make run` prints them."""
    rows = [(username, full_name) for username, full_name, _role in ROLE_ACCOUNTS]
    rows += [(secretary_username(c), f"{c.name}书记") for c in Community.objects.order_by("code")]
    return rows + [("admin", "系统管理员 (Django admin)")]
