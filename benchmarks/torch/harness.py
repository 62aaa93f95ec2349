"""What every PyTorch reference of the benchmark shares: the epoch timing rule and the report of the run's setup.

The references (reference_epoch.py, reference_workload.py) import this from their own folder; each prints one JSON
object built from time_epochs() and setup_fields().
"""
import ctypes
import os
import platform
import resource
import time

import torch


def time_epochs(epoch, warmup, min_epochs, max_epochs, budget_s, warmup_s=0.0):
    """Runs `epoch` (which returns the loss before its step) for warm-up (`warmup` epochs, then more until warmup_s
    seconds have passed since the first began), then times epochs one by one: at least
    min_epochs, then more until budget_s seconds or max_epochs. Returns the timed seconds and every loss in order
    (warm-up included), so losses[0] is the loss at the initial weights."""
    start = time.perf_counter()
    losses = [epoch()]
    for _ in range(warmup - 1):
        losses.append(epoch())
    while time.perf_counter() - start < warmup_s:  # then until warmup_s seconds have passed
        losses.append(epoch())
    times, start = [], time.perf_counter()
    while len(times) < max_epochs and (len(times) < min_epochs or time.perf_counter() - start < budget_s):
        t = time.perf_counter()
        losses.append(epoch())
        times.append(time.perf_counter() - t)
    return times, losses


def blas_info():
    """Which BLAS library this process loaded, and its thread count where it says."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if "blas" in path or "lapack" in path:
                libs.add(os.path.realpath(path))
    name = "OpenBLAS" if any("openblas" in lib for lib in libs) else ("reference BLAS" if libs else "unknown")
    threads = None
    for lib in sorted(libs):
        if "openblas" in lib:
            try:
                threads = ctypes.CDLL(lib).openblas_get_num_threads()
                break
            except (OSError, AttributeError):
                pass
    return {"name": name, "libraries": sorted(libs), "threads": threads}


def sgemm_gflops(n=1024, reps=10):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return 2 * n**3 / min(times) / 1e9  # the best of the products: the machine's rate, less what else runs on it


def setup_fields():
    """The versions, threads, BLAS and peak memory of this run, as the harness records them."""
    return {
        "torch_version": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "blas": blas_info(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
