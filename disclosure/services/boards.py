"""Boards and the disclosure catalogue."""

from django.db import transaction

from jiedao.pagecache import bump_public_version
from jiedao.permissions import Role, ensure_role

from ..models import Board, CatalogItem


def board_for_community(*, community) -> Board:
    board, _created = Board.objects.get_or_create(
        community=community, defaults={"slug": community.code.lower(), "name": community.name, "order": 1}
    )
    if _created:
        bump_public_version()  # the new board appears on the public index
    return board


def board_for_new_community(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of a community (connected in apps.py): every community gets its board the moment it exists."""
    if created and not raw:
        board_for_community(community=instance)


def subdistrict_board() -> Board:
    board, _created = Board.objects.get_or_create(slug="jiedao", defaults={"name": "街道公开栏", "order": 0})
    return board


@transaction.atomic
def catalog_item_save(*, actor, item: CatalogItem) -> CatalogItem:
    ensure_role(actor, Role.STAFF)
    item.full_clean()
    item.save()
    bump_public_version()  # the public pages show this change on the next request
    return item
