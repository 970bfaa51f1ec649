"""A PostgreSQL cluster of the drill's own (initdb in a folder, its own port), so that a drill
can kill it, archive its WAL and restore it without touching the machine's PostgreSQL.
Run as root (the cluster runs as the `postgres` user) or as a user that may run initdb."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self, root: Path, port: int, *, archive: Path | None = None):
        self.root, self.port, self.archive = root, port, archive
        self.data = root / f"data-{port}"

    def url(self, database: str = "amparo") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> Cluster:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        _as_postgres([str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                      "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        settings = [f"port = {self.port}", "listen_addresses = '127.0.0.1'",
                    f"unix_socket_directories = '{self.root}'", "fsync = on",
                    "synchronous_commit = on", "wal_level = replica", "max_wal_senders = 3"]
        if self.archive is not None:
            self.archive.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.archive, "postgres", "postgres")
            copy = f"test ! -f {self.archive}/%f && cp %p {self.archive}/%f"
            settings += ["archive_mode = on", f"archive_command = '{copy}'"]
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n".join(settings) + "\n")
        return self

    def start(self) -> None:
        _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-l",
                      str(self.root / f"log-{self.port}.txt"), "-w", "-t", "120", "start"])

    def stop(self, mode: str = "fast") -> None:
        _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def kill9(self) -> int:
        """kill -9 of the postmaster and every backend: a power cut, as far as the data knows."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                  text=True).stdout.split()
        os.kill(pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(child), signal.SIGKILL)
        time.sleep(1)
        return pid

    def sql(self, statement: str, database: str = "postgres") -> str:
        return _as_postgres([str(BIN.parent / "bin" / "psql"), "-h", "127.0.0.1", "-p",
                             str(self.port), "-U", "postgres", "-d", database, "-tAc",
                             statement]).stdout.strip()

    def base_backup(self, target: Path) -> None:
        _as_postgres([str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port),
                      "-U", "postgres", "-D", str(target), "-Fp", "-Xs", "-c", "fast"])

    def restore_from(self, base: Path, *, target_time: str) -> None:
        """This cluster's data: the base backup, replayed from the archive up to a moment."""
        if os.geteuid() == 0:
            _as_postgres(["cp", "-a", str(base), str(self.data)])
        else:
            shutil.copytree(base, self.data)
        with open(self.data / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
            conf.write(f"port = {self.port}\n"
                       f"restore_command = 'cp {self.archive}/%f %p'\n"
                       f"recovery_target_time = '{target_time}'\n"
                       "recovery_target_action = 'promote'\n"
                       "archive_mode = off\n")
        _as_postgres(["touch", str(self.data / "recovery.signal")])
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            _as_postgres(["rm", str(pid_file)])

    def wait_promoted(self, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.sql("SELECT pg_is_in_recovery()") == "f":
                    return
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.5)
        raise TimeoutError("the restored cluster did not leave recovery")
