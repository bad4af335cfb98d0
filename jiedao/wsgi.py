import os

from django.apps import apps
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")
application = get_wsgi_application()

# A web worker loads what its first request would otherwise wait for as it starts, so that no
# resident's first page after a start or a worker's recycling waits: the URLconf and every view it
# imports (Django imports them on the first request: 0.7 s, most of it WeasyPrint's libraries),
# then whatever an app's `warm_up()` loads (disclosure: the search's dictionary, about a second).
get_resolver().url_patterns  # noqa: B018 - read for its imports
for config in apps.get_app_configs():
    if hasattr(config, "warm_up"):
        config.warm_up()
