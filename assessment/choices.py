from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Closed")


class Grade(models.TextChoices):
    """In order, best first: the order of every grade distribution."""

    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


GRADE_ORDER = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT]


class Choice(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class TrainingKind(models.TextChoices):
    CLASS = "class", _("Training class")
    TOUR = "tour", _("Study tour")
    SENT = "sent", _("Sent to study")
    DEGREE = "degree", _("Degree education")
    SEMINAR = "seminar", _("Seminar")


class Flag(models.TextChoices):
    LOW_SATISFACTION = "low_satisfaction", _("Satisfaction below 50%")
    INCOMPETENT_TWICE = "incompetent_twice", _("Incompetent two years running")


# -- target sheets (目标管理考核) ---------------------------------------------------------------


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published, open to appeal")
    FINAL = "final", _("Final")


class TargetKind(models.TextChoices):
    """How an item of a target sheet is scored: from the portal's records, or by staff with evidence."""

    MONTHLY_ON_TIME = "monthly_on_time", _("Monthly updates handed in on time")
    MEETINGS = "meetings", _("三会一课 held (from the accepted monthly updates)")
    DISCLOSURE = "disclosure", _("Disclosure timeliness (公开及时率)")
    TRAINING = "training", _("Cadres reaching the training hours")
    DUES = "dues", _("Party members paid up for the year (党费)")
    CASES_ON_TIME = "cases_on_time", _("Residents' requests answered on time (诉求)")
    CASES_SATISFACTION = "cases_satisfaction", _("Residents satisfied with the answers (诉求)")
    SHOWCASE = "showcase", _("Demonstration site: progress and acceptance (bonus)")
    MANUAL = "manual", _("Scored by staff with evidence")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    UPHELD = "upheld", _("Score upheld")
    ADJUSTED = "adjusted", _("Score adjusted")
