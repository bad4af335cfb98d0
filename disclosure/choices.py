from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    PARTY = "party", _("Party affairs")
    GOVERNMENT = "government", _("Government affairs")
    RESIDENTS = "residents", _("Residents' affairs")
    FINANCE = "finance", _("Finance")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")
    EVENT = "event", _("Within N working days of the event")


class Level(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Sub-district")
    COMMUNITY = "community", _("Community")


class Audience(models.TextChoices):
    PUBLIC = "public", _("The whole public")
    GROUP = "group", _("A specific group")


class Mode(models.TextChoices):
    PROACTIVE = "proactive", _("Proactive")
    ON_REQUEST = "on_request", _("On request")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting secrecy review")
    CHECKING = "checking", _("Awaiting the supervision committee's check")
    CLEARED = "cleared", _("Awaiting approval")
    APPROVED = "approved", _("Approved, awaiting publication")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("Proposed")
    CLEAR = "clear", _("Secrecy review passed")
    CHECK = "check", _("Checked by the residents' supervision committee")
    APPROVE = "approve", _("Approved")
    PUBLISH = "publish", _("Published")
    RETURN = "return", _("Returned for changes")
    CORRECT = "correct", _("Corrected")
    WITHDRAW = "withdraw", _("Withdrawn")


class LineKind(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


class FeedbackStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Shown")
    REJECTED = "rejected", _("Rejected")


class MeetingKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", _("Open working-committee meeting")
    COUNCIL = "council", _("Democratic deliberation council")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    DUE = "due", _("Not yet due")
