/// The Python side of the FFI ladder, run inside the embedded interpreter. It times statements the
/// way `timeit` does (a generated function whose names are locals, the GC off, loops calibrated so
/// a sample lasts long enough) and returns raw samples as JSON; every statistic is computed by the
/// Swift side (Measurement.Statistics), once, like the native samples'.
enum LadderScript {
    static let source = #"""
import gc, json, resource, sys, time
import numpy as np
import jsa_native

_LADDER_TEMPLATE = """
def _inner(_loops, _clock, x, p, o, n, jsa, jsa_copy, jsa_batch, noop, acquire, empty, add, nan):
    _range = range(_loops)
    _t0 = _clock()
    for _ in _range:
        {statement}
    return _clock() - _t0
"""

def _native_rung(_loops, _clock, x, p, o, *_):
    """The native rung: `_loops` kernel calls made from C (jsa_native.native_loop), ns."""
    return jsa_native.native_loop(x, p, o, _loops)

def _ladder_function(statement):
    if statement == "<native>":
        return _native_rung
    namespace = {}
    exec(_LADDER_TEMPLATE.format(statement=statement), namespace)
    return namespace["_inner"]

def _ladder_reference(x, p):
    out = np.full(len(x), np.nan)
    out[p:] = (x[p:] + x[:-p]) * 0.5
    return out

def _ladder_output_for(x):
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

def _jsa_ladder(steps_json, n, period, samples, min_sample_ns, seed):
    steps = json.loads(steps_json)
    clock = time.perf_counter_ns
    resolution_ns = time.get_clock_info("perf_counter").resolution * 1e9
    target_ns = max(min_sample_ns, 1000 * resolution_ns)
    x = np.random.default_rng(seed).uniform(-100.0, 100.0, n)
    o = _ladder_output_for(x)
    args = (x, period, o, n, jsa_native.jsa, jsa_native.jsa_copy, jsa_native.jsa_batch, jsa_native.noop,
            jsa_native.acquire, np.empty, np.add, np.nan)
    expected = _ladder_reference(x, period)
    got = jsa_native.jsa(x, period)
    verified = bool(np.array_equal(got.view(np.uint64), expected.view(np.uint64)))
    functions = {name: _ladder_function(statement) for name, statement in steps}
    loops = {}
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for name, inner in functions.items():
            # Two passes, as the native calibration does: the first meets cold caches and page
            # faults, the second starts from its count and only grows it.
            count = 1
            for _ in range(2):
                while True:
                    elapsed = inner(count, clock, *args)
                    if elapsed >= target_ns or count >= 1 << 30:
                        break
                    factor = min(10.0, max(1.1, 1.4 * target_ns / max(elapsed, 1)))
                    count = max(count + 1, int(count * factor))
            loops[name] = count
            inner(count, clock, *args)  # warm-up sample
        results = {name: {"loops": loops[name], "samples_ns": [], "minor_faults": 0} for name in functions}
        order = list(functions)
        for round_index in range(samples):
            for name in (order if round_index % 2 == 0 else order[::-1]):
                functions[name](1, clock, *args)  # re-warm what the previous rung evicted, as natively
                before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                elapsed = functions[name](loops[name], clock, *args)
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
                results[name]["samples_ns"].append(elapsed / loops[name])
                results[name]["minor_faults"] += faults
    finally:
        if was_enabled:
            gc.enable()
    for name, result in results.items():
        calls = result["loops"] * len(result["samples_ns"])
        result["minor_faults_per_call"] = result.pop("minor_faults") / max(calls, 1)
    return json.dumps({
        "python": sys.version.split()[0], "numpy": np.__version__, "executable": sys.executable,
        "clock_resolution_ns": resolution_ns, "n": n, "verified": verified, "steps": results,
    })
"""#
}
