"""Searching the public notices by words (issue 13 finding 17, issue 16 item 4).

Chinese has no spaces, so a notice's title and text are cut into words by jieba when it is
published or corrected (`search_text_of`, called by the notice services) and kept in
`Notice.search_text`. On PostgreSQL the words are searched as a full-text `tsvector` ('simple'
configuration: the words as jieba cut them) through the GIN index `notice_search_gin` (migration
0007), ranked with ts_rank; on SQLite (the embedded demo) the same words are matched with icontains.
A query is cut the same way; every word must match, and each word or phrase with synonyms
(`SearchSynonym`, edited by staff) matches any of them. Matched words are highlighted after the
text has been escaped, so a notice cannot inject markup through the search page.
"""

import logging
import re
from functools import lru_cache

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from disclosure.models import Notice, SearchSynonym
from jiedao.pagecache import bump_public_version
from jiedao.permissions import Role, ensure_role

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_WORDS = 8
SNIPPET_CHARS = 120
# Words jieba returns that carry no meaning for a search (punctuation, particles).
_SKIP = re.compile(r"^[\W_]+$|^(的|了|和|与|及|在|是)$")


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    return jieba.Tokenizer()


def words_of(text: str, *, for_search: bool = True) -> list[str]:
    """The words of `text` (HTML removed), lower-cased. `for_search` also yields the shorter words
    inside long ones (保障金 → 保障, 保障金), as the stored text needs."""
    text = strip_tags(text or "").lower()
    cut = _tokenizer().cut_for_search(text) if for_search else _tokenizer().cut(text)
    return [w.strip() for w in cut if w.strip() and not _SKIP.match(w.strip())]


def search_text_of(notice: Notice) -> str:
    """What the notice services store in `Notice.search_text`: the words of title and text."""
    return " ".join(words_of(f"{notice.title}\n{notice.body}"))


def query_groups(query: str) -> list[list[list[str]]]:
    """The query as AND of groups; a group is OR of alternatives; an alternative is the AND of its
    words (a phrase such as 最低生活保障 is cut into 最低, 生活, 保障, as the stored text is).
    A synonym list entry found anywhere in the query (低保, or 最低生活保障 typed in full) becomes one
    group of all its words; the rest of the query is cut into words, each a group of its own."""
    text = strip_tags(query or "").lower()
    groups: list[list[str]] = []
    if text.strip():
        entries = sorted(
            ((alt.lower(), entry) for entry in SearchSynonym.objects.all() for alt in entry.words()),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )  # a short list kept by staff: one query; the longest phrase wins
        for alt, entry in entries:
            if alt and alt in text:
                text = text.replace(alt, " ")
                group = [w.lower() for w in entry.words()]
                if group not in groups:
                    groups.append(group)
    words = list(dict.fromkeys(words_of(text, for_search=False)))
    groups += [[w] for w in words if [w] not in groups]
    groups = groups[:MAX_QUERY_WORDS]
    return [[words_of(alt, for_search=False) or [alt] for alt in group] for group in groups]


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_of(groups) -> str:
    """The raw tsquery text: ('低保' | ('最低' & '生活' & '保障')) & …, each word quoted."""
    return " & ".join(
        "(" + " | ".join("(" + " & ".join(_lexeme(w) for w in alt) + ")" for alt in group) + ")" for group in groups
    )


# How many of the newest matching notices a search ranks and shows (its last page says so).
SEARCH_CANDIDATES = 500


def search_notices(qs: QuerySet[Notice], query: str) -> tuple[QuerySet[Notice], list[str]]:
    """`qs` narrowed to the newest SEARCH_CANDIDATES notices matching `query`, best first; and the
    words to highlight."""
    groups = query_groups(query)
    if not groups:
        return qs.none(), []
    highlight = sorted({w for group in groups for alt in group for w in [*alt, "".join(alt)]}, key=len, reverse=True)
    if connection.vendor == "postgresql":
        vector = SearchVector("search_text", config="simple")
        tsquery = SearchQuery(tsquery_of(groups), config="simple", search_type="raw")
        # Ranking every match would parse each matching notice's words again: a word in nearly every
        # notice (公开) took 2.4 s at 3,000 communities. The newest SEARCH_CANDIDATES matches are
        # ranked (read newest first through an index, or through the GIN index when few match).
        newest = (
            qs.annotate(search=vector)
            .filter(search=tsquery)
            .order_by("-published_at", "-pk")
            .values("pk")[:SEARCH_CANDIDATES]
        )
        found = (
            qs.filter(pk__in=newest)
            .annotate(rank=SearchRank(vector, tsquery))
            .order_by("-rank", "-published_at", "-pk")
        )
        return found, highlight
    condition = Q()
    for group in groups:
        alternatives = Q()
        for alt in group:
            both = Q()
            for word in alt:
                both &= Q(search_text__icontains=word)
            alternatives |= both
        condition &= alternatives
    return qs.filter(condition).order_by("-published_at", "-pk"), highlight


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, then each of `words` marked with <mark>; nothing of the text is markup."""
    escaped = escape(text)
    marks = [escape(w) for w in words if w]
    if not marks:
        return mark_safe(escaped)  # noqa: S308 — escaped above
    pattern = re.compile("|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True)), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308 — escaped above


def snippet(body: str, words: list[str]) -> SafeString:
    """A short excerpt of the text around the first matched word, highlighted."""
    text = " ".join(strip_tags(body or "").split())
    lowered = text.lower()
    hits = [lowered.find(w.lower()) for w in words if w and lowered.find(w.lower()) >= 0]
    start = max(0, min(hits) - SNIPPET_CHARS // 3) if hits else 0
    excerpt = text[start : start + SNIPPET_CHARS]
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    return mark_safe(prefix + highlight(excerpt, words) + suffix)  # noqa: S308 — highlight escapes


@transaction.atomic
def synonym_save(*, actor, synonym: SearchSynonym) -> SearchSynonym:
    """Staff add or change an entry of the synonym list; the next search uses it."""
    ensure_role(actor, Role.STAFF)
    synonym.term = synonym.term.strip()
    synonym.full_clean()
    synonym.save()
    bump_public_version()  # cached search pages were computed with the old list
    return synonym


@transaction.atomic
def synonym_delete(*, actor, synonym: SearchSynonym) -> None:
    ensure_role(actor, Role.STAFF)
    synonym.delete()
    bump_public_version()
