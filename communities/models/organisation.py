"""The party organisation tree and the people who hold posts in it (issue 14, items 1 and 2).

A human is one `Person`, whatever posts they hold: a 两委 post (`Cadre.person`), a 党组织 post
(`OrgPost.person`) and their party membership (`PartyMember.person`) all point at that row, so
counts, training hours, appraisals and pay count people, not posts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.choices import Education, Gender, OrgKind, OrgPostTitle
from jiedao.identity import mask_id_number, mask_mobile, validate_id_number, validate_mobile
from jiedao.models import TimeStamped
from jiedao.permissions import ScopedQuerySet

# Which kinds may sit directly below which (DESIGN of issue 14 item 1).
ALLOWED_PARENTS = {
    OrgKind.WORKING_COMMITTEE: (),
    OrgKind.COMMITTEE: (OrgKind.WORKING_COMMITTEE,),
    OrgKind.GENERAL_BRANCH: (OrgKind.WORKING_COMMITTEE, OrgKind.COMMITTEE),
    OrgKind.BRANCH: (OrgKind.WORKING_COMMITTEE, OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgKind.GROUP: (OrgKind.BRANCH,),
}


class Person(TimeStamped):
    """One human, recorded once (a party member or not)."""

    community_lookup = "community"
    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="people", verbose_name=_("community")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, null=True, blank=True, unique=True, validators=[validate_id_number]
    )
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[validate_mobile])
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)

    class Meta:
        ordering = ["community__code", "name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number or "")

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class PartyOrganisation(TimeStamped):
    """A node of the tree: the 街道党工委 (no community), a community's 党委/党总支/党支部, a 党支部
    under a 党委 or 总支, a 党小组 under a 支部."""

    community_lookup = "community"
    objects = ScopedQuerySet.as_manager()

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organisations",
        verbose_name=_("community"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    kind = models.CharField(_("organisation type"), max_length=20, choices=OrgKind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    founded_on = models.DateField(_("date founded"), null=True, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end (re-election due)"), null=True, blank=True)

    class Meta:
        ordering = ["community__code", "name", "id"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_start__isnull=True)
                | models.Q(term_end__gt=models.F("term_start")),
                name="partyorganisation_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrgKind.WORKING_COMMITTEE, community__isnull=True, parent__isnull=True)
                | (~models.Q(kind=OrgKind.WORKING_COMMITTEE) & models.Q(community__isnull=False, parent__isnull=False)),
                name="partyorganisation_root_is_working_committee",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        parent = self.parent
        if self.kind == OrgKind.WORKING_COMMITTEE:
            if parent is not None or self.community_id is not None:
                raise ValidationError(_("The sub-district working committee is the root: no parent, no community."))
            return
        if parent is None:
            raise ValidationError(_("Choose the organisation this one belongs to."))
        if self.community_id is None:
            raise ValidationError({"community": _("Choose the community.")})
        if parent.kind not in ALLOWED_PARENTS.get(self.kind, ()):
            raise ValidationError(  # not tied to a field: the forms set the parent, not the user
                _("A %(kind)s cannot sit under a %(parent)s.")
                % {"kind": self.get_kind_display(), "parent": parent.get_kind_display()}
            )
        if parent.community_id is not None and parent.community_id != self.community_id:
            raise ValidationError(_("The parent organisation belongs to another community."))
        if self.pk and self._is_ancestor_of(parent):
            raise ValidationError(_("An organisation cannot sit under itself."))

    def _is_ancestor_of(self, other) -> bool:
        seen = 0
        while other is not None and seen < 10:
            if other.pk == self.pk:
                return True
            other, seen = other.parent, seen + 1
        return False

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    @property
    def is_group(self) -> bool:
        return self.kind == OrgKind.GROUP


class OrgPost(TimeStamped):
    """A post in a party organisation (书记, 副书记, 委员, 党小组组长) held by a person for a term."""

    community_lookup = "organisation__community"
    objects = ScopedQuerySet.as_manager()

    organisation = models.ForeignKey(
        PartyOrganisation, on_delete=models.CASCADE, related_name="posts", verbose_name=_("party organisation")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="org_posts", verbose_name=_("person"))
    title = models.CharField(_("post"), max_length=20, choices=OrgPostTitle.choices)
    start_on = models.DateField(_("term start"))
    end_on = models.DateField(_("term end"), null=True, blank=True)
    directly_elected = models.BooleanField(_("elected by open recommendation and direct election"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["organisation", "title", "start_on", "id"]
        verbose_name = _("party post")
        verbose_name_plural = _("party posts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="orgpost_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person}（{self.organisation} {self.get_title_display()}）"
