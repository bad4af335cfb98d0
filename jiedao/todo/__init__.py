"""我的待办 (the signed-in user's home): what waits for this person, gathered from every app.

- items.py: TodoItem, the one shape of a work item, and `newest()`/TodoMore for a kind that grows
  with the city (the apps import it; it imports nothing of theirs);
- providers.py: PROVIDERS, every app's `selectors.todo_items(user)`, and todo_list(user);
- views.py: the page.

Like jiedao/reporting this package is not kernel: providers.py and views.py import the feature
apps. This file imports nothing, so an app's selectors can import jiedao.todo.items without a cycle.
"""
