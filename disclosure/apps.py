from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Disclosure")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models
        from .search import words_of
        from .services.boards import board_for_new_community
        from .services.first_publications import notice_written

        self.words_of = words_of  # for warm_up()

        for model in (
            models.CatalogItem,
            models.Board,
            models.NoticeStep,
            models.Attachment,
            models.FinanceLine,
            models.OpenMeeting,
            models.SearchSynonym,
        ):
            auditlog.register(model)
        auditlog.register(models.Notice, exclude_fields=["search_text"])  # derived words, not a change
        auditlog.register(
            models.Feedback, mask_fields=["contact", "name"], mask_callable="jiedao.personal_numbers.mask_audit_value"
        )
        # the case ledger: contact masked in the change log, the query-code hash left out of it
        auditlog.register(
            models.Case,
            exclude_fields=["query_hash"],
            mask_fields=["contact"],
            mask_callable="jiedao.personal_numbers.mask_audit_value",
        )
        auditlog.register(models.CaseEvent)
        # 居务监督委员会, 抽查, 督办, decision trails, the event ledger; residents' opinions masked like questions
        for model in (
            models.SupervisionCommittee,
            models.SampleCheck,
            models.Instruction,
            models.Decision,
            models.DecisionItem,
            models.DisclosureEvent,
        ):
            auditlog.register(model)
        auditlog.register(
            models.MeetingOpinion,
            mask_fields=["contact", "name"],
            mask_callable="jiedao.personal_numbers.mask_audit_value",
        )
        post_save.connect(board_for_new_community, sender="communities.Community", dispatch_uid="disclosure_board")
        # the first publications per day that 公开及时率 counts, kept as notices change
        post_save.connect(notice_written, sender=models.Notice, dispatch_uid="disclosure_first_publications")
        post_delete.connect(notice_written, sender=models.Notice, dispatch_uid="disclosure_first_publications")

    def warm_up(self):
        """Called by a web worker as it starts (jiedao/wsgi.py): the search's dictionary (jieba's,
        about a second to load) is read then, not by the first resident who searches."""
        self.words_of("公开")
