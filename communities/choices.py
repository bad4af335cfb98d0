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


# -- party organisation and membership (issue 14) ------------------------------------------------


class OrgKind(models.TextChoices):
    """The levels of the party organisation tree (街道党工委 → 党委/党总支/党支部 → 党支部 → 党小组)."""

    WORKING_COMMITTEE = "working_committee", _("Sub-district party working committee")
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    GROUP = "group", _("Party group")


class OrgPostTitle(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    MEMBER = "member", _("Committee member")
    GROUP_LEADER = "group_leader", _("Group leader")


class MemberStatus(models.TextChoices):
    """A member's standing, derived from the record's dates (never typed)."""

    PROBATIONARY = "probationary", _("Probationary member")
    EXTENDED = "extended", _("Probation extended")
    FULL = "full", _("Full member")
    DISQUALIFIED = "disqualified", _("Probationary membership cancelled")


class RecruitStage(models.TextChoices):
    """Where someone stands on the way to membership (发展党员), derived from the dates."""

    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Candidate for development")
    ACCEPTED = "accepted", _("Admitted as probationary member")
    DROPPED = "dropped", _("No longer pursued")


class ProbationDecision(models.TextChoices):
    ON_TIME = "on_time", _("Full membership on time")
    EXTEND = "extend", _("Probation extended")
    CANCEL = "cancel", _("Probationary membership cancelled")


class TransferKind(models.TextChoices):
    OUT = "out", _("Transfer out")
    IN = "in", _("Transfer in")
