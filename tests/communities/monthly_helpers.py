"""Helpers for the monthly-update tests: content, times, tiny real pictures."""

import io
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.services import monthly_update_create

TZ = ZoneInfo("Asia/Shanghai")
CONTENT = {
    "key_work": "推进土地流转，召开院坝会。",
    "member_activities": "全体党员集中学习两次。",
    "problems": "活动场地不足。",
    "next_plan": "召开党员大会。",
    "collective_income": Decimal("5.20"),
    "activity_count": 3,
    "participant_count": 45,
    "new_members": 0,
    "letters_visits": 1,
    "volunteer_hours": 120,
    "branch_committee_meetings": 1,
    "general_meetings": 1,
    "group_meetings": 2,
    "party_lectures": 1,
    "theme_days": 1,
}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def make_update(secretary, community, period=date(2005, 3, 1), **overrides):
    return monthly_update_create(
        actor=secretary, community=community, period=period, data={**CONTENT, **overrides}, now=at(period, 9)
    )


def picture(name: str = "活动.png", fmt: str = "PNG", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (183, 28, 28)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(update=None, **overrides) -> dict:
    data = {name: str(value) for name, value in CONTENT.items()}
    if update is not None:
        data["version"] = str(update.version)
    data.update({k: str(v) for k, v in overrides.items()})
    return data
