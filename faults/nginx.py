"""nginx from Debian (/usr/sbin/nginx) in front of several gunicorn servers on 127.0.0.1,
with a configuration generated into a work folder (pid, logs and temporary files there too),
run as the current user. For tests/test_two_servers.py and faults/scale.py.

Retries: nginx's default `proxy_next_upstream error timeout` passes a request to the next
server only when this one could not take it, and never a POST once it was sent (nginx does
not retry non-idempotent requests without `non_idempotent`, which we leave out). So a save
refused at connect time by a dead server goes to the other one, and a save cut off
mid-request by a server dying is answered 502, never acknowledged, and the page's script
sends it again: a save is never applied twice behind the person's back, and a slow old
copy can never land after a newer save of the same section."""

import getpass
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from faults.harness import free_port, request

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONFIG = """\
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream app {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 1m;
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $request_id;  # as README's configuration does
            proxy_connect_timeout 2s;
            proxy_read_timeout 35s;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


def available():
    return os.path.exists(NGINX) and os.access(NGINX, os.X_OK)


class Nginx:
    """nginx on a free port of 127.0.0.1, balancing over `ports` (round robin)."""

    def __init__(self, workdir, ports):
        self.dir = Path(workdir) / "nginx"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports
        )
        # Run as root (CI), nginx would hand its workers to "nobody", who cannot write here.
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        self.conf = self.dir / "nginx.conf"
        self.conf.write_text(
            CONFIG.format(user=user, dir=self.dir, servers=servers, port=self.port)
        )
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [
                NGINX,
                "-p",
                str(self.dir),
                "-c",
                str(self.conf),
                "-e",
                str(self.dir / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(self.dir / "stderr.log", "ab"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited; see {self.dir}")
            try:
                request(self.port, "GET", "/join/")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer in 15 s; see {self.dir}")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGQUIT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
