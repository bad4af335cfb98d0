from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardCategory(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")


class EconomicTier(models.TextChoices):
    GOOD = "good", _("Good (较好)")
    AVERAGE = "average", _("Average (一般)")
    POOR = "poor", _("Weak (较差)")


class SiteStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    BUILDING = "building", _("Under construction")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Not accepted")


class FundingSource(models.TextChoices):
    SUBSIDY = "subsidy", _("Sub-district subsidy")
    AWARD = "award", _("Award in place of subsidy (以奖代补)")
    SELF_RAISED = "self_raised", _("Raised by the community")


class InspectionKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly supervision-group meeting")
    VISIT = "visit", _("On-site visit")
    FIELD_MEETING = "field_meeting", _("On-site meeting (现场会)")
    STUDY = "study", _("Study visit")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Being put right")
    REPORTED = "reported", _("Fix reported")
    CLOSED = "closed", _("Closed off")


class PhotoKind(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
