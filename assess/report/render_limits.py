"""Renders a report's PDF in a child process with a hard time and memory limit.

WeasyPrint's cost grows quickly with some content (the square of an unbroken word's length,
for one), and a render cannot be interrupted from inside: a stuck render would hold the
worker, and every PDF queued behind it, for ever. So the worker forks for each render: the
child renders with an address-space limit and the parent kills it at the deadline. The task
then fails with `RenderStopped`, whose message says what happened; the report page says the
PDF was too large to make and offers the printable page, and the worker takes the next task.
"""

import gc
import logging
import os
import resource
import select
import signal
import time
import traceback

from django.conf import settings

logger = logging.getLogger(__name__)


class RenderStopped(Exception):
    """A render went over the worker's time or memory limit and was stopped."""


def _child(write_fd, render, memory_mb):
    """Runs in the child: render, send b"K" + PDF or b"E" + the error, and exit."""
    code = 0
    try:
        if memory_mb:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            payload = b"K" + render()
        except MemoryError:
            payload = b"M"
        except BaseException:  # noqa: BLE001 -- reported to the parent, which raises it
            payload = b"E" + traceback.format_exc()[-4000:].encode("utf-8", "replace")
            code = 1
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    finally:
        os._exit(code)


def render_limited(render, *, seconds=None, memory_mb=None, clock=time.monotonic):
    """`render()`'s bytes, made in a child process stopped after `seconds` or when it needs
    more than `memory_mb` of address space (defaults: PDF_RENDER_SECONDS, PDF_RENDER_MEMORY_MB).
    `clock` reads the seconds the deadline is kept against (a test passes its own).

    `render` must not use the database (the child shares the parent's connection)."""
    seconds = settings.PDF_RENDER_SECONDS if seconds is None else seconds
    memory_mb = settings.PDF_RENDER_MEMORY_MB if memory_mb is None else memory_mb
    read_fd, write_fd = os.pipe()
    # The parent's objects go to the collector's permanent generation before the fork, so the
    # child's collections never walk them: walking them writes to every page they sit on, and
    # each such page is then copied into the child (about a fifth of a render's CPU time).
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # pragma: no cover -- the child; its result is checked in the parent
        os.close(read_fd)
        _child(write_fd, render, memory_mb)
    gc.unfreeze()
    os.close(write_fd)
    chunks, deadline, timed_out = [], clock() + seconds, False
    try:
        while True:
            left = deadline - clock()
            if left <= 0:
                timed_out = True
                break
            ready, _w, _x = select.select([read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    if timed_out:
        logger.error("A PDF render was stopped after %s s", seconds)
        raise RenderStopped(
            f"The report took longer than the limit of {seconds} seconds to make as a PDF and "
            "was stopped."
        )
    if data[:1] == b"K" and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return data[1:]
    if data[:1] == b"M" or not data:
        logger.error("A PDF render was stopped: over %s MB, or it crashed (%s)", memory_mb, status)
        raise RenderStopped(
            f"The report needed more than the limit of {memory_mb} MB of memory to make as a "
            "PDF and was stopped."
        )
    raise RuntimeError("The PDF render failed:\n" + data[1:].decode("utf-8", "replace"))
