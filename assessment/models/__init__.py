"""Cadre appraisal (德能勤绩廉 + 民主测评) and the training ledger.

Anonymity of the democratic evaluation is a property of the tables themselves (the threat model
is in docs/architecture.md): an online ballot leaves no row of its own. Casting one marks its
`BallotCode` spent (a flag: no time, no link) and adds one to the `OnlineTally` counter of each
chosen (cadre, rating) in the same statement that adds zero to every other counter of the
session, so every counter row carries the same transaction id and physical position whatever was
chosen. Neither model is registered with the audit log: an entry would record the moment.
"""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.choices import Choice, CycleStatus, Grade, TrainingKind
from jiedao.models import BackgroundJob, TimeStamped
from jiedao.permissions import ScopedQuerySet, appraisals_visible_to

SCORE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}
COEFFICIENT = {"max_digits": 4, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


def _score_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
    )


class AppraisalCycle(TimeStamped):
    """One year's appraisal: how the parts weigh, where the grades start, what each grade pays."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    weight_committee = models.PositiveSmallIntegerField(
        _("weight of the working committee's evaluation (%)"), default=20
    )
    weight_democratic = models.PositiveSmallIntegerField(_("weight of the democratic evaluation (%)"), default=30)
    weight_target = models.PositiveSmallIntegerField(_("weight of the target appraisal (%)"), default=50)
    band_excellent = models.DecimalField(_("excellent from"), default=Decimal(90), **SCORE)
    band_competent = models.DecimalField(_("competent from"), default=Decimal(80), **SCORE)
    band_basic = models.DecimalField(_("basically competent from"), default=Decimal(70), **SCORE)
    pay_excellent = models.DecimalField(_("pay coefficient: excellent"), default=Decimal("1.20"), **COEFFICIENT)
    pay_competent = models.DecimalField(_("pay coefficient: competent"), default=Decimal("1.00"), **COEFFICIENT)
    pay_basic = models.DecimalField(_("pay coefficient: basically competent"), default=Decimal("0.80"), **COEFFICIENT)
    pay_incompetent = models.DecimalField(_("pay coefficient: incompetent"), default=Decimal("0.50"), **COEFFICIENT)
    points_satisfied = models.DecimalField(_("points for satisfied"), default=Decimal(100), **SCORE)
    points_basic = models.DecimalField(_("points for basically satisfied"), default=Decimal(60), **SCORE)
    points_unsatisfied = models.DecimalField(_("points for unsatisfied"), default=Decimal(0), **SCORE)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_committee__lte=100) & Q(weight_democratic__lte=100) & Q(weight_target__lte=100),
                name="cycle_weights_lte_100",
            ),
            models.CheckConstraint(
                condition=Q(weight_committee=100 - F("weight_democratic") - F("weight_target")),
                name="cycle_weights_sum_100",
            ),
            models.CheckConstraint(
                condition=Q(band_excellent__gt=F("band_competent")) & Q(band_competent__gt=F("band_basic")),
                name="cycle_bands_descending",
            ),
            models.CheckConstraint(condition=Q(year__gte=1949), name="cycle_year_sane"),
        ]

    def __str__(self):
        return _("%(year)s appraisal") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("assessment:cycle_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == CycleStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == CycleStatus.CLOSED

    def pay_for(self, grade: str) -> Decimal:
        return {
            Grade.EXCELLENT: self.pay_excellent,
            Grade.COMPETENT: self.pay_competent,
            Grade.BASIC: self.pay_basic,
            Grade.INCOMPETENT: self.pay_incompetent,
        }[grade]


class AppraisalQuerySet(ScopedQuerySet):
    def of_closed_cycles(self):
        return self.filter(cycle__status=CycleStatus.CLOSED)

    def restrict(self, user):
        """A secretary reads their own community's appraisals once the cycle is closed."""
        return appraisals_visible_to(user, self)


def report_upload_to(instance, filename):
    return f"assessment/reports/{instance.cycle_id}/{uuid.uuid4().hex}"


class Appraisal(TimeStamped):
    """One cadre's appraisal in one cycle: the committee's scores, the target score, the
    democratic score from the ballots, and what follows from them."""

    community_lookup = "cadre__community"

    cycle = models.ForeignKey(
        AppraisalCycle, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("appraisal cycle")
    )
    cadre = models.ForeignKey(
        "communities.Cadre", on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("cadre")
    )
    report_text = models.TextField(_("work report"), blank=True)
    report_file = models.FileField(_("work report file"), upload_to=report_upload_to, blank=True)
    report_file_name = models.CharField(_("work report file name"), max_length=200, blank=True)
    score_de = models.DecimalField(_("morality (德)"), null=True, blank=True, **SCORE)
    score_neng = models.DecimalField(_("ability (能)"), null=True, blank=True, **SCORE)
    score_qin = models.DecimalField(_("diligence (勤)"), null=True, blank=True, **SCORE)
    score_ji = models.DecimalField(_("achievement (绩)"), null=True, blank=True, **SCORE)
    score_lian = models.DecimalField(_("integrity (廉)"), null=True, blank=True, **SCORE)
    committee_score = models.DecimalField(_("working committee's score"), null=True, blank=True, **SCORE)
    target_score = models.DecimalField(_("target appraisal score"), null=True, blank=True, **SCORE)
    democratic_score = models.DecimalField(_("democratic evaluation score"), null=True, blank=True, **SCORE)
    satisfaction = models.DecimalField(_("satisfaction rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    total = models.DecimalField(_("weighted total"), null=True, blank=True, **SCORE)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True)
    veto = models.BooleanField(_("one-vote veto"), default=False)
    veto_reason = models.CharField(_("reason for the veto"), max_length=300, blank=True)
    pay_coefficient = models.DecimalField(_("pay coefficient"), null=True, blank=True, **COEFFICIENT)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "cadre__community__code", "cadre__term_start", "cadre__name"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "cadre"], name="appraisal_once_per_cycle"),
            models.CheckConstraint(condition=Q(veto=False) | ~Q(veto_reason=""), name="appraisal_veto_has_reason"),
            models.CheckConstraint(
                condition=Q(veto=False) | Q(grade="") | Q(grade=Grade.INCOMPETENT), name="appraisal_veto_incompetent"
            ),
            _score_range("score_de", "appraisal_de_0_100"),
            _score_range("score_neng", "appraisal_neng_0_100"),
            _score_range("score_qin", "appraisal_qin_0_100"),
            _score_range("score_ji", "appraisal_ji_0_100"),
            _score_range("score_lian", "appraisal_lian_0_100"),
            _score_range("target_score", "appraisal_target_0_100"),
            _score_range("democratic_score", "appraisal_democratic_0_100"),
        ]

    def __str__(self):
        return f"{self.cycle.year} {self.cadre}"

    def get_absolute_url(self):
        return reverse("assessment:appraisal_detail", args=[self.pk])


class BallotSession(TimeStamped):
    """One community's democratic evaluation in one cycle: online codes plus paper tallies."""

    community_lookup = "community"

    cycle = models.ForeignKey(
        AppraisalCycle, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("appraisal cycle")
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="ballot_sessions", verbose_name=_("community")
    )
    expected_voters = models.PositiveIntegerField(_("expected voters (应到)"))
    paper_present = models.PositiveIntegerField(_("paper ballots: present (实到)"), default=0)
    paper_valid = models.PositiveIntegerField(_("paper ballots: valid"), default=0)
    paper_invalid = models.PositiveIntegerField(_("paper ballots: spoilt"), default=0)
    # While online voting is open nobody sees how the online ballots rate each cadre: a live
    # per-cadre tally next to the list of spent codes would tell who voted what.
    voting_closed = models.BooleanField(_("online voting closed"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "community__code"]
        verbose_name = _("ballot session")
        verbose_name_plural = _("ballot sessions")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "community"], name="session_once_per_community"),
            models.CheckConstraint(
                condition=Q(paper_present=F("paper_valid") + F("paper_invalid")), name="session_paper_adds_up"
            ),
        ]

    def __str__(self):
        return f"{self.cycle.year} {self.community}"

    def get_absolute_url(self):
        return reverse("assessment:session_detail", args=[self.pk])

    @property
    def is_voting_live(self) -> bool:
        """Ballots may arrive at any moment: the tally page refreshes itself."""
        return self.cycle.is_open and not self.voting_closed


class BallotCode(models.Model):
    """A one-time voting code printed on a slip. It knows only whether it was spent."""

    community_lookup = "session__community"

    session = models.ForeignKey(
        BallotSession, on_delete=models.CASCADE, related_name="codes", verbose_name=_("session")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    spent = models.BooleanField(_("spent"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "code"]
        verbose_name = _("ballot code")
        verbose_name_plural = _("ballot codes")

    def __str__(self):
        return self.code


class OnlineTally(models.Model):
    """How many online ballots gave one cadre one rating: an aggregate, never a ballot. The rows
    of a session are created zeroed and every cast rewrites all of them (see the module's note)."""

    session = models.ForeignKey(
        BallotSession, on_delete=models.CASCADE, related_name="online_tallies", verbose_name=_("session")
    )
    cadre = models.ForeignKey(
        "communities.Cadre", on_delete=models.PROTECT, related_name="online_tallies", verbose_name=_("cadre")
    )
    choice = models.CharField(_("rating"), max_length=12, choices=Choice.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("online tally")
        verbose_name_plural = _("online tallies")
        constraints = [
            models.UniqueConstraint(fields=["session", "cadre", "choice"], name="onlinetally_once_per_rating")
        ]

    def __str__(self):
        return f"{self.get_choice_display()}: {self.count}"


def slips_upload_to(instance, filename):
    return f"assessment/slips/{instance.session_id}/{uuid.uuid4().hex}.pdf"


class SlipJob(BackgroundJob):
    """One build of a session's ballot-slip PDF, by a Celery task (150 slips take a minute, longer
    than a request may). At most one build per session is queued or running at a time."""

    community_lookup = "session__community"

    session = models.ForeignKey(
        BallotSession, on_delete=models.CASCADE, related_name="slip_jobs", verbose_name=_("session")
    )
    file = models.FileField(_("file"), upload_to=slips_upload_to, max_length=200, blank=True)
    slips = models.PositiveIntegerField(_("slips"), default=0)
    base_url = models.CharField(_("address of the voting page"), max_length=300)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ballot-slip build")
        verbose_name_plural = _("ballot-slip builds")
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(status__in=["queued", "running"]), name="slipjob_one_build_per_session"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="slipjob_progress_lte_100"),
        ]

    def __str__(self):
        return f"{self.session} · {self.get_status_display()}"


class PaperTally(TimeStamped):
    """The counted paper ballots for one cadre."""

    community_lookup = "session__community"

    session = models.ForeignKey(
        BallotSession, on_delete=models.CASCADE, related_name="paper_tallies", verbose_name=_("session")
    )
    cadre = models.ForeignKey(
        "communities.Cadre", on_delete=models.PROTECT, related_name="paper_tallies", verbose_name=_("cadre")
    )
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basic = models.PositiveIntegerField(_("basically satisfied"), default=0)
    unsatisfied = models.PositiveIntegerField(_("unsatisfied"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")
        constraints = [models.UniqueConstraint(fields=["session", "cadre"], name="papertally_once_per_cadre")]


class TrainingEvent(TimeStamped):
    """A training event. `headcount` records attendance by number when most attendees are not on
    the cadre roster (e.g. 240 community cadres and residents' group leaders at one seminar);
    per-cadre attendance is kept in TrainingRecord either way."""

    kind = models.CharField(_("kind"), max_length=10, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    headcount = models.PositiveIntegerField(
        _("headcount"),
        null=True,
        blank=True,
        help_text=_("Total attendance, when it includes people who are not on the cadre roster."),
    )

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="training_ends_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_gt_0"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:training_event_detail", args=[self.pk])


class TrainingRecord(TimeStamped):
    """A cadre attended an event; `hours` when they attended less (or more) than the event's."""

    community_lookup = "cadre__community"

    event = models.ForeignKey(
        TrainingEvent, on_delete=models.CASCADE, related_name="records", verbose_name=_("training event")
    )
    cadre = models.ForeignKey(
        "communities.Cadre", on_delete=models.PROTECT, related_name="training_records", verbose_name=_("cadre")
    )
    hours = models.DecimalField(
        _("hours attended"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "cadre__community__code", "cadre__name"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [models.UniqueConstraint(fields=["event", "cadre"], name="trainingrecord_once_per_event")]

    def __str__(self):
        return f"{self.event} · {self.cadre}"


class TrainingRequirement(TimeStamped):
    """The minimum training hours each cadre should reach in a year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    minimum_hours = models.DecimalField(
        _("minimum hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")

    def __str__(self):
        return f"{self.year}"


# The target sheets (目标管理考核) live in their own module; re-exported here.
from assessment.models.targets import TargetAppeal as TargetAppeal  # noqa: E402
from assessment.models.targets import TargetItem as TargetItem  # noqa: E402
from assessment.models.targets import TargetScore as TargetScore  # noqa: E402
from assessment.models.targets import TargetSheet as TargetSheet  # noqa: E402
