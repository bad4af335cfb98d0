import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")
application = get_wsgi_application()

# A web worker loads what its first request would otherwise wait for as it starts: the URLconf and
# every view it imports (Django imports them on the first request: 0.7 s, most of it WeasyPrint's
# libraries) and the search's dictionary (jieba's, about a second). No resident's first page after
# a start or a worker's recycling waits for them.
from django.urls import get_resolver  # noqa: E402

from disclosure.search import words_of  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imported for its side effect
words_of("公开")
