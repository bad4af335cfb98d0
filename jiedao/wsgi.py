import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiedao.settings")
application = get_wsgi_application()

# A web worker loads the search's dictionary (jieba's, about a second) as it starts, so the first
# resident to search after a start or a worker's recycling does not wait for it.
from disclosure.search import words_of  # noqa: E402

words_of("公开")
