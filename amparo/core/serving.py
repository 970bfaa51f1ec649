"""Amparo served for real: gunicorn with sync workers sized from the cores, timeouts, and an
access log that never writes a query string or a secret in a path (a search, a calendar
token): what a log collector keeps must not identify anyone."""

from __future__ import annotations

import os
import re

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

SECRET_PATHS = re.compile(r"(/procesos/calendario/)[^/]+(\.ics)$")
# remote address, user, time, "method path-without-query protocol", status, bytes, seconds
ACCESS_FORMAT = '%(h)s - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def workers_for(cores: int | None = None) -> int:
    """Sync workers: two per core plus one (gunicorn's advice), at least 2, at most 12."""
    cores = cores or os.cpu_count() or 1
    return max(2, min(12, 2 * cores + 1))


class AccessLogger(Logger):
    """gunicorn's logger, with the path's secrets masked and no query string."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = SECRET_PATHS.sub(r"\1…\2", atoms.get("U", ""))
        atoms["q"] = atoms["r"] = ""
        return atoms


class Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()  # what amparo/wsgi.py gives (the wiring sits above core)


def serve(*, bind: str, workers: int | None = None, timeout: int = 60,
          access_log: str | None = "-", max_requests: int = 2000) -> None:
    Server({
        "bind": bind, "workers": workers or workers_for(), "worker_class": "sync",
        "timeout": timeout, "graceful_timeout": 30, "keepalive": 5,
        # a worker is replaced now and then, so a slow leak never grows for days
        "max_requests": max_requests, "max_requests_jitter": max_requests // 10,
        "accesslog": access_log, "access_log_format": ACCESS_FORMAT,
        "logger_class": "amparo.core.serving.AccessLogger", "errorlog": "-",
        "forwarded_allow_ips": os.environ.get("AMPARO_PROXY_IPS", "127.0.0.1"),
        "limit_request_line": 8190, "proc_name": "amparo",
        "control_socket_disable": True,  # no socket under $HOME (systemd: ProtectHome)
    }).run()
