"""Communities and the people and figures that belong to them."""

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.identity import mask_id_number, mask_mobile, validate_id_number, validate_mobile
from jiedao.models import MONEY, TimeStamped

from .choices import Committee, CommunityKind, Education, Gender, MemberCategory, PartyOrgKind


class Community(TimeStamped):
    community_lookup = "pk"

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=CommunityKind.choices, default=CommunityKind.VILLAGE)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    households = models.PositiveIntegerField(_("households"))
    population = models.PositiveIntegerField(_("population"))
    party_org_name = models.CharField(_("party organisation"), max_length=100)
    party_org_kind = models.CharField(
        _("party organisation kind"), max_length=20, choices=PartyOrgKind.choices, default=PartyOrgKind.BRANCH
    )
    formerly_poor = models.BooleanField(_("formerly a poor village"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.CheckConstraint(condition=models.Q(area_km2__gte=0), name="community_area_gte_0"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:community_detail", args=[self.pk])


class Cadre(TimeStamped):
    """A member of the community's two committees (社区两委班子成员)."""

    community_lookup = "community"

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=50)
    committee = models.CharField(_("committee"), max_length=10, choices=Committee.choices, default=Committee.PARTY)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    directly_elected = models.BooleanField(_("elected by open recommendation and direct election"), default=False)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)

    class Meta:
        ordering = ["community__code", "term_start", "name"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        constraints = [
            models.UniqueConstraint(fields=["community", "name", "post", "term_start"], name="cadre_unique_term"),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="cadre_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.post}）"

    def get_absolute_url(self):
        return reverse("communities:community_detail", args=[self.community_id])


class PartyMember(TimeStamped):
    """A party member on the community roster. ID and mobile numbers are shown masked."""

    community_lookup = "community"

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="party_members", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, validators=[validate_id_number])
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[validate_mobile])
    joined_on = models.DateField(_("date joined the party"))
    category = models.CharField(
        _("member category"), max_length=20, choices=MemberCategory.choices, default=MemberCategory.FULL
    )

    class Meta:
        ordering = ["community__code", "name", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        permissions = [("reveal_identity", _("Can see full ID and mobile numbers"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(joined_on__gt=models.F("birth_date")), name="partymember_joined_after_birth"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class CommunityYear(TimeStamped):
    """A community's yearly indicators (DESIGN §8 社区年度指标)."""

    community_lookup = "community"

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="years", verbose_name=_("community")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    collective_income = models.DecimalField(_("collective disposable income (10k yuan)"), **MONEY)
    per_capita_income = models.DecimalField(_("farmers' per-capita net income (yuan)"), **MONEY)
    party_member_count = models.PositiveIntegerField(_("party members"))
    is_poor = models.BooleanField(_("poor village this year"), default=False)

    class Meta:
        ordering = ["community__code", "year"]
        verbose_name = _("community year")
        verbose_name_plural = _("community years")
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="communityyear_once_per_year"),
            models.CheckConstraint(condition=models.Q(collective_income__gte=0), name="communityyear_income_gte_0"),
            models.CheckConstraint(condition=models.Q(per_capita_income__gte=0), name="communityyear_per_capita_gte_0"),
        ]

    def __str__(self):
        return f"{self.community} {self.year}"
