from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from disclosure import services
from disclosure.choices import Category, Frequency, Level
from disclosure.models import CatalogItem, Notice
from jiedao.models import Profile
from jiedao.permissions import ROLE_GROUPS, Role

TZ = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem
        django_get_or_create = ("level", "category", "name")

    category = Category.FINANCE
    name = "财务收支情况"
    content = "各项收入、支出明细"
    basis = "《中华人民共和国村民委员会组织法》"
    frequency = Frequency.MONTHLY
    deadline_workdays = 10
    subject = "社区居民委员会"
    channel = "社区公开栏"
    level = Level.COMMUNITY


def finance_item():
    return CatalogItemFactory(requires_statement=True)


def residents_item():
    return CatalogItemFactory(category=Category.RESIDENTS, name="最低生活保障对象", frequency=Frequency.QUARTERLY)


def board_of(community):
    return services.board_for_community(community=community)


def draft(*, author, community, item=None, title="2005年3月财务收支情况", body="<p>收支如下。</p>", **extra):
    """A draft notice saved through the service, as a secretary or staff member would."""
    item = item or residents_item()
    notice = Notice(
        board=board_of(community),
        catalog_item=item,
        title=title,
        body=body,
        period_start=extra.pop("period_start", date(2005, 3, 1)),
        **extra,
    )
    return services.notice_save(actor=author, notice=notice)


def party_item():
    """A community 党务 item: its notices keep the 街道's chain (保密审核 → 审批 → 发布)."""
    return CatalogItemFactory(category=Category.PARTY, name="党员发展情况", frequency=Frequency.QUARTERLY)


def _community_user(community, prefix: str, role: Role):
    user = get_user_model().objects.filter(profile__community=community, groups__name=ROLE_GROUPS[role]).first()
    if user is None:
        user = get_user_model().objects.create_user(username=f"{prefix}_{community.code}", password="pw-for-tests-1")
        user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])
        Profile.objects.update_or_create(user=user, defaults={"community": community})
    return user


def supervisor_of(community):
    """A member of the community's 居务监督委员会 (made if the test has none)."""
    return _community_user(community, "jw", Role.SUPERVISOR)


def secretary_of(community):
    return _community_user(community, "sj", Role.SECRETARY)


def published(*, author, reviewer, approver, community, at_=None, **kwargs):
    """A notice taken through its chain: a community's 居务/财务 notice is checked by the
    community's 居务监督委员会 and published by its secretary; any other by staff."""
    notice = draft(author=author, community=community, **kwargs)
    return through_chain(notice, author=author, reviewer=reviewer, approver=approver, at_=at_)


def through_chain(notice, *, author, reviewer, approver, at_=None):
    """Submit a draft and take it through its chain to publication."""
    services.notice_submit(actor=author, notice=notice)
    if notice.needs_committee_check:
        community = notice.board.community
        services.notice_committee_check(actor=supervisor_of(community), notice=notice)
        return services.notice_publish(actor=secretary_of(community), notice=notice, at=at_)
    services.notice_clear(actor=reviewer, notice=notice)
    services.notice_approve(actor=approver, notice=notice)
    return services.notice_publish(actor=reviewer, notice=notice, at=at_)


def finance_lines(*pairs):
    return [services.LineData(kind=k, item=i, amount=Decimal(a)) for k, i, a in pairs]
