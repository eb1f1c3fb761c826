"""The Python side of jsa-bench's FFI ladder, run inside the embedded interpreter of
jsa-bench-python (embedded into the binary at build time; tested by Tests/python/test_ladder.py).

It times statements the way `timeit` does (a generated function whose names are locals, the GC off,
loops calibrated so that a sample lasts long enough) and returns raw samples as JSON; every
statistic is computed by the Swift side, once, like the native samples'.

What it measures: per rung, `loops` back-to-back executions of the statement timed in up to
`epochs` consecutive stretches (each between two reads of time.perf_counter_ns), as the median
stretch's time per execution, with the stretches' whole time per execution beside it (as the native
sampler times its epochs, docs/measuring.md); the rungs are sampled in rounds in
alternating order, as the native sampler does, each sample after jsa-bench's speed probe (where the
embedded jsa_native has it: the speed index, as the native samples have) and one untimed execution
that brings back what the previous rung evicted (unless `warm` is false: data beyond the last-level
cache).
What can go wrong: a pause of the vCPU in most of a sample's stretches stays in it (one in a minority
is left out; the whole time keeps it); a rung that allocates (jsa, jsa_copy, NumPy temporaries) pays page faults
whenever the allocator returns memory to the OS between calls (minor faults are counted per call);
the interpreter's own state (the GC is off while timing) differs from a caller's program.
"""
import gc
import json
import resource
import statistics
import sys
import time

import jsa_native
import numpy as np

_LADDER_TEMPLATE = """
def _inner(_loops, _clock, x, p, o, n, jsa, jsa_copy, jsa_batch, noop, acquire, empty, add, nan):
    _range = range(_loops)
    _t0 = _clock()
    for _ in _range:
        {statement}
    return _clock() - _t0
"""

# The largest loop count calibration goes to (for statements too fast for any clock).
MAXIMUM_LOOPS = 1 << 30


def native_rung(loops, clock, x, p, o, *_):
    """The native rung: `loops` kernel calls made from C (jsa_native._probes.native_loop), ns."""
    return jsa_native._probes.native_loop(x, p, o, loops)


def ladder_function(statement):
    """The timing function of one rung: called as f(loops, clock, *arguments), returns ns."""
    if statement == "<native>":
        return native_rung
    namespace = {}
    exec(_LADDER_TEMPLATE.format(statement=statement), namespace)  # noqa: S102 — the rungs are ours
    return namespace["_inner"]


def reference(x, p):
    """JSA by its definition in NumPy (finite input: out[:p] is NaN)."""
    out = np.full(len(x), np.nan)
    out[p:] = (x[p:] + x[:-p]) * 0.5
    return out


def output_for(x):
    """An output array whose data starts 2048 bytes past x's page offset, as the native cases'
    output does: two fresh NumPy arrays share their page offset, and every store to o[i] then
    4K-aliases later loads of x — a layout cost, not a binding cost, so the ladder avoids it."""
    n = len(x)
    spare = np.empty(n + 1024)
    wanted = (x.ctypes.data + 2048) % 4096
    start = ((wanted - spare.ctypes.data % 4096) % 4096) // 8
    out = spare[start:start + n]
    out[:] = 0.0  # first touch now, not in the first timed call
    return out


def calibrate(function, arguments, clock, target_ns):
    """Loops per sample so that one sample lasts at least `target_ns`: two passes, as the native
    calibration does — the first meets cold caches and page faults, the second starts from its
    count and only grows it."""
    count = 1
    for _ in range(2):
        while True:
            elapsed = function(count, clock, *arguments)
            if elapsed >= target_ns or count >= MAXIMUM_LOOPS:
                break
            factor = min(10.0, max(1.1, 1.4 * target_ns / max(elapsed, 1)))
            count = min(MAXIMUM_LOOPS, max(count + 1, int(count * factor)))
    return count


def timed_epochs(function, loops, epochs, clock, arguments):
    """`loops` executions of a rung's function in up to `epochs` consecutive stretches (never more
    than `loops`): ns per execution of the median stretch, and of all of them together."""
    count = max(1, min(epochs, loops))
    per_loop = []
    total_ns = 0
    for epoch in range(count):
        share = loops // count + (1 if epoch < loops % count else 0)
        elapsed = function(share, clock, *arguments)
        per_loop.append(elapsed / share)
        total_ns += elapsed
    return statistics.median(per_loop), total_ns / loops


def ladder(steps_json, n, period, samples, min_sample_ns, seed, case_budget_ns=float("inf"), warm=True,
           loops_json=None, first_round=0, epochs=1):
    """Every rung of `steps_json` ([[name, statement], ...]) at length `n`, as a JSON string.

    A rung whose timed samples have used `case_budget_ns` gets no more (it keeps at least one), as
    the native cases' budget does; `warm` runs one untimed execution before every sample. A sweep
    spreads a size's rounds over several helper processes: `loops_json` ({name: loops}) gives the
    loops per sample its first process calibrated (a rung it does not name is calibrated here), and
    `first_round` is the number of this process's first round, whose parity sets the rung order.
    `epochs` is how many stretches each sample's executions are timed in (`timed_epochs`; 1: the
    whole sample).
    """
    steps = json.loads(steps_json)
    clock = time.perf_counter_ns
    resolution_ns = time.get_clock_info("perf_counter").resolution * 1e9
    target_ns = max(min_sample_ns, 1000 * resolution_ns)
    x = np.random.default_rng(seed).uniform(-100.0, 100.0, n)
    o = output_for(x)
    arguments = (x, period, o, n, jsa_native.jsa, jsa_native.jsa_copy, jsa_native.jsa_batch, jsa_native._probes.noop,
                 jsa_native._probes.acquire, np.empty, np.add, np.nan)
    got = jsa_native.jsa(x, period)
    verified = bool(np.array_equal(got.view(np.uint64), reference(x, period).view(np.uint64)))
    functions = {name: ladder_function(statement) for name, statement in steps}
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        given = json.loads(loops_json) if loops_json else {}
        loops = {name: given.get(name) or calibrate(function, arguments, clock, target_ns) for name, function in functions.items()}
        speed_probe = getattr(jsa_native._probes, "speed_probe", None)
        if speed_probe is not None:
            speed_probe()  # its first run fills its input: not a reading
        results = {name: {"loops": loops[name], "samples_ns": [], "samples_wall_ns": [], "probes_ns": [], "minor_faults": 0}
                   for name in functions}
        spent_ns = dict.fromkeys(functions, 0.0)
        order = list(functions)
        for round_index in range(samples):
            for name in (order if (first_round + round_index) % 2 == 0 else order[::-1]):
                if results[name]["samples_ns"] and spent_ns[name] >= case_budget_ns:
                    continue
                if speed_probe is not None:
                    results[name]["probes_ns"].append(speed_probe())
                if warm:
                    functions[name](1, clock, *arguments)  # re-warm what the previous rung evicted
                before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                sample_ns, wall_ns = timed_epochs(functions[name], loops[name], epochs, clock, arguments)
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
                results[name]["samples_ns"].append(sample_ns)
                results[name]["samples_wall_ns"].append(wall_ns)
                results[name]["minor_faults"] += faults
                spent_ns[name] += wall_ns * loops[name]
    finally:
        if was_enabled:
            gc.enable()
    for result in results.values():
        calls = result["loops"] * len(result["samples_ns"])
        result["minor_faults_per_call"] = result.pop("minor_faults") / max(calls, 1)
    return json.dumps({
        "python": sys.version.split()[0], "numpy": np.__version__, "executable": sys.executable,
        "clock_resolution_ns": resolution_ns, "n": n, "verified": verified, "steps": results,
    })
