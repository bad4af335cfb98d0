"""我的待办 items of the assessment (jiedao/todo). Appraisal cycles and ballots are run by staff
from their own pages and wait for nobody; appeals against target-sheet scores (目标管理考核) add
their items here."""

from jiedao.todo.items import TodoItem


def todo_items(user) -> list[TodoItem]:
    return []
