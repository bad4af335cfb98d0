"""The one place for who may do what (DESIGN §2).

- Roles are Django groups, created by a migration; `has_role` asks for them.
- `visible_to` scopes a queryset: staff, inspectors and auditors read the whole sub-district,
  a secretary reads their own community, anyone else reads nothing.
- Out-of-scope objects are *missing*: a secretary asking for another community's object gets
  404, the same answer as for an object that does not exist.
- Views use `RoleRequiredMixin` and `ScopedObjectMixin`; services call `ensure_*`.

A model joins the scoping by naming the lookup that leads to its community id in
`community_lookup` ("community" for most models, "pk" for Community itself).
"""

from dataclasses import dataclass
from enum import StrEnum
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from jiedao.models import Profile


class Role(StrEnum):
    STAFF = "staff"
    SECRETARY = "secretary"
    INSPECTOR = "inspector"
    AUDITOR = "auditor"
    MEMBER = "member"  # 党员: their own record, dues, meetings, their organisation's internal notices
    SUPERVISOR = "supervisor"  # 居务监督委员会: checks their community's 居务/财务 notices


# Group names as they appear in the admin; created by jiedao/migrations.
ROLE_GROUPS = {
    Role.STAFF: "街道工作人员",
    Role.SECRETARY: "社区书记",
    Role.INSPECTOR: "督查组",
    Role.AUDITOR: "审计员",
    Role.MEMBER: "党员",
    Role.SUPERVISOR: "居务监督委员会",
}
ROLE_LABELS = {
    Role.STAFF: _("Sub-district staff"),
    Role.SECRETARY: _("Community secretary"),
    Role.INSPECTOR: _("Inspector"),
    Role.AUDITOR: _("Auditor"),
    Role.MEMBER: _("Party member"),
    Role.SUPERVISOR: _("Residents' supervision committee"),
}
_GROUP_ROLES = {name: role for role, name in ROLE_GROUPS.items()}

# Roles that read every community's internal data (they still change only what their role allows).
READ_ALL = frozenset({Role.STAFF, Role.INSPECTOR, Role.AUDITOR})


# Every signed-in request reads its user's groups: in SQL, as the ORM spent about eight times as
# long building this query as running it (1.2M instructions against 0.14M, 6 % of a staff page).
_GROUP_NAMES_SQL = (
    "SELECT g.name FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id WHERE ug.user_id = %s"
)


def roles_of(user) -> frozenset[Role]:
    """The user's roles, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_jiedao_roles", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_GROUP_NAMES_SQL, [user.pk])
            names = [name for (name,) in cursor.fetchall()]
        cached = frozenset(_GROUP_ROLES[n] for n in names if n in _GROUP_ROLES)
        if user.is_superuser:
            cached |= {Role.STAFF}
        user._jiedao_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def is_staff_member(user) -> bool:
    return has_role(user, Role.STAFF)


def community_id_of(user) -> int | None:
    """The community a secretary belongs to; None for everyone else."""
    if not has_role(user, Role.SECRETARY):
        return None
    cached = getattr(user, "_jiedao_community_id", False)
    if cached is False:
        cached = Profile.objects.filter(user=user).values_list("community_id", flat=True).first()
        user._jiedao_community_id = cached
    return cached


def _spans_many(model, lookup: str) -> bool:
    """Whether the lookup path crosses a to-many relation (and a plain filter could repeat rows)."""
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:  # a transform such as "year" ends the path
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def visible_to(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `user` may read, each once even when the scope goes through a
    many-to-many (the filter then becomes a subquery, so callers need no `.distinct()`)."""
    roles = roles_of(user)
    if roles & READ_ALL:
        return queryset
    community_id = community_id_of(user)
    model = queryset.model
    lookup = getattr(model, "community_lookup", None)
    if community_id is None or lookup is None:
        return queryset.none()
    if _spans_many(model, lookup):
        inner = model._base_manager.filter(**{lookup: community_id}).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(**{lookup: community_id})


def scope_key(user) -> str:
    """What `visible_to` lets `user` read, as a short name for the keys of cached pages: users with
    the same key read the same rows."""
    if roles_of(user) & READ_ALL:
        return "all"
    return f"community:{community_id_of(user)}"


def is_visible(user, obj: Model) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


class ScopedQuerySet(models.QuerySet):
    """For scoped models: `Model.objects.restrict(user)` is what the user may read (NetBox style).

    Use as `objects = ScopedQuerySet.as_manager()`; the model names its `community_lookup`."""

    def restrict(self, user) -> "ScopedQuerySet":
        return visible_to(user, self)


def get_visible_or_404(user, queryset_or_model, **lookup):
    """The one object matching `lookup` that `user` may read; a missing or out-of-scope one is 404."""
    if isinstance(queryset_or_model, QuerySet):
        queryset = queryset_or_model
    else:
        queryset = queryset_or_model._default_manager.all()
    try:
        return visible_to(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def users_with_role(role: Role, community=None) -> QuerySet:
    """Active users holding `role` (each once); with `community` (an object, an id or several ids)
    only the users tied to that community."""
    users = get_user_model().objects.filter(is_active=True, groups__name=ROLE_GROUPS[role])
    if community is not None:
        if isinstance(community, Model):
            community = community.pk
        if isinstance(community, int | str):
            users = users.filter(profile__community_id=community)
        else:
            users = users.filter(profile__community_id__in=list(community))
    return users.distinct()


def can_manage_community(user, community_id: int | None) -> bool:
    """Staff manage every community; a secretary manages their own community's records."""
    if is_staff_member(user):
        return True
    return community_id is not None and community_id == community_id_of(user)


def can_reveal_identity(user) -> bool:
    """Full ID and mobile numbers: staff holding the explicit reveal permission."""
    return is_staff_member(user) and user.has_perm("communities.reveal_identity")


# -- for services: raise the same answers the views give ------------------------------------


def ensure_role(user, *roles: Role) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(_("You do not have permission to do this."))


def ensure_can_manage(user, community_id: int | None) -> None:
    """404 for a community the user cannot see, 403 for one they see but may not change."""
    if can_manage_community(user, community_id):
        return
    if has_role(user, *READ_ALL):
        raise PermissionDenied(_("You do not have permission to do this."))
    raise Http404


# -- for views ---------------------------------------------------------------------------------


class RoleRequiredMixin(AccessMixin):
    """Anonymous users go to the login page; signed-in users without one of `roles` get 403."""

    roles: tuple[Role, ...] = (Role.STAFF,)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin(RoleRequiredMixin):
    """Single-object and list views whose queryset is scoped by `visible_to`: an object out of
    the user's scope is a 404, exactly like a missing one."""

    roles = (Role.STAFF, Role.SECRETARY, Role.INSPECTOR, Role.AUDITOR)

    def get_queryset(self):
        return visible_to(self.request.user, super().get_queryset())


# -- showcase ---------------------------------------------------------------------------------
# Staff run programmes, sites, funding and acceptance; inspectors record inspections, checks and
# rectification items; the secretary of a site's community reads their own sites and reports fixes
# on their own site's rectification items.


def can_run_showcase(user) -> bool:
    return has_role(user, Role.STAFF)


def can_supervise_showcase(user) -> bool:
    return has_role(user, Role.INSPECTOR)


def can_report_rectification(user, rectification) -> bool:
    return has_role(user, Role.SECRETARY) and community_id_of(user) == rectification.site.community_id


def ensure_can_run_showcase(user) -> None:
    ensure_role(user, Role.STAFF)


def ensure_can_supervise_showcase(user) -> None:
    ensure_role(user, Role.INSPECTOR)


def ensure_can_report_rectification(user, rectification) -> None:
    """404 for an item the user cannot see, 403 for one they see but may not report on."""
    if can_report_rectification(user, rectification):
        return
    if has_role(user, *READ_ALL):
        raise PermissionDenied(_("You do not have permission to do this."))
    raise Http404


# What the showcase pages offer; the views pass these and the templates ask only their names.


@dataclass(frozen=True)
class ProgrammeActions:
    edit: bool  # edit the programme, its standards and sites; import/export standards and funding
    record_inspection: bool


def programme_actions(user, programme=None) -> ProgrammeActions:
    """`programme` None: the list page (edit = may create a programme)."""
    return ProgrammeActions(edit=can_run_showcase(user), record_inspection=can_supervise_showcase(user))


@dataclass(frozen=True)
class SiteActions:
    edit: bool  # edit the site, add and delete funding lines
    start: bool
    accept: bool
    update_checks: bool
    read_inspections: bool  # inspection pages are supervision material, not for secretaries
    via_my_sites: bool  # a secretary's way back is their own sites list


def site_actions(user, site) -> SiteActions:
    staff = can_run_showcase(user)
    return SiteActions(
        edit=staff,
        start=staff and site.is_applied,
        accept=staff and site.awaits_acceptance,
        update_checks=can_supervise_showcase(user),
        read_inspections=not has_role(user, Role.SECRETARY),
        via_my_sites=has_role(user, Role.SECRETARY),
    )


@dataclass(frozen=True)
class InspectionActions:
    open_rectification: bool


def inspection_actions(user, inspection) -> InspectionActions:
    return InspectionActions(open_rectification=can_supervise_showcase(user))


@dataclass(frozen=True)
class RectificationActions:
    report: bool  # the site's own secretary, while the item is open
    verify: bool  # the inspector closes or sends back a reported fix


def rectification_actions(user, rectification) -> RectificationActions:
    return RectificationActions(
        report=rectification.is_open and can_report_rectification(user, rectification),
        verify=rectification.is_reported and can_supervise_showcase(user),
    )


# -- assessment ---
# Appraisals, ballots and the training ledger are run by staff alone. A secretary reads their own
# community's appraisal results, and only once the cycle is closed; before that, or for another
# community, the results do not exist for them (404). Inspectors and auditors have no part in
# appraisals (403): the results are personnel records, not supervision material.


ASSESSMENT_ROLES = (Role.STAFF,)


def can_run_assessment(user) -> bool:
    return has_role(user, *ASSESSMENT_ROLES)


def can_read_appraisal_results(user, cycle, community_id: int | None) -> bool:
    if is_staff_member(user):
        return True
    own = community_id_of(user)
    return own is not None and own == community_id and cycle.is_closed


def appraisals_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Appraisal rows the user may read (see can_read_appraisal_results). `queryset` is an
    Appraisal queryset: its `of_closed_cycles` compares the status through the choices."""
    if is_staff_member(user):
        return queryset
    own = community_id_of(user)
    if own is None:
        return queryset.none()
    return queryset.filter(cadre__community_id=own).of_closed_cycles()


# What the assessment pages offer; the views pass these and the templates ask only their names.


@dataclass(frozen=True)
class CycleActions:
    edit: bool  # the settings, new ballot sessions, scoring the appraisals: until the cycle closes
    start: bool
    recalculate: bool
    close: bool


def cycle_actions(user, cycle) -> CycleActions:
    staff = can_run_assessment(user)
    return CycleActions(
        edit=staff and not cycle.is_closed,
        start=staff and cycle.is_draft,
        recalculate=staff and cycle.is_open,
        close=staff and cycle.is_open,
    )


@dataclass(frozen=True)
class SessionActions:
    edit: bool  # the session's settings and its paper ballots
    issue_codes: bool
    close_voting: bool


def session_actions(user, session) -> SessionActions:
    edit = can_run_assessment(user) and not session.cycle.is_closed
    live = edit and not session.voting_closed
    return SessionActions(edit=edit, issue_codes=live, close_voting=live)


@dataclass(frozen=True)
class AppraisalActions:
    score: bool  # the committee's scores, the target score, the work report


def appraisal_actions(user, appraisal) -> AppraisalActions:
    return AppraisalActions(score=can_run_assessment(user) and not appraisal.cycle.is_closed)


# -- monthly ---
# The secretary of a community files its monthly updates (create, edit, attach photos, submit);
# staff review them (accept or return). Everyone who reads the community reads its updates
# (visible_to); a secretary asking for another community's update gets 404.


def can_file_monthly_update(user, community_id: int | None) -> bool:
    return has_role(user, Role.SECRETARY) and community_id is not None and community_id == community_id_of(user)


def ensure_can_file_monthly_update(user, community_id: int | None) -> None:
    """404 for a community the user cannot see, 403 for one they see but may not file for."""
    if can_file_monthly_update(user, community_id):
        return
    if has_role(user, *READ_ALL) or community_id_of(user) == community_id:
        raise PermissionDenied(_("You do not have permission to do this."))
    raise Http404


def can_review_monthly_update(user) -> bool:
    return is_staff_member(user)


def ensure_can_review_monthly_update(user) -> None:
    ensure_role(user, Role.STAFF)


@dataclass(frozen=True)
class MonthlyUpdateActions:
    """What this user may do with this monthly update now; the services enforce the same rules."""

    file: bool  # edit, attach and remove photos, submit (the secretary, while draft or returned)
    review: bool  # accept or return (staff, while submitted)


def monthly_update_actions(user, update) -> MonthlyUpdateActions:
    return MonthlyUpdateActions(
        file=update.is_editable and can_file_monthly_update(user, update.community_id),
        review=update.is_submitted and can_review_monthly_update(user),
    )


# -- communities ---
# Staff keep the communities, their cadres and yearly indicators, and import and export the
# rosters; a secretary reads their own community and keeps its party-member roster. Inspectors
# and auditors read every community but no roster.


@dataclass(frozen=True)
class CommunityActions:
    """What this user may do on this community's pages (its page and its member roster)."""

    edit: bool  # the community itself, its cadres and its yearly indicators
    import_export: bool  # the spreadsheets of every roster
    read_members: bool
    manage_members: bool  # add, edit and delete party members
    reveal_identity: bool  # full ID and mobile numbers
    file_monthly: bool


def community_actions(user, community) -> CommunityActions:
    staff = is_staff_member(user)
    return CommunityActions(
        edit=staff,
        import_export=staff,
        read_members=staff or can_manage_community(user, community.pk),
        manage_members=can_manage_community(user, community.pk),
        reveal_identity=can_reveal_identity(user),
        file_monthly=can_file_monthly_update(user, community.pk),
    )


def community_list_flags(user) -> SimpleNamespace:
    """List-level flags of the community list."""
    staff = is_staff_member(user)
    return SimpleNamespace(create=staff, import_export=staff)


# -- disclosure ---------------------------------------------------------------------------------
# Secretaries draft for their own community's board; staff draft for any board, do the secrecy
# review (保密审核), approve (审批, never their own notice), publish, correct, withdraw, keep the
# catalogue and answer residents. Inspectors and auditors have no part in the boards' workflow.

DISCLOSURE_ROLES = (Role.STAFF, Role.SECRETARY)


def can_draft_on_board(user, board) -> bool:
    return has_role(user, *DISCLOSURE_ROLES) and can_manage_community(user, board.community_id)


def ensure_can_draft(user, board) -> None:
    """404 for a board the user may not see (another community's, or the sub-district's for a secretary)."""
    if not has_role(user, *DISCLOSURE_ROLES):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not can_manage_community(user, board.community_id):
        raise Http404


def can_read_anonymously(notice) -> bool:
    """The audience rule for one notice: anyone, signed in or not, reads it on the public boards
    only when it is published for the whole public (Notice.is_public; the query form is
    Notice.objects.public()). Party-internal notices are read by staff and the community's
    secretary in the internal pages only."""
    return notice.is_public


def can_approve_notice(user, notice) -> bool:
    """审批: staff, and never the notice's own author."""
    return is_staff_member(user) and notice.author_id != user.pk


@dataclass(frozen=True)
class NoticeActions:
    """What this user may do with this notice now; the services enforce the same rules."""

    edit: bool  # change the draft, its finance lines and attachments, submit it
    submit: bool
    attach: bool
    clear: bool
    approve: bool
    approve_own: bool  # the author, a staff member, sees why the approve button is missing
    publish: bool
    return_to_author: bool
    correct: bool
    print: bool  # the print view with its QR code is a public page: public notices only
    withdraw: bool
    sample_check: bool = False  # 抽查: staff record a check of a published community notice


def notice_actions(user, notice) -> NoticeActions:
    staff = is_staff_member(user)
    edit = notice.is_draft and can_draft_on_board(user, notice.board)
    cleared = staff and notice.is_cleared
    published = staff and notice.is_published
    # A community's 居务/财务 notice: the 监委会 checks it and the community publishes it (see
    # "supervision" below); the 街道 neither approves nor publishes it.
    committee = notice.needs_committee_check
    return NoticeActions(
        edit=edit,
        submit=edit,
        attach=edit,
        clear=staff and notice.is_submitted and not committee,
        approve=cleared and not committee and can_approve_notice(user, notice),
        approve_own=cleared and not committee and not can_approve_notice(user, notice),
        publish=notice.is_approved and (can_publish_community_notice(user, notice) if committee else staff),
        return_to_author=staff and notice.is_under_review and not committee,
        correct=published,
        print=published and can_read_anonymously(notice),
        withdraw=published,
        sample_check=published and committee_board(notice) and can_monitor_boards(user),
    )


@dataclass(frozen=True)
class FeedbackActions:
    moderate: bool  # show it publicly or reject it
    answer: bool


def feedback_actions(user, feedback) -> FeedbackActions:
    """Staff on every board; a community's secretary on their own board (see "supervision")."""
    allowed = can_moderate_feedback(user, feedback)
    return FeedbackActions(moderate=allowed and feedback.is_pending, answer=allowed and not feedback.is_rejected)


def disclosure_flags(user) -> SimpleNamespace:
    """List-level flags of the internal disclosure pages."""
    staff = is_staff_member(user)
    return SimpleNamespace(edit_catalogue=staff, timeliness=staff, draft=has_role(user, *DISCLOSURE_ROLES))


# -- report (dashboard and annual report) ------------------------------------------------------
# Staff see the whole sub-district's dashboard and build, read and download annual reports.
# A secretary sees a dashboard of their own community only (no other community, no sub-district
# totals) and no annual report. Inspectors, auditors and residents see neither.

DASHBOARD_ROLES = (Role.STAFF, Role.SECRETARY)
REPORT_ROLES = (Role.STAFF,)


def dashboard_community_id(user) -> int | None:
    """None: the whole sub-district (staff); else the one community whose figures the user sees."""
    if is_staff_member(user):
        return None
    community_id = community_id_of(user)
    if community_id is None:
        raise Http404
    return community_id


def ensure_can_build_reports(user) -> None:
    ensure_role(user, *REPORT_ROLES)


# -- operations (backups) -------------------------------------------------------------------------
# Staff see when the last backups ran and whether they succeeded; nobody else does. /healthz is
# open to anyone (the load balancer) and shows no data.
BACKUP_STATUS_ROLES = (Role.STAFF,)


# -- sign-in (accounts) ---------------------------------------------------------------------------
# Every signed-in user changes their own password and may set up two-factor sign-in (some roles
# must: jiedao.signin.two_factor_required). Staff see locked accounts and unlock them.
ACCOUNT_UNLOCK_ROLES = (Role.STAFF,)


def ensure_can_unlock_accounts(user) -> None:
    ensure_role(user, *ACCOUNT_UNLOCK_ROLES)


# -- party life (三会一课 register, 党费) ----------------------------------------------------------
# Staff and the community's secretary keep the register and the dues ledger of that community's
# organisations; staff alone keep the dues rate table. Inspectors and auditors read registers and
# ledgers. A party member (Role.MEMBER) reads only their own dues and meetings and signs in to a
# meeting of their own organisation (anything else is 404).
PARTY_LIFE_ROLES = (Role.STAFF, Role.SECRETARY, Role.INSPECTOR, Role.AUDITOR)
PARTY_MEMBER_ROLES = (Role.MEMBER,)


def can_keep_party_records(user, community_id: int | None) -> bool:
    return can_manage_community(user, community_id)


@dataclass(frozen=True)
class DuesActions:
    """What this user may do on a community's dues ledger."""

    record: bool  # bases, payments, lapse reviews, the half-yearly draft
    edit_rates: bool  # the rate table (staff)


def dues_actions(user, community_id: int | None) -> DuesActions:
    return DuesActions(record=can_keep_party_records(user, community_id), edit_rates=is_staff_member(user))


@dataclass(frozen=True)
class MeetingActions:
    """What this user may do with a meeting of the 三会一课 register."""

    edit: bool  # the record, its attendance and photos, the sign-in QR code


def meeting_actions(user, meeting) -> MeetingActions:
    return MeetingActions(edit=can_keep_party_records(user, meeting.organisation.community_id))


# -- cases (诉求/信访 ledger) -----------------------------------------------------------------------
# Staff handle every community's cases; a community's secretary handles their own community's
# (records letters, visits and calls, assigns, transfers, answers, closes). A case of another
# community is 404 to a secretary. Inspectors and auditors have no part in it (403): the ledger
# holds residents' contact details. Residents file and follow their own case on the public site
# with its query code, which shows only the public status and the answer.

CASE_ROLES = (Role.STAFF, Role.SECRETARY)


def can_handle_case(user, community_id: int | None) -> bool:
    if is_staff_member(user):
        return True
    return has_role(user, Role.SECRETARY) and community_id is not None and community_id == community_id_of(user)


def ensure_can_handle_case(user, community_id: int | None) -> None:
    """404 for a case of a community the user cannot see, 403 for a role without a part in cases."""
    if can_handle_case(user, community_id):
        return
    if has_role(user, Role.SECRETARY):
        raise Http404
    raise PermissionDenied(_("You do not have permission to do this."))


@dataclass(frozen=True)
class CaseActions:
    assign: bool  # choose or change the handler
    transfer: bool  # hand the case to another community
    reply: bool
    close: bool


def case_actions(user, case) -> CaseActions:
    handle = can_handle_case(user, case.community_id)
    return CaseActions(
        assign=handle and not case.is_closed,
        transfer=handle and not case.is_closed,
        reply=handle and case.is_open,
        close=handle and case.is_replied,
    )


def case_flags(user) -> SimpleNamespace:
    """List-level flags of the case pages."""
    return SimpleNamespace(record=has_role(user, *CASE_ROLES), all_communities=is_staff_member(user))


# -- end of cases --


# -- party organisation and members (issue 14) ------------------------------------------------------
# Staff keep the organisation tree and every roster; a community's secretary keeps their own
# community's organisations, posts, members, recruits (发展党员), transfers and 流动党员 records and
# opens member accounts for them. A 党员 account reads only its own record (another member's is 404:
# `visible_to` gives the role nothing), and the party-internal notices published on its own
# community's board. Inspectors and auditors read the tree, not the rosters. (`can_keep_party_records`
# is the party-life section's: staff, or the community's secretary.)


def member_community_id(user) -> int | None:
    """The community of a 党员 account's member record (None for anyone else). Read through the
    reverse accessor, so the kernel imports no feature app."""
    if not has_role(user, Role.MEMBER):
        return None
    cached = getattr(user, "_jiedao_member_community_id", False)
    if cached is False:
        member = getattr(user, "party_member", None)
        on_roll = member is not None and member.left_on is None and member.disqualified_on is None
        cached = member.community_id if on_roll else None  # transferred out or cancelled: nothing more
        user._jiedao_member_community_id = cached
    return cached


def ensure_can_keep_party_records(user, community_id: int | None) -> None:
    """The sub-district's own records (the 党工委, community None) are staff's; a community's are
    also its secretary's. 404 for another community, 403 for a role that only reads."""
    if community_id is None:
        ensure_role(user, Role.STAFF)
        return
    ensure_can_manage(user, community_id)


def can_member_read_notice(user, notice) -> bool:
    """A 党员 reads a published party-internal notice of their own community's board; nobody
    outside that organisation does (staff and the secretary read it in the internal pages)."""
    community_id = member_community_id(user)
    return (
        community_id is not None
        and notice.is_published
        and not notice.is_public
        and notice.board.community_id == community_id
    )


def organisation_list_flags(user) -> SimpleNamespace:
    """The tree page: staff import and export the 党组织 sheet."""
    return SimpleNamespace(import_export=is_staff_member(user))


@dataclass(frozen=True)
class OrganisationActions:
    edit: bool
    add_child: bool
    add_post: bool


def organisation_actions(user, organisation) -> OrganisationActions:
    keep = can_keep_party_records(user, organisation.community_id) or is_staff_member(user)
    return OrganisationActions(edit=keep, add_child=keep and not organisation.is_group, add_post=keep)


@dataclass(frozen=True)
class MemberActions:
    edit: bool
    decide_probation: bool  # 转正 / 延长预备期 / 取消预备党员资格
    record_oath: bool
    transfer_out: bool
    record_flow: bool
    open_account: bool


def member_actions(user, member) -> MemberActions:
    keep = can_keep_party_records(user, member.community_id)
    on_roll = member.left_on is None and member.disqualified_on is None
    probationary = on_roll and member.full_on is None
    return MemberActions(
        edit=keep,
        decide_probation=keep and probationary,
        record_oath=keep and on_roll and member.oath_on is None,
        transfer_out=keep and on_roll,
        record_flow=keep and on_roll,
        open_account=keep and on_roll and member.user_id is None,
    )


@dataclass(frozen=True)
class RecruitActions:
    take_step: bool


def recruit_actions(user, recruit) -> RecruitActions:
    return RecruitActions(
        take_step=can_keep_party_records(user, recruit.community_id)
        and recruit.member_id is None
        and recruit.dropped_on is None
    )


# -- target sheets (目标管理考核) ------------------------------------------------------------------
# Staff keep the yearly target sheet, score it, publish it, decide appeals and finalise it; the
# ranking of the communities is theirs. A secretary reads their own community's scores and the
# records behind them once the sheet is published, and appeals a score within the window; another
# community's scores, or a sheet not yet published, do not exist for them (404). Inspectors and
# auditors have no part in it (403).

TARGET_ROLES = (Role.STAFF, Role.SECRETARY)


def can_run_targets(user) -> bool:
    return is_staff_member(user)


def target_scores_visible_to(user, queryset: QuerySet) -> QuerySet:
    """TargetScore rows the user may read: staff all; a secretary their own community's, of
    published or final sheets (`queryset.exclude_drafts()` compares the status through the choices)."""
    if is_staff_member(user):
        return queryset
    own = community_id_of(user)
    if own is None:
        return queryset.none()
    return queryset.filter(community_id=own).exclude_drafts()


@dataclass(frozen=True)
class TargetSheetActions:
    edit: bool  # the sheet, its items, manual scores, recalculation: while a draft
    publish: bool
    finalise: bool
    ranking: bool


def target_sheet_actions(user, sheet) -> TargetSheetActions:
    staff = can_run_targets(user)
    return TargetSheetActions(
        edit=staff and sheet.is_draft,
        publish=staff and sheet.is_draft,
        finalise=staff and sheet.is_published,
        ranking=staff,
    )


@dataclass(frozen=True)
class TargetScoreActions:
    score_manually: bool  # staff, on a manual item of a draft sheet
    appeal: bool  # the community's secretary, while the window is open and nothing is pending
    decide: bool  # staff, on a pending appeal while the sheet is published
    ranking: bool


def target_score_actions(user, score, *, today, pending=None) -> TargetScoreActions:
    sheet = score.item.sheet
    staff = can_run_targets(user)
    own = has_role(user, Role.SECRETARY) and community_id_of(user) == score.community_id
    return TargetScoreActions(
        score_manually=staff and sheet.is_draft and score.item.is_manual,
        appeal=own and sheet.appeal_open_on(today) and pending is None,
        decide=staff and sheet.is_published and pending is not None,
        ranking=staff,
    )


def ensure_can_appeal_target(user, score) -> None:
    """404 for a score the user cannot see, 403 for one they see but may not appeal."""
    if has_role(user, Role.SECRETARY) and community_id_of(user) == score.community_id:
        return
    if has_role(user, *READ_ALL):
        raise PermissionDenied(_("You do not have permission to do this."))
    raise Http404


# -- supervision (居务公开 as the law has it) -------------------------------------------------------
# A community's 居务 and 财务 notices: drafted by the 居委会 (its secretary), checked by a member of
# THAT community's 居务监督委员会 (a user with the supervisor role whose profile names the
# community; the check cannot be skipped and the 街道 cannot give it in its place), then published
# by the community's secretary. The 街道 monitors: timeliness, 抽查 of published notices and 督办
# instructions, which the community answers. A community's secretary moderates and answers the
# residents' questions on their own board (staff still may, on every board). A supervisor reads
# their own community's 居务/财务 notices under review or published, on phone-friendly pages, and
# nothing else; another community's notice is 404 to them.

SUPERVISION_ROLES = (Role.SUPERVISOR,)


def supervisor_community_id(user) -> int | None:
    """The community whose 居务监督委员会 the user sits on; None for everyone else."""
    if not has_role(user, Role.SUPERVISOR):
        return None
    cached = getattr(user, "_jiedao_supervised_id", False)
    if cached is False:
        cached = Profile.objects.filter(user=user).values_list("community_id", flat=True).first()
        user._jiedao_supervised_id = cached
    return cached


def supervised_notices(user, queryset: QuerySet) -> QuerySet:
    """A supervisor's scope: their own community's notices (the selector keeps 居务/财务 under review
    or published)."""
    community_id = supervisor_community_id(user)
    if community_id is None:
        return queryset.none()
    return queryset.filter(board__community_id=community_id)


def can_check_notice(user, notice) -> bool:
    """The 监委会 check: a supervisor of the notice's own community, never staff in its place."""
    community_id = notice.board.community_id
    return notice.needs_committee_check and supervisor_community_id(user) == community_id


def ensure_can_check_notice(user, notice) -> None:
    """404 for a notice the user cannot see, 403 for one they see but may not check (staff, the secretary)."""
    if can_check_notice(user, notice):
        return
    if has_role(user, *READ_ALL) or can_manage_community(user, notice.board.community_id):
        raise PermissionDenied(_("Only the community's residents' supervision committee checks this notice."))
    raise Http404


def can_publish_community_notice(user, notice) -> bool:
    """The community publishes its own checked 居务/财务 notices: its secretary."""
    community_id = notice.board.community_id
    return has_role(user, Role.SECRETARY) and community_id is not None and community_id == community_id_of(user)


def ensure_can_publish_community_notice(user, notice) -> None:
    if can_publish_community_notice(user, notice):
        return
    if has_role(user, *READ_ALL) or can_manage_community(user, notice.board.community_id):
        raise PermissionDenied(_("The community publishes its own 居务 and 财务 notices."))
    raise Http404


def can_moderate_feedback(user, feedback) -> bool:
    """Residents' questions on a board: staff, or the secretary of the board's community."""
    return has_role(user, *DISCLOSURE_ROLES) and can_manage_community(user, feedback.notice.board.community_id)


def ensure_can_moderate_feedback(user, feedback) -> None:
    if can_moderate_feedback(user, feedback):
        return
    if has_role(user, *DISCLOSURE_ROLES):
        raise Http404
    raise PermissionDenied(_("You do not have permission to do this."))


def committee_board(notice) -> bool:
    """A community board's notice (the 街道 monitors these by sample)."""
    return notice.board.community_id is not None


def can_monitor_boards(user) -> bool:
    """抽查 and 督办: the 街道's staff."""
    return is_staff_member(user)


def ensure_can_monitor_boards(user) -> None:
    ensure_role(user, Role.STAFF)


def ensure_can_answer_instruction(user, instruction) -> None:
    """The community's secretary answers a 督办 instruction; staff see it but do not answer (403)."""
    if has_role(user, Role.SECRETARY) and community_id_of(user) == instruction.community_id:
        return
    if has_role(user, *READ_ALL):
        raise PermissionDenied(_("The community answers its own instructions."))
    raise Http404


@dataclass(frozen=True)
class SupervisionNoticeActions:
    check: bool  # pass the 监委会 check (the notice goes to the community to publish)
    return_to_author: bool  # send it back to the 居委会 with the reason


def supervision_notice_actions(user, notice) -> SupervisionNoticeActions:
    checker = notice.is_checking and can_check_notice(user, notice)
    return SupervisionNoticeActions(check=checker, return_to_author=checker)


@dataclass(frozen=True)
class InstructionActions:
    answer: bool


def instruction_actions(user, instruction) -> InstructionActions:
    own = has_role(user, Role.SECRETARY) and community_id_of(user) == instruction.community_id
    return InstructionActions(answer=own and instruction.is_open)


def supervision_flags(user) -> SimpleNamespace:
    """List-level flags of the supervision pages."""
    staff = is_staff_member(user)
    return SimpleNamespace(
        monitor=staff,  # sample checks, issue instructions
        keep_committee=has_role(user, *DISCLOSURE_ROLES),
        record_events=has_role(user, *DISCLOSURE_ROLES),
        all_communities=staff or has_role(user, Role.INSPECTOR, Role.AUDITOR),
    )


# -- decision trails (open meetings, opinions, decisions, implementation) --------------------------
# Whoever drafts on a board (staff; a secretary on their own community's board) announces its
# meetings, moderates the residents' opinions on them, records decisions and keeps the
# implementation items up to date; the trail is public once the meeting is announced.


def can_keep_decisions(user, board) -> bool:
    return can_draft_on_board(user, board)


@dataclass(frozen=True)
class DecisionTrailActions:
    edit: bool  # announce, moderate opinions, record decisions and implementation items


def decision_trail_actions(user, meeting) -> DecisionTrailActions:
    return DecisionTrailActions(edit=can_keep_decisions(user, meeting.board))
