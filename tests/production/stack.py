"""The portal as deployed, started for a test: deploy/'s files rendered with the test's paths and
ports, the environment file built from deploy/jiedao.env.example, a fresh PostgreSQL database,
and the processes the systemd units would run (their ExecStart, WorkingDirectory and
EnvironmentFile), nginx in front with a self-signed certificate.

    with ProductionStack() as stack:          # temp dir, database, env file, rendered deploy/ files
        stack.prepare(seed=True)              # migrate, collectstatic, compilemessages, check --deploy, seed_demo
        stack.start_web()                     # gunicorn from jiedao-web.service (socket in the run dir)
        stack.start_worker(); stack.start_beat()
        stack.start_nginx()                   # https://localhost:<port>/ → stack.url
        ...
    # everything stopped, the database dropped and the temp dir removed, also after a failure

`start_web(name, bind=...)` may be called more than once (several web nodes, e.g. on TCP ports:
`bind="127.0.0.1:8123"`); `env_overrides` (constructor) adds or replaces environment variables of
every process (S3 settings, say). `stack.manage(...)` runs deploy/manage.sh as the operator would;
`stack.sql(query)` reads the database; `stack.log(name)` is a process's output; `stack.reload("web")`
is `systemctl reload` (HUP); `stack.stop(name)` stops one process.
"""

import contextlib
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg2
from psycopg2 import sql

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
DEMO_PASSWORD = "smoke-test-2005"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_env_file(path: Path) -> dict[str, str]:
    """systemd's EnvironmentFile: KEY=value lines; # comments and blank lines ignored."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def read_unit(path: Path) -> dict[str, str]:
    """The [Service] keys of a systemd unit (the last value of a repeated key)."""
    keys, section = {}, None
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys[key] = value
    return keys


def _wait_for(check, *, what: str, timeout: float, process: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited ({process.returncode}):\n{log.read_text()[-4000:] if log else ''}")
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s:\n{log.read_text()[-4000:] if log else ''}")


class ProductionStack:
    def __init__(self, *, env_overrides: dict[str, str] | None = None, domain: str = "localhost"):
        self.domain = domain
        self.env_overrides = env_overrides or {}
        self.processes: dict[str, subprocess.Popen] = {}
        self.database_name = f"jiedao_smoke_{secrets.token_hex(4)}"
        self.root: Path | None = None

    # -- set-up and tear-down --------------------------------------------------------------------

    def __enter__(self):
        try:
            self._set_up()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _set_up(self):
        base_db = os.environ.get("DATABASE_URL", "")
        redis_url = os.environ.get("REDIS_URL", "")
        if not base_db.startswith("postgres") or not redis_url.startswith("redis"):
            raise RuntimeError("the production stack needs DATABASE_URL (PostgreSQL) and REDIS_URL")
        # Readable by nginx's workers (an unprivileged user when nginx starts as root).
        self.root = Path(tempfile.mkdtemp(prefix="jiedao-prod-"))
        self.root.chmod(0o755)
        for sub in ("home", "static", "media", "backups", "run", "state", "log", "conf", "nginx", "tls", "mail"):
            (self.root / sub).mkdir(mode=0o755)
        (self.root / "home" / "current").symlink_to(REPO)  # the release `current` points to
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://{self.domain}:{self.https_port}"

        parts = urllib.parse.urlsplit(base_db)
        self._admin_dsn = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.database_name}"))
        self._create_database()

        env = read_env_file(DEPLOY / "jiedao.env.example")
        env.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=self.domain,
            CSRF_TRUSTED_ORIGINS=self.url,
            DATABASE_URL=self.database_url,
            REDIS_URL=redis_url,
            CELERY_QUEUE=f"jiedao-{self.database_name}",  # another stack on the same Redis takes none of its tasks
            EMAIL_URL=f"filemail:///{self.root / 'mail'}",  # mail kept as files, not mixed into the log
            STATIC_ROOT=str(self.root / "static"),
            MEDIA_ROOT=str(self.root / "media"),
            BACKUP_DIR=str(self.root / "backups"),
            GUNICORN_WORKERS="2",
            SUBDISTRICT_NAME="龙潭街道",
        )
        env.update(self.env_overrides)
        self.env_file = self.root / "conf" / "jiedao.env"
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        self.env_file.chmod(0o600)
        self._render()

    def _create_database(self):
        connection = psycopg2.connect(self._admin_dsn)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database_name)))
        connection.close()
        self._database_created = True

    def _drop_database(self):
        if not getattr(self, "_database_created", False):
            return
        connection = psycopg2.connect(self._admin_dsn)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database_name))
            )
        connection.close()
        self._database_created = False

    def sql(self, query: str, params=()) -> list[tuple]:
        """Rows of a query on the stack's database (to look up ids the pages do not show)."""
        connection = psycopg2.connect(self.database_url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def _render(self):
        """deploy/render.sh, exactly as docs/deploy.md runs it, with the test's paths and ports."""
        values = {
            "JIEDAO_DOMAIN": self.domain,
            "JIEDAO_HOME": str(self.root / "home"),
            "JIEDAO_STATIC_ROOT": str(self.root / "static"),
            "JIEDAO_ENV_FILE": str(self.env_file),
            "JIEDAO_RUN_DIR": str(self.root / "run"),
            "JIEDAO_STATE_DIR": str(self.root / "state"),
            "JIEDAO_TLS_CERT": str(self.root / "tls" / "cert.pem"),
            "JIEDAO_TLS_KEY": str(self.root / "tls" / "key.pem"),
            "JIEDAO_NGINX_LOG_DIR": str(self.root / "log"),
            "JIEDAO_HTTP_PORT": str(self.http_port),
            "JIEDAO_HTTPS_PORT": str(self.https_port),
        }
        subprocess.run(
            ["bash", str(DEPLOY / "render.sh"), str(self.root / "conf")],
            env={"PATH": os.environ["PATH"], **values},
            check=True,
            capture_output=True,
        )
        self.units = {p.stem: read_unit(p) for p in (self.root / "conf" / "systemd").glob("*.service")}

    def close(self):
        for name in reversed(list(self.processes)):
            self.stop(name)
        try:
            self._drop_database()
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    # -- running things --------------------------------------------------------------------------

    def process_env(self, unit: str | None = None, **extra) -> dict[str, str]:
        """A clean environment (nothing of the test run's own, e.g. eager Celery) plus the unit's
        EnvironmentFile, as systemd builds it."""
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(self.root / "home")}
        env_file = Path(self.units[unit]["EnvironmentFile"]) if unit else self.env_file
        env.update(read_env_file(env_file))
        env.update(extra)
        return env

    def manage(self, *args: str, timeout: float = 600) -> str:
        """deploy/manage.sh of the release, as docs/deploy.md runs it (env file, service user)."""
        release = self.root / "home" / "current"
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "LANG": "C.UTF-8",
            "HOME": str(self.root / "home"),
            "JIEDAO_ENV_FILE": str(self.env_file),
            "JIEDAO_USER": pwd.getpwuid(os.getuid()).pw_name,  # the test's own user stands in for jiedao
        }
        result = subprocess.run(
            [str(release / "deploy" / "manage.sh"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.sh {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def prepare(self, *, seed: bool = True):
        """What docs/deploy.md does before starting the services."""
        steps = [
            ("migrate", "--no-input", "-v0"),
            ("collectstatic", "--no-input", "-v0"),
            ("compilemessages", "--ignore=.venv", "-v0"),
            ("check", "--deploy", "--fail-level", "WARNING"),
        ]
        if seed:
            steps.append(("seed_demo", "--password", DEMO_PASSWORD))
        for step in steps:
            started = time.monotonic()
            self.manage(*step)
            print(f"manage.sh {step[0]}: {time.monotonic() - started:.0f}s")

    def log(self, name: str) -> str:
        path = self.root / "log" / f"{name}.log" if self.root else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    def _spawn(self, name: str, argv: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
        log = open(self.root / "log" / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        process._log_handle = log
        self.processes[name] = process
        return process

    def start_unit(self, unit: str, name: str | None = None, **extra_env) -> subprocess.Popen:
        """Start what the rendered unit's ExecStart says, in its WorkingDirectory."""
        service = self.units[unit]
        argv = shlex.split(service["ExecStart"].replace("%H", socket.gethostname()))
        return self._spawn(
            name or unit, argv, cwd=Path(service["WorkingDirectory"]), env=self.process_env(unit, **extra_env)
        )

    def start_web(self, name: str = "web", *, bind: str | None = None, timeout: float = 60) -> str:
        """gunicorn as jiedao-web.service runs it; returns its bind address (the socket by default)."""
        bind = bind or f"unix:{self.root / 'run' / 'gunicorn.sock'}"
        process = self.start_unit("jiedao-web", name, GUNICORN_BIND=bind)
        log = self.root / "log" / f"{name}.log"
        _wait_for(
            lambda: "Booting worker" in log.read_text(errors="replace"),
            what=name,
            timeout=timeout,
            process=process,
            log=log,
        )
        return bind

    def start_worker(self, name: str = "worker", timeout: float = 90):
        process = self.start_unit("jiedao-worker", name)
        log = self.root / "log" / f"{name}.log"
        _wait_for(
            lambda: " ready." in log.read_text(errors="replace"), what=name, timeout=timeout, process=process, log=log
        )

    def start_beat(self, name: str = "beat", timeout: float = 60):
        process = self.start_unit("jiedao-beat", name)
        log = self.root / "log" / f"{name}.log"
        _wait_for(
            lambda: "beat: Starting" in log.read_text(errors="replace"),
            what=name,
            timeout=timeout,
            process=process,
            log=log,
        )

    def start_nginx(self, timeout: float = 30):
        """Debian's nginx with the rendered site and a self-signed certificate for the domain."""
        tls = self.root / "tls"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={self.domain}",
             "-addext", f"subjectAltName=DNS:{self.domain}",
             "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        prefix = self.root / "nginx"
        main = prefix / "nginx.conf"
        # Only the frame is the test's (Debian's /etc/nginx/nginx.conf writes to /var); the site is deploy's.
        temp_paths = "".join(
            f"  {k}_temp_path {prefix}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main.write_text(
            f"worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {self.root}/log/nginx.log warn;\n"
            "events { worker_connections 256; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  sendfile on;\n  server_tokens off;\n{temp_paths}"
            f"  include {self.root}/conf/nginx/jiedao.conf;\n}}\n"
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        check = subprocess.run([nginx, "-t", "-c", str(main), "-p", str(prefix)], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        process = self._spawn(
            "nginx",
            [nginx, "-c", str(main), "-p", str(prefix), "-g", "daemon off;"],
            cwd=prefix,
            env={"PATH": os.environ["PATH"]},
        )

        def answers():
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.https_port)) == 0

        _wait_for(answers, what="nginx", timeout=timeout, process=process, log=self.root / "log" / "nginx.log")

    def stop(self, name: str, timeout: float = 30):
        process = self.processes.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)  # its own session: the workers it forked too
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            except ProcessLookupError:
                pass
        # forked children that outlived their parent (same process group)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process._log_handle.close()

    def reload(self, name: str = "web"):
        """`systemctl reload jiedao-web`: ExecReload sends HUP to the main process."""
        os.kill(self.processes[name].pid, signal.SIGHUP)


if __name__ == "__main__":  # a manual look: python -m tests.production.stack
    with ProductionStack() as stack:
        stack.prepare(seed=True)
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        stack.start_nginx()
        print(f"{stack.url}/  (demo password {DEMO_PASSWORD}); Ctrl-C stops", file=sys.stderr)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
