"""Two web nodes behind one load balancer: two gunicorn processes on different ports sharing one
PostgreSQL database, Redis, and an S3-compatible object store (moto's server mode, started here),
plus a real Celery worker process. A photo uploaded through one node is downloaded through the
other; a report built by the worker is downloaded through either; the session signed in on one
node is valid on the other; nothing is written to a node's local disk."""

import hashlib
import os
import re
import subprocess
import sys
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from django.db import connection

from communities.models import MonthlyUpdate
from jiedao.celery import app
from jiedao.models import AnnualReport, SubDistrictYear
from jiedao.permissions import Role
from tests.communities.factories import CommunityYearFactory
from tests.communities.monthly_helpers import form_data, picture
from tests.jiedao.report_helpers import ensure_role_groups
from tests.ops.store import bucket_keys, free_port

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "two-nodes-pw-2005"


def wait_until(check, *, what: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout  # a safety net, not a timing assertion
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited:\n{log.read_text()[-4000:]}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready:\n{log.read_text()[-4000:]}")


class Processes:
    def __init__(self, root: Path):
        self.root, self.running = root, []

    def start(self, name: str, command: list[str], env: dict) -> tuple[subprocess.Popen, Path]:
        log = self.root / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.running.append(process)
        return process, log

    def stop(self) -> None:
        for process in reversed(self.running):
            process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def cluster(tmp_path, settings, object_store):
    """Object store, two web nodes and a worker, sharing the test's database and Redis."""
    assert os.environ.get("REDIS_URL", "").startswith("redis://"), "this test needs REDIS_URL"
    assert connection.vendor == "postgresql", "this test needs PostgreSQL"
    processes = Processes(tmp_path)
    try:
        parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])  # the test database, on the same server
        database_url = urllib.parse.urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
        local_media = tmp_path / "local-media"  # must stay empty: files live in the object store
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "jiedao.settings",
            "DEBUG": "false",
            "SECRET_KEY": "two-nodes-share-one-secret-key-" + "x" * 30,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(local_media),
            **object_store["env"],
        }
        app.control.purge()  # nothing left in the queue by an earlier run
        worker, worker_log = processes.start(
            "worker",
            [sys.executable, "-m", "celery", "-A", "jiedao", "worker", "--pool=solo", "--concurrency=1"]
            + ["--without-gossip", "--without-mingle", "--hostname=two-nodes@%h", "--loglevel=INFO"],
            env,
        )
        nodes = []
        for name in ("node-a", "node-b"):
            port = free_port()
            gunicorn = str(Path(sys.executable).parent / "gunicorn")
            process, log = processes.start(
                name, [gunicorn, "jiedao.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"], env
            )
            url = f"http://127.0.0.1:{port}"
            wait_until(
                lambda url=url: requests.get(f"{url}/healthz", timeout=10).status_code == 200,
                what=name,
                process=process,
                log=log,
            )
            nodes.append(url)
        wait_until(
            lambda: "ready." in worker_log.read_text(),
            what="the worker",
            process=worker,
            log=worker_log,
        )
        yield {"nodes": nodes, "store": object_store, "local_media": local_media, "logs": tmp_path}
    finally:
        processes.stop()


def try_sign_in(node: str, username: str, password: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    page = session.get(f"{node}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{node}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{node}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    return session, response


def sign_in(node: str, username: str) -> requests.Session:
    session, response = try_sign_in(node, username, PASSWORD)
    assert response.status_code == 302, response.text[-2000:]
    return session


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, url
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_nodes_share_files_sessions_and_reports(cluster, make_user, community_a, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the nodes verify
    ensure_role_groups()
    secretary = make_user("sec_two", Role.SECRETARY, community_a)
    staff = make_user("staff_two", Role.STAFF)
    for user in (secretary, staff):
        user.set_password(PASSWORD)
        user.save()
    node_a, node_b = cluster["nodes"]
    store = cluster["store"]

    # A photo uploaded through node A ...
    secretary_session = sign_in(node_a, "sec_two")
    token = csrf_token(secretary_session, f"{node_a}/communities/monthly/new/")
    photo = picture("活动.png")
    uploaded = photo.read()
    response = secretary_session.post(
        f"{node_a}/communities/monthly/new/",
        data={**form_data(), "month": "2005-03", "csrfmiddlewaretoken": token},
        files=[("photos", ("活动.png", uploaded, "image/png"))],
        headers={"Referer": f"{node_a}/communities/monthly/new/"},
        timeout=60,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[-3000:]
    update = MonthlyUpdate.objects.get(community=community_a)
    stored = update.photos.get()
    assert stored.file.name in bucket_keys(store)  # in the object store ...
    assert not any(cluster["local_media"].rglob("*"))  # ... and on no node's disk

    # ... is downloaded through node B, with the session signed in on node A
    download = secretary_session.get(f"{node_b}/communities/monthly/{update.pk}/photo/{stored.pk}/", timeout=30)
    assert download.status_code == 200
    assert download.content == uploaded
    # still permission-checked: someone without a session gets the login page, not the file
    anonymous = requests.get(
        f"{node_b}/communities/monthly/{update.pk}/photo/{stored.pk}/", timeout=30, allow_redirects=False
    )
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["Location"]

    # A report requested on node B is built by the worker process and downloaded through either node.
    CommunityYearFactory(community=community_a, year=2004, collective_income=Decimal("450.14"))
    CommunityYearFactory(community=community_a, year=2005, collective_income=Decimal("723.76"))
    SubDistrictYear.objects.create(year=2005, fiscal_revenue=1768, letters_visits=69, per_capita_income=5406)
    staff_session = sign_in(node_b, "staff_two")
    token = csrf_token(staff_session, f"{node_b}/subdistrict/reports/")
    response = staff_session.post(
        f"{node_b}/subdistrict/reports/new/",
        data={"year": "2005", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{node_b}/subdistrict/reports/"},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[-3000:]
    report = AnnualReport.objects.get(year=2005)
    deadline = time.monotonic() + 300  # a safety net, not a timing assertion
    while time.monotonic() < deadline and report.status in AnnualReport.ACTIVE:
        time.sleep(0.5)
        report.refresh_from_db()
    worker_log = (cluster["logs"] / "worker.log").read_text()
    assert report.status == AnnualReport.Status.DONE, report.error or worker_log[-3000:]
    assert "jiedao.annual_report_build" in worker_log  # built by the worker process, not in a web node
    assert report.file.name in bucket_keys(store)
    bodies = []
    for node in (node_a, node_b):
        download = staff_session.get(f"{node}/subdistrict/reports/{report.pk}/download/", timeout=60)
        assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
        bodies.append(download.content)
    assert bodies[0] == bodies[1] and bodies[0].startswith(b"%PDF")
    assert hashlib.sha256(bodies[0]).hexdigest() == report.sha256
    assert not any(cluster["local_media"].rglob("*"))

    # Both nodes see the worker and the object store (no local disk to watch), and their cache is
    # the shared Redis: the value node B's health check wrote is read here.
    cache.delete("healthz")
    for node in (node_a, node_b):
        health = requests.get(f"{node}/healthz", timeout=30)
        assert health.status_code == 200, health.text
        assert "worker: ok" in health.text and "media: ok (object store)" in health.text
    assert cache.get("healthz")

    # A login lockout earned on node A holds on node B.
    statuses = [try_sign_in(node_a, "staff_two", "wrong-password")[1].status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the form again with an error, then locked (AXES_FAILURE_LIMIT)
    _session, response = try_sign_in(node_b, "staff_two", PASSWORD)
    assert response.status_code == 429  # locked out, although the password is right
