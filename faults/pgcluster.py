"""A throwaway PostgreSQL cluster of our own (initdb in a temporary folder, trust
authentication, 127.0.0.1 only), so a fault script may stop and start it without touching
anybody else's server. As root it runs as the `postgres` OS user through runuser."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PORT = 55432


def _bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable_reason(port=PORT):
    """Why a cluster of our own cannot be started here, or None if it can."""
    bindir = _bindir()
    if bindir is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser to become the postgres user"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres OS user to run the cluster"
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            return f"port {port} on 127.0.0.1 is already taken"
    return None


class Cluster:
    def __init__(self, port=PORT):
        self.port = port
        self.bindir = _bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}/faults"

    def _run(self, *args, check=True):
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)

    def __enter__(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "faults")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def __exit__(self, *exc):
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def ready(self):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready():
                return
            time.sleep(0.1)
        raise RuntimeError("the PostgreSQL cluster did not come back")
