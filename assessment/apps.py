from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Appraisal and training")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Ballots and ballot codes are deliberately NOT audited: a log entry would record the exact
        # time and key of each ballot and so undo the anonymity of the democratic evaluation.
        for model in (
            models.AppraisalCycle,
            models.Appraisal,
            models.BallotSession,
            models.PaperTally,
            models.TrainingEvent,
            models.TrainingRecord,
            models.TrainingRequirement,
            models.TargetSheet,
            models.TargetItem,
            models.TargetScore,
            models.TargetAppeal,
        ):
            auditlog.register(model)
