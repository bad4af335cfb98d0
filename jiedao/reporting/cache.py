"""What staff pages show of the data, computed once per data version (issue 16).

Computing the staff dashboard reads every app's figures for two years (about 25 queries) and
the charts whose data changed (charts.py keeps each drawing per content); 我的待办 compiles a
window-function query per kind of item; the monthly overview and the notice list render a grid
or a table. Their inputs change a few times a day, so the results (and, through
`fragment_context`, the pages' rendered fragments) are kept in the cache (Redis in production)
under a key holding

- the **figures version**, a counter in the cache bumped by every write to the data the figures
  come from: any save, delete or m2m change of a model of the feature apps or of the
  sub-district's own figures (`post_save`/`post_delete`/`m2m_changed`, whatever the sender), and
  every write that sends no signal but is audited (`jiedao.audit.rows_logged`, sent by `log_bulk`,
  `log_update` and `log_event`: imports, version-guarded transitions, bulk updates). Writes that are
  neither (the demo and `seed_scale` fixtures) call `bump_figures_version()` themselves;
- today's date (what is due and what is overdue move with the calendar);
- the year and, for a secretary, the community.

The counter is bumped at the write *and* again when its transaction commits: a reader that computed
from the not-yet-committed state in between stored it under the first bump's version, which the
second one retires. A reader reads the version before it computes, so what it stores is never
older than its key. Entries also expire after `CACHE_SECONDS` as a safety net.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from jiedao.audit import rows_logged

VERSION_KEY = "reporting:figures-version"
CACHE_SECONDS = 3600
WATCHED_APPS = frozenset({"communities", "showcase", "assessment", "disclosure"})
# A user's Profile names their community, which 我的待办 (cached here too) depends on; a user's
# name is shown in the kept staff notice table (its author).
WATCHED_MODELS = frozenset(
    {("jiedao", "subdistrictyear"), ("jiedao", "workdayoverride"), ("jiedao", "profile"), ("auth", "user")}
)
# A sign-in saves the user's last_login alone: nothing any page keeps shows it.
UNSEEN_UPDATES = {("auth", "user"): frozenset({"last_login"})}


def figures_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def new_figures_version() -> None:
    """A new version at once, outside any transaction (tests start with one; no database needed)."""
    _incr()


def _incr() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set
        cache.add(VERSION_KEY, 2, timeout=None)


def bump_figures_version() -> None:
    """Retire every cached dashboard: now, and again once the current transaction commits."""
    _incr()
    transaction.on_commit(_incr)


def cached_figures(name: str, compute, *parts):
    """`compute()` once per figures version, day and `parts` (plain values that name the result)."""
    key = ":".join(["reporting", name, str(figures_version()), timezone.localdate().isoformat(), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=CACHE_SECONDS)
    return value


def fragment_context(*parts) -> dict:
    """For a template's `{% cache fragment_seconds <name> fragment_key … %}` around what a page
    shows of the figures: the key holds the figures version, read here, before the view's lazy data
    is read while rendering (so what is kept under it is never older), and `parts` (who may read
    what, the day…)."""
    return {"fragment_key": ":".join(map(str, (figures_version(), *parts))), "fragment_seconds": CACHE_SECONDS}


def watched(model) -> bool:
    meta = model._meta
    return meta.app_label in WATCHED_APPS or (meta.app_label, meta.model_name) in WATCHED_MODELS


def _on_write(sender, update_fields=None, **kwargs) -> None:
    unseen = UNSEEN_UPDATES.get((sender._meta.app_label, sender._meta.model_name))
    if watched(sender) and not (unseen and update_fields and set(update_fields) <= unseen):
        bump_figures_version()


def _on_m2m(sender, instance, **kwargs) -> None:
    if kwargs.get("action", "").startswith("post_") and watched(type(instance)):
        bump_figures_version()


def _on_logged(sender, **kwargs) -> None:
    if watched(sender):
        bump_figures_version()


def connect_signals() -> None:
    """Called from JiedaoConfig.ready()."""
    post_save.connect(_on_write, dispatch_uid="reporting-figures-save")
    post_delete.connect(_on_write, dispatch_uid="reporting-figures-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="reporting-figures-m2m")
    rows_logged.connect(_on_logged, dispatch_uid="reporting-figures-logged")
