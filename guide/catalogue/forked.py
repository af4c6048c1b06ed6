"""Run part of a large load in a forked process, on the machine's other core.

A forked child shares the parent's memory (the catalogue's configuration, areas and
snapshot are there already), does its part and sends back plain values in one
``marshal`` blob: no objects are pickled, so the parent only pays for unmarshalling
tuples, text and numbers. Whenever a fork is unwise (one core, other threads running,
no ``os.fork``) or the child fails, the caller is told to do the work itself: the result
never depends on whether a child helped. Nothing here imports Flask.
"""

from __future__ import annotations

import marshal
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any


def cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Return whether a child may be forked safely and would run beside this process.

    With other threads running, a fork may copy a lock one of them holds (the memory
    allocator's, a logging handler's) and the child could hang on it.
    """
    return hasattr(os, "fork") and cores() > 1 and threading.active_count() == 1


class Child:
    """A forked process computing ``work()``; ``result`` waits for its plain values."""

    def __init__(self, pid: int, reading: int) -> None:
        self.pid = pid
        self._reading = reading

    def stop(self) -> None:
        """End the child and reap it, its result no longer wanted."""
        os.close(self._reading)
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)

    def result(self) -> Any | None:
        """Return what the child's ``work()`` returned, or None when it failed."""
        chunks = []
        try:
            with os.fdopen(self._reading, "rb") as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
        finally:
            _, status = os.waitpid(self.pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        try:
            return marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):
            return None


@contextmanager
def waited(child: Child | None) -> Iterator[None]:
    """Stop and reap ``child`` if what the parent does meanwhile fails (an interrupt too)."""
    try:
        yield
    except BaseException:
        if child is not None:
            child.stop()
        raise


def start(work: Callable[[], Any]) -> Child | None:
    """Fork a child that runs ``work()`` and sends back its plain result; None if not forked.

    ``work`` must return values ``marshal`` can write (tuples, lists, dicts, text,
    numbers); the child leaves with ``os._exit``, running no exit handlers and flushing
    no buffers it shares with the parent.
    """
    if not can_fork():
        return None
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:  # the child
        code = 1
        try:
            os.close(reading)
            data = marshal.dumps(work())
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    return Child(pid, reading)
