"""Cases through the services, as residents and staff make them."""

from datetime import date

from disclosure import services
from disclosure.models import CaseCategory, CaseChannel


def filed(
    community,
    *,
    body="楼道灯坏了三个月，请修一下。",
    contact="13812345678",
    category=CaseCategory.ENVIRONMENT,
    today=None,
):
    return services.case_file(community=community, category=category, body=body, contact=contact, today=today)


def recorded(actor, community, *, received_on=date(2005, 3, 7), channel=CaseChannel.LETTER, collective=False, **extra):
    return services.case_record(
        actor=actor,
        community=community,
        category=extra.pop("category", CaseCategory.HOUSING),
        channel=channel,
        body=extra.pop("body", "来信反映小区漏水。"),
        contact=extra.pop("contact", "张先生 13912345678"),
        collective=collective,
        received_on=received_on,
    )
