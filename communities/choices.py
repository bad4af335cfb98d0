from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityKind(models.TextChoices):
    URBAN = "urban", _("Urban community")
    VILLAGE = "village", _("Former village (村改居)")


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")


class Committee(models.TextChoices):
    PARTY = "party", _("Party organisation committee")
    RESIDENTS = "residents", _("Residents' committee")
    BOTH = "both", _("Both committees")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Senior or technical secondary school")
    JUNIOR = "junior", _("Junior secondary school or below")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberCategory(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class MonthlyStatus(models.TextChoices):
    """The stored states of a monthly update (月度工作报告)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Sent back")
    ACCEPTED = "accepted", _("Passed review")


class MonthlyCell(models.TextChoices):
    """What the staff overview shows for one community-month: a stored state, or none yet."""

    MISSING = "missing", _("Not filed")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Sent back")
    ACCEPTED = "accepted", _("Passed review")
    OVERDUE = "overdue", _("Past due")


class MonthlyAction(models.TextChoices):
    CREATE = "create", _("Created the draft")
    SUBMIT = "submit", _("Handed in")
    RETURN = "return", _("Returned for changes")
    ACCEPT = "accept", _("Passed the review")


class MonthlyReminder(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline in three days")
    OVERDUE = "overdue", _("Overdue reminder")
