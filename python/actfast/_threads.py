"""Splitting one large call across threads.

ctypes releases the GIL during the foreign call, so the pieces of one call run
at once: the calling thread runs the first piece and a persistent worker thread
each of the others. Each piece is one call of the same C function on a
contiguous part of the arrays, so an elementwise op's output is the same bits
however it is split (every ISA gives the same bits for every length and
alignment). PReLU's slope gradient is a fixed-order sum per channel: a call
that computes it is split only by channel (NCHW with N = 1), never by rows.
"""

import os
import threading
import _thread
from queue import SimpleQueue

# Pieces start at multiples of this many floats (4 KiB): no two threads share a
# cache line, and every piece but the last is a whole number of vectors.
GRAIN = 1024


class _Settings:
    def __init__(self):
        # The default: one thread, no split. On the machine measured (AMD EPYC Zen 4, 2
        # vCPUs shared with other jobs) two threads did not beat one at any size, not even
        # for the compute-bound ops (GELU at 16 Mi: 0.99x; python/README.md, "Threads").
        # actfast.set_num_threads(n) or threads=n per call turn splitting on.
        self.threads = 1
        # A call is split only if each piece gets at least this many floats: below,
        # handing a piece to another thread costs more than it saves (python/bench.py).
        self.min_per_thread = 1 << 20


settings = _Settings()


class _Worker:
    def __init__(self):
        self.jobs = SimpleQueue()
        t = threading.Thread(target=self._run, name="actfast-worker", daemon=True)
        t.start()

    def _run(self):
        get = self.jobs.get
        while True:
            f, args, box, done = get()
            try:
                box.append(f(*args))
            except BaseException as e:  # ctypes argument errors: hand them back
                box.append(e)
            done.release()


_workers = []
_workers_lock = threading.Lock()


def _get_workers(k):
    if len(_workers) < k:
        with _workers_lock:
            while len(_workers) < k:
                _workers.append(_Worker())
    return _workers


def _forget_workers():  # in a forked child the threads are gone
    global _workers_lock
    _workers.clear()
    _workers_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers)


def run(calls):
    """Run [(f, args), ...] at once, the first on this thread; the first non-zero status
    (or 0). Every call must be independent of the others."""
    if len(calls) == 1:
        f, args = calls[0]
        return f(*args)
    workers = _get_workers(len(calls) - 1)
    pending = []
    for w, (f, args) in zip(workers, calls[1:]):
        done = _thread.allocate_lock()
        done.acquire()
        box = []
        w.jobs.put((f, args, box, done))
        pending.append((box, done))
    f, args = calls[0]
    status = f(*args)
    for box, done in pending:
        done.acquire()
        r = box[0]
        if isinstance(r, BaseException):
            raise r
        if r and not status:
            status = r
    return status


def pieces(n, threads, align=GRAIN):
    """Split range(n) into at most `threads` pieces of at least settings.min_per_thread,
    boundaries at multiples of `align`: [(start, count), ...]."""
    k = min(threads, n // max(settings.min_per_thread, 1))
    if k <= 1:
        return [(0, n)]
    step = -(-n // k)
    step = -(-step // align) * align
    out = []
    start = 0
    while start < n:
        c = min(step, n - start)
        out.append((start, c))
        start += c
    return out


def split_rows(rows, row_size, threads):
    """Split `rows` rows of `row_size` floats into pieces of whole rows: [(start, count)]."""
    k = min(threads, rows, (rows * row_size) // max(settings.min_per_thread, 1))
    if k <= 1:
        return [(0, rows)]
    step = -(-rows // k)
    return [(s, min(step, rows - s)) for s in range(0, rows, step)]
