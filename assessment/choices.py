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
