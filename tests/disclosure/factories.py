from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from disclosure import services
from disclosure.choices import Category, Frequency, Level
from disclosure.models import CatalogItem, Notice

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


def published(*, author, reviewer, approver, community, at_=None, **kwargs):
    notice = draft(author=author, community=community, **kwargs)
    services.notice_submit(actor=author, notice=notice)
    services.notice_clear(actor=reviewer, notice=notice)
    services.notice_approve(actor=approver, notice=notice)
    return services.notice_publish(actor=reviewer, notice=notice, at=at_)


def finance_lines(*pairs):
    return [services.LineData(kind=k, item=i, amount=Decimal(a)) for k, i, a in pairs]
