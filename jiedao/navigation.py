"""The menu: each role sees its own entries. Apps add their entries to MENU."""

from dataclasses import dataclass
from functools import cache, lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jiedao.permissions import Role, roles_of
from jiedao.selectors import unread_notification_count

ANYONE_SIGNED_IN = frozenset(Role)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset  # who sees the entry
    badge_url_name: str = ""  # an htmx fragment with the entry's count, loaded after the page


MENU = [
    MenuItem(_("My to-do list"), "todo:list", ANYONE_SIGNED_IN, badge_url_name="todo:badge"),
    MenuItem(_("Communities"), "communities:community_list", frozenset({Role.STAFF, Role.INSPECTOR, Role.AUDITOR})),
    MenuItem(_("My community"), "communities:my_community", frozenset({Role.SECRETARY})),
    MenuItem(_("Sub-district indicators"), "jiedao:subdistrict_year_list", frozenset({Role.STAFF})),
    MenuItem(_("Audit log"), "jiedao:audit_log", frozenset({Role.AUDITOR})),
    MenuItem(_("Dashboard"), "jiedao:dashboard", frozenset({Role.STAFF, Role.SECRETARY})),
    MenuItem(_("Annual reports"), "jiedao:annual_report_list", frozenset({Role.STAFF})),
    MenuItem(_("Backups"), "jiedao:backup_status", frozenset({Role.STAFF})),
    MenuItem(_("Locked accounts"), "accounts:locked_accounts", frozenset({Role.STAFF})),
    MenuItem(
        _("Demonstration sites"), "showcase:programme_list", frozenset({Role.STAFF, Role.INSPECTOR, Role.AUDITOR})
    ),
    MenuItem(_("My demonstration sites"), "showcase:site_mine", frozenset({Role.SECRETARY})),
    MenuItem(_("Appraisal and evaluation"), "assessment:cycle_list", frozenset({Role.STAFF})),
    MenuItem(_("Training ledger"), "assessment:training_event_list", frozenset({Role.STAFF})),
    MenuItem(_("Appraisal results"), "assessment:my_results", frozenset({Role.SECRETARY})),
    MenuItem(_("Target appraisal"), "assessment:target_sheet_list", frozenset({Role.STAFF, Role.SECRETARY})),
    MenuItem(_("Disclosure notices"), "disclosure:notice_list", frozenset({Role.STAFF, Role.SECRETARY})),
    MenuItem(_("Requests and complaints"), "disclosure:case_list", frozenset({Role.STAFF, Role.SECRETARY})),
    MenuItem(_("Residents' questions"), "disclosure:feedback_list", frozenset({Role.STAFF, Role.SECRETARY})),
    MenuItem(_("Notices to check"), "disclosure:supervision_queue", frozenset({Role.SUPERVISOR})),
    MenuItem(_("Board monitoring"), "disclosure:monitoring", frozenset({Role.STAFF})),
    MenuItem(_("Supervision instructions"), "disclosure:instruction_list", frozenset({Role.SECRETARY})),
    MenuItem(_("Events to disclose"), "disclosure:event_list", frozenset({Role.STAFF, Role.SECRETARY})),
    MenuItem(_("Monthly update overview"), "communities:monthly_update_overview", frozenset({Role.STAFF})),
    MenuItem(_("Our monthly updates"), "communities:monthly_update_mine", frozenset({Role.SECRETARY})),
    MenuItem(
        _("Party organisations"), "org:tree", frozenset({Role.STAFF, Role.SECRETARY, Role.INSPECTOR, Role.AUDITOR})
    ),
    MenuItem(_("My party record"), "org:me", frozenset({Role.MEMBER})),
    MenuItem(_("My meetings"), "partylife:my_meetings", frozenset({Role.MEMBER})),
    MenuItem(_("My dues"), "partylife:my_dues", frozenset({Role.MEMBER})),
]


@cache
def _menu(roles: frozenset, script_prefix: str) -> list[dict]:
    """The menu of a set of roles, its addresses reversed once (the labels stay lazy: translated
    when the page is rendered). Treat the result as read-only."""
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "badge_url": reverse(item.badge_url_name) if item.badge_url_name else "",
        }
        for item in MENU
        if roles & item.roles
    ]


def main_menu(request) -> str:
    """The menu's HTML for the signed-in user, its current entry marked."""
    roles, prefix = roles_of(request.user), get_script_prefix()
    current = request.path if any(item["url"] == request.path for item in _menu(roles, prefix)) else ""
    return _main_menu_html(roles, prefix, get_language(), current)


@lru_cache(maxsize=1024)
def _main_menu_html(roles: frozenset, script_prefix: str, language: str, current: str) -> str:
    """Drawn once per role set, language and current entry in each process: the menu is the same
    for every user with those roles, and drawing its two dozen links on every page cost about a
    third of a staff page's template time."""
    return render_to_string("includes/main_menu.html", {"menu": _menu(roles, script_prefix), "current": current})


def navigation(request):
    """Context processor: the user's menu and unread-notification count (one query)."""
    user = request.user
    context = {"subdistrict_name": settings.SUBDISTRICT_NAME}
    if user.is_authenticated:
        context["main_menu"] = SimpleLazyObject(lambda: main_menu(request))  # only pages with the navbar draw it
        context["unread_notifications"] = unread_notification_count(user)
    return context
