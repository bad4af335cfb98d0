"""The disclosure boards: the catalogue of what must be disclosed, notices with their review
chain and revisions, attachments, financial lines, residents' questions and open meetings."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from disclosure.choices import (
    Audience,
    Category,
    Frequency,
    Level,
    LineKind,
    MeetingKind,
    Mode,
    NoticeStatus,
    StepAction,
)
from disclosure.models.submissions import ResidentSubmission
from jiedao.models import MONEY, TimeStamped
from jiedao.permissions import ScopedQuerySet

BALANCE = {"max_digits": 14, "decimal_places": 2}
# The categories a community's 居务监督委员会 checks before the community publishes (组织法).
COMMITTEE_CATEGORIES = (Category.RESIDENTS, Category.FINANCE)


def public_notice_q(prefix: str = "", *, join_items: bool = True) -> models.Q:
    """The audience rule, the one place it is written: an anonymous visitor reads a notice only
    when it is published and its catalogue item is for the whole public. A notice for a specific
    group (党内公开: 党费, 民主评议党员, 三会一课 …) is never public. `prefix` reaches a notice
    from another model ("notice__" from an attachment, "notices__" from a board).

    `join_items=False` asks the item's half as "its item is one of the public items" (a subquery
    of the catalogue's few rows) instead of joining every notice to its item: a count of notices
    then reads (board, item) from the index notice_board_first_publication alone."""
    if join_items:
        item = {f"{prefix}catalog_item__audience": Audience.PUBLIC}
    else:
        item = {f"{prefix}catalog_item__in": CatalogItem.objects.filter(audience=Audience.PUBLIC).values("pk")}
    return models.Q(**{f"{prefix}status": NoticeStatus.PUBLISHED}, **item)


class CatalogItem(TimeStamped):
    """One line of the disclosure catalogue (公开目录), after the national standardisation guidance."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name = models.CharField(_("item"), max_length=100)
    content = models.TextField(_("content (elements)"))
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    frequency = models.CharField(_("time limit"), max_length=20, choices=Frequency.choices)
    deadline_workdays = models.PositiveSmallIntegerField(
        _("working days allowed"),
        default=10,
        help_text=_("Working days after the end of the period (or after the event) by which it must be published."),
    )
    subject = models.CharField(_("disclosing body"), max_length=100)
    channel = models.CharField(_("channels and media"), max_length=200)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.PROACTIVE)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    requires_statement = models.BooleanField(
        _("income and expense statement"),
        default=False,
        help_text=_("Notices of this item declare their totals and 收支明细 lines, which must reconcile."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["level", "category", "order", "name"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [
            models.UniqueConstraint(fields=["level", "category", "name"], name="catalogitem_unique_name"),
            models.CheckConstraint(condition=models.Q(deadline_workdays__lte=90), name="catalogitem_deadline_sane"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.name}"

    @property
    def is_periodic(self) -> bool:
        return self.frequency != Frequency.EVENT


class NoticeQuerySet(ScopedQuerySet):
    def public(self, *, join_items: bool = True) -> "NoticeQuerySet":
        """What an anonymous visitor may read; every public selector starts here (`join_items`:
        see public_notice_q)."""
        return self.filter(public_notice_q(join_items=join_items))


class AttachmentQuerySet(ScopedQuerySet):
    def public(self) -> "AttachmentQuerySet":
        """Attachments of public notices only (a direct URL to any other is 404)."""
        return self.filter(public_notice_q("notice__"))


class Board(TimeStamped):
    """A disclosure board: the sub-district's (no community) or one community's."""

    community_lookup = "community"

    objects = ScopedQuerySet.as_manager()

    community = models.OneToOneField(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_board",
        verbose_name=_("community"),
    )
    slug = models.SlugField(_("address"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        # a page of boards in their order, from the top, whatever their number (the public index)
        indexes = [models.Index(fields=["order", "slug"], name="board_order_slug")]
        verbose_name = _("disclosure board")
        verbose_name_plural = _("disclosure boards")

    def __str__(self):
        return self.name

    @property
    def level(self) -> str:
        return Level.SUBDISTRICT if self.community_id is None else Level.COMMUNITY

    def get_absolute_url(self):
        return reverse("gongkai:board", args=[self.slug])


class Notice(TimeStamped):
    """A notice on a board. Its content is editable until it is submitted; once published it
    changes only through a correction (a new NoticeRevision with a reason)."""

    community_lookup = "board__community"

    objects = NoticeQuerySet.as_manager()

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="notices", verbose_name=_("board"))
    catalog_item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="notices", verbose_name=_("catalogue item")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, editable=False)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    event_date = models.DateField(
        _("event date"), null=True, blank=True, help_text=_("For items due within N working days of an event.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The words of title and text as jieba cuts them, written by the publish and correct services
    # (disclosure/search.py); searched through a GIN index on PostgreSQL.
    search_text = models.TextField(_("search words"), blank=True, editable=False)
    # Financial disclosures: the declared totals, reconciled against the lines.
    opening_balance = models.DecimalField(_("opening balance (yuan)"), null=True, blank=True, **BALANCE)
    income_total = models.DecimalField(_("total income (yuan)"), null=True, blank=True, **MONEY)
    expense_total = models.DecimalField(_("total expense (yuan)"), null=True, blank=True, **MONEY)
    closing_balance = models.DecimalField(_("closing balance (yuan)"), null=True, blank=True, **BALANCE)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["board", "status", "-period_start"], name="notice_board_list"),
            models.Index(fields=["catalog_item", "board", "period_start"], name="notice_timeliness"),
            # The staff list, newest change first, paged by keyset (disclosure/views NoticeListView):
            # unfiltered, by status, by board.
            models.Index(fields=["-updated_at", "-id"], name="notice_staff_list"),
            models.Index(fields=["status", "-updated_at", "-id"], name="notice_staff_status"),
            models.Index(fields=["board", "-updated_at", "-id"], name="notice_staff_board"),
            # The home page's latest notices of every board: read in order and stopped at the
            # limit, not sorted out of all the city's published notices.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status=NoticeStatus.PUBLISHED),
                name="notice_public_latest",
            ),
            # The dashboard's counts of a year's publications and its event notices (few of all).
            models.Index(
                fields=["published_at"],
                condition=models.Q(status__in=[NoticeStatus.PUBLISHED, NoticeStatus.WITHDRAWN]),
                name="notice_published_year",
            ),
            models.Index(
                fields=["period_start"], condition=models.Q(event_date__isnull=False), name="notice_event_period"
            ),
            # Timeliness: each board's first publication of an item's period, read from the index alone
            # in the order it groups by; and published_years' first and last period, from its ends.
            models.Index(
                fields=["period_start", "catalog_item", "board", "published_at"],
                condition=models.Q(status=NoticeStatus.PUBLISHED),
                name="notice_first_publication",
            ),
            # The same for a page of boards (the 四权 index, the timeliness table, one board's list).
            models.Index(
                fields=["board", "period_start", "catalog_item", "published_at"],
                condition=models.Q(status=NoticeStatus.PUBLISHED),
                name="notice_board_first_publication",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="notice_period_ordered"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=NoticeStatus.PUBLISHED) | models.Q(published_at__isnull=False),
                name="notice_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disclosure:notice_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("gongkai:notice", args=[self.board.slug, self.pk])

    @property
    def is_corrected(self) -> bool:
        return self.revision > 1

    @property
    def is_finance(self) -> bool:
        """A financial statement: totals and 收支明细 lines that must reconcile."""
        return self.catalog_item.requires_statement

    @property
    def is_editable(self) -> bool:
        return self.status == NoticeStatus.DRAFT

    # display states, through the choices (templates and permissions ask these, never strings)
    @property
    def is_draft(self) -> bool:
        return self.status == NoticeStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == NoticeStatus.SUBMITTED

    @property
    def is_cleared(self) -> bool:
        return self.status == NoticeStatus.CLEARED

    @property
    def is_approved(self) -> bool:
        return self.status == NoticeStatus.APPROVED

    @property
    def is_checking(self) -> bool:
        return self.status == NoticeStatus.CHECKING

    @property
    def is_under_review(self) -> bool:
        return self.status in (
            NoticeStatus.SUBMITTED,
            NoticeStatus.CHECKING,
            NoticeStatus.CLEARED,
            NoticeStatus.APPROVED,
        )

    @property
    def needs_committee_check(self) -> bool:
        """A community's 居务 or 财务 notice: checked by its 居务监督委员会, published by the community."""
        return self.board.community_id is not None and self.category in COMMITTEE_CATEGORIES

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == NoticeStatus.WITHDRAWN

    @property
    def is_public(self) -> bool:
        """public_notice_q() for one loaded notice: published, and for the whole public."""
        return self.is_published and self.catalog_item.audience == Audience.PUBLIC


class NoticeRevision(TimeStamped):
    """What a notice said when it was published or corrected. Never changed once written."""

    community_lookup = "notice__board__community"

    objects = ScopedQuerySet.as_manager()

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("notice"))
    number = models.PositiveSmallIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    reason = models.TextField(_("reason for correction"), blank=True)
    finance = models.JSONField(
        _("financial figures"),
        null=True,
        blank=True,
        help_text=_("For financial disclosures: the totals and lines as published in this revision."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["notice", "number"]
        verbose_name = _("notice revision")
        verbose_name_plural = _("notice revisions")
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="noticerevision_unique_number")]

    def __str__(self):
        return f"{self.notice} r{self.number}"

    @property
    def finance_lines(self) -> list[dict]:
        """The published lines, each with the label of its kind."""
        if not self.finance:
            return []
        return [{**ln, "kind_label": LineKind(ln["kind"]).label} for ln in self.finance.get("lines", [])]


class NoticeStep(TimeStamped):
    """One step of the review chain (提出 → 保密审核 → 审批 → 发布), a return, a correction or a withdrawal."""

    community_lookup = "notice__board__community"

    objects = ScopedQuerySet.as_manager()

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="steps", verbose_name=_("notice"))
    action = models.CharField(_("step"), max_length=20, choices=StepAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["notice", "created_at", "id"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self):
        return f"{self.notice} {self.get_action_display()}"


def attachment_path(instance, filename):
    return f"disclosure/{instance.notice_id}/{instance.content_hash[:16]}.{instance.extension}"


class Attachment(TimeStamped):
    community_lookup = "notice__board__community"

    objects = AttachmentQuerySet.as_manager()

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=150)
    extension = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_hash = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["notice", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class FinanceLine(TimeStamped):
    """A line of the 收支明细 of a financial disclosure, in 元."""

    community_lookup = "notice__board__community"

    objects = ScopedQuerySet.as_manager()

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="finance_lines", verbose_name=_("notice"))
    kind = models.CharField(_("income or expense"), max_length=10, choices=LineKind.choices)
    item = models.CharField(_("item"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["notice", "kind", "order", "id"]
        verbose_name = _("finance line")
        verbose_name_plural = _("finance lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=Decimal("0")), name="financeline_amount_gte_0"),
        ]

    def __str__(self):
        return self.item


class Feedback(ResidentSubmission):
    """A resident's question or opinion (意见) on a notice, answered in public by the board."""

    community_lookup = "notice__board__community"

    objects = ScopedQuerySet.as_manager()

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("notice"))
    due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question or opinion")
        verbose_name_plural = _("questions and opinions")


class OpenMeeting(TimeStamped):
    """An open working-committee meeting (开放党工委会议) or a democratic deliberation council (民主议事会)."""

    community_lookup = "board__community"

    objects = ScopedQuerySet.as_manager()

    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("board"))
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    agenda = models.TextField(_("agenda"))
    party_member_reps = models.PositiveSmallIntegerField(_("party-member representatives present"), default=0)
    resident_reps = models.PositiveSmallIntegerField(_("resident representatives present"), default=0)
    attendance = models.TextField(_("attendance"), blank=True)
    opinions = models.TextField(_("opinions heard"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Announced in advance: the agenda on the public board and residents' opinions until this day.
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    opinions_until = models.DateField(_("opinions until"), null=True, blank=True)
    notice = models.OneToOneField(
        Notice, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting", verbose_name=_("notice")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("open meeting")
        verbose_name_plural = _("open meetings")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("disclosure:meeting_detail", args=[self.pk])


from disclosure.models.cases import *  # noqa: E402, F403 — the case ledger, its names in cases.__all__
from disclosure.models.decisions import *  # noqa: E402, F403 — opinions, decisions, events
from disclosure.models.rights import *  # noqa: E402, F403 — notice reads for the 四权 index
from disclosure.models.search import *  # noqa: E402, F403 — the public search's synonym list
from disclosure.models.supervision import *  # noqa: E402, F403 — 居务监督委员会, 抽查, 督办
from disclosure.models.timeliness import *  # noqa: E402, F403 — first publications per day, for 公开及时率
