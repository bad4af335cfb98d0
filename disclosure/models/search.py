"""The public search's synonym list: staff say that 低保 also means 最低生活保障, and a search for
either finds notices that use the other (disclosure/search.py expands the query with OR)."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["SearchSynonym"]

SEPARATORS = re.compile(r"[\s,，、;；/|]+")


class SearchSynonym(models.Model):
    term = models.CharField(pgettext_lazy("search synonym", "term"), max_length=50, unique=True)
    synonyms = models.CharField(
        _("synonyms"),
        max_length=500,
        help_text=_("Other words for the same thing, separated by spaces or commas, e.g. 最低生活保障 低保金."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return f"{self.term} ↔ {self.synonyms}"

    def words(self) -> list[str]:
        """The term and its synonyms, each once."""
        found = [self.term.strip(), *SEPARATORS.split(self.synonyms)]
        return list(dict.fromkeys(w for w in found if w))
