"""gunicorn's settings for the portal (the systemd unit deploy/systemd/jiedao-web.service runs
`gunicorn -c <release>/deploy/gunicorn.conf.py`). `kill -HUP` (systemctl reload) re-reads this
file and replaces the workers gracefully with ones importing the release `current` points to."""

import os

# The release through the `current` symlink, not the directory it resolves to: after an upgrade
# switches the link, new workers import the new code.
chdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
wsgi_app = "jiedao.wsgi:application"

# nginx talks to a socket in systemd's RuntimeDirectory; GUNICORN_BIND overrides it (tests).
bind = [os.environ.get("GUNICORN_BIND", "unix:/run/jiedao/gunicorn.sock")]
umask = 0o111  # the socket only (rw for all, like a port on 127.0.0.1), so that nginx may connect
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
worker_class = "sync"
timeout = 120  # a large spreadsheet import is the slowest request
graceful_timeout = 30  # a reload lets requests in flight finish
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))  # recycle workers now and then (memory); 0: never
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"  # nginx on this machine (or through the socket)

# The portal logs each request itself (jiedao/request_log.py, with its id, user and duration);
# gunicorn's own lines (start, reload, worker timeouts) go to stderr, i.e. the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = True  # anything printed by the app ends up in the journal too
proc_name = "jiedao-web"
