from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JiedaoConfig(AppConfig):
    name = "jiedao"
    verbose_name = _("Sub-district")

    def ready(self):
        from auditlog.registry import auditlog

        from .admin_words import localise_admin_names

        localise_admin_names()  # third-party apps' and models' names through the project's catalogue

        from .models import AnnualReport, Profile, SubDistrictYear, WorkdayOverride

        timestamps = ["created_at", "updated_at"]  # not changes anyone made
        auditlog.register(SubDistrictYear, exclude_fields=timestamps)
        auditlog.register(WorkdayOverride, exclude_fields=timestamps)
        auditlog.register(
            Profile,
            exclude_fields=timestamps,
            mask_fields=["phone"],
            mask_callable="jiedao.personal_numbers.mask_audit_value",
        )
        # Who asked for which report; the build's progress is saved with update() and not logged.
        auditlog.register(AnnualReport, include_fields=["year", "version", "status", "requested_by"])

        # Accounts and permission grants: the password hash never enters the log ("password changed"
        # is recorded instead, jiedao.audit), group and permission grants through auditlog's m2m support.
        from django.contrib.auth.models import Group, User
        from django.core import checks

        from . import audit

        auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups", "user_permissions"})
        auditlog.register(Group, m2m_fields={"permissions"})
        audit.connect_password_signals()
        checks.register(audit.check_retention_days)

        from .request_log import connect_task_signals

        connect_task_signals()  # task start/end/failure lines in the worker's log

        from .signin import connect_signals as connect_signin_signals

        connect_signin_signals()  # the idle clock and the two-factor device look-up start at sign-in

        from .reporting.cache import connect_signals as connect_figure_cache

        connect_figure_cache()  # the dashboard's cached figures are retired by every write they read
