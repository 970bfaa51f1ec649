"""Is the worker process that took a long run still alive? A run (an import, a matching run)
records which process took it; if that process is killed (kill -9, the machine's memory killer,
a power cut) the run would otherwise say "running" forever and refuse to be started again.

A mark is `host:pid:start`, the process's start time in clock ticks since boot, so that a pid
reused by another process later is not mistaken for the worker. On the same host the answer is
certain; a run taken on another host is judged by its age only (`abandoned`)."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone


def _start_ticks(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            # The command name (field 2) may hold spaces: the fields after its ")" are fixed.
            after = handle.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    except OSError:
        return "?"
    return after[19] if len(after) > 19 else "?"  # field 22, starttime


def process_mark() -> str:
    """This process, as a run records it when it takes the run."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or '?'}"[:120]


def process_gone(mark: str) -> bool:
    """True only when certain: the mark is of this host and no process with that pid and start
    time exists. Without /proc (another system) or for another host: False."""
    host, _, rest = (mark or "").partition(":")
    pid, _, ticks = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit() or not os.path.isdir("/proc/self"):
        return False
    now = _start_ticks(int(pid))
    return now is None or (now != "?" and ticks not in ("", "?") and now != ticks)


def abandoned(mark: str, started_at) -> bool:
    """A running run whose process is gone, or that has run longer than any run can
    (AMPARO_RUN_ABANDON_HOURS, for a worker on another host that died with its machine)."""
    if process_gone(mark):
        return True
    limit = timedelta(hours=settings.AMPARO_RUN_ABANDON_HOURS)
    return started_at is not None and timezone.now() - started_at > limit
