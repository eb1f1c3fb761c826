"""Hostile calls of jsa_native: seeded random calls of every function with every buffer exporter
(exporters.py) as data and as output, wrong types, extreme integers, unknown or repeated keywords.
Each call must either return a bit-exact result or raise TypeError / ValueError; anything else is
counted as a failure, and a crash of the interpreter ends the run with its signal.

    python3 Tests/python/hostile_calls.py --calls 100000 [--seed 1]

Prints one JSON line: calls made, how they ended, and the first failures. Exit 0 when none failed.
"""
import argparse
import json
import operator
import random
import sys

import numpy as np

import jsa_native
from exporters import EXPORTERS, contents, reference, same_bits

PUBLIC = ["jsa", "jsa_copy", "jsa_batch"]
FUNCTIONS = PUBLIC + ["noop", "acquire", "native_loop"]  # the last three: jsa_native._probes
EXTREME_INTEGERS = [0, 1, -1, 2, 3, 30, 2**31 - 1, 2**31, -2**31, 2**63 - 1, 2**63, -2**63, 2**64, 10**40, -10**40]
ODD_OBJECTS = [None, 1.5, float("nan"), "3", b"3", [], {}, object(), True, np.int64(3), np.float64(3.0), 1j]
KERNELS = [None, "auto", "scalar", "avx2", "avx512", "AVX2", " avx512 ", "", "avx9", "\x00", "é" * 5, 3, b"auto"]


def integer(value):
    """`value` as the binding reads an integer argument (its __index__), or None."""
    try:
        return operator.index(value)
    except TypeError:
        return None


def random_values(rng):
    n = rng.choice([0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 64, 100, rng.randrange(1, 300)])
    values = np.array([rng.uniform(-1e3, 1e3) for _ in range(n)])
    if n and rng.random() < 0.2:
        values[: rng.randrange(0, n + 1)] = np.nan
    if n and rng.random() < 0.1:
        values[rng.randrange(n)] = rng.choice([np.inf, -np.inf, -0.0, 5e-324, 1.7e308])
    return values


def random_integer(rng, n):
    if rng.random() < 0.6:
        return rng.randrange(-2, n + 3)
    if rng.random() < 0.8:
        return rng.choice(EXTREME_INTEGERS)
    return rng.choice(ODD_OBJECTS)


def random_exporter(rng, values):
    """A random exporter of `values` (some cannot hold every length: another is drawn)."""
    while True:
        name, build, as_data, as_out = rng.choice(EXPORTERS)
        try:
            return name, build(values), as_data, as_out
        except (TypeError, ValueError):
            continue


def one_call(rng):
    """Builds and makes one call; returns (outcome, detail) with outcome 'returned' or an exception name."""
    values = random_values(rng)
    data_name, data, data_ok, _ = random_exporter(rng, values)
    function = rng.choice(FUNCTIONS)
    n = len(values)
    period = random_integer(rng, n)
    kernel = rng.choice(KERNELS)
    out_name, out, _, out_ok = (None, None, False, False)
    if function in ("jsa", "noop", "acquire", "native_loop") and rng.random() < 0.6:
        out_length = n if rng.random() < 0.8 else rng.randrange(0, n + 3)
        out_name, out, _, out_ok = random_exporter(rng, np.zeros(out_length))
        if rng.random() < 0.05:
            out = data  # aliasing: the same object as input and output
    args, kwargs = [data, period], {}
    if function == "jsa_batch":
        args += [random_integer(rng, n), random_integer(rng, n)]
        if rng.random() < 0.5:
            kwargs["kernel"] = kernel
    elif function == "native_loop":
        args += [out, rng.choice([0, 1, 2, -1, 2**70, "x"])]
    elif rng.random() < 0.5:
        kwargs["kernel"] = kernel
        if out is not None:
            kwargs["out"] = out
    elif out is not None:
        args += [kernel, out]
    if rng.random() < 0.03:
        kwargs[rng.choice(["data", "period", "bogus", "out"])] = data  # unknown or repeated keywords
    if rng.random() < 0.03:
        args = args[: rng.randrange(0, len(args) + 1)] + ([0] * rng.randrange(0, 3))  # too few or too many
    try:
        result = getattr(jsa_native if function in PUBLIC else jsa_native._probes, function)(*args, **kwargs)
    except (TypeError, ValueError) as error:
        return type(error).__name__, None
    except BaseException as error:  # noqa: BLE001 — anything else is a defect
        return "failure", f"{function} data={data_name} out={out_name}: {type(error).__name__}: {error}"
    # It returned: check what it computed against the definition.
    period = integer(args[1]) if len(args) > 1 else integer(kwargs.get("period"))
    if function in ("jsa", "jsa_copy", "jsa_batch", "native_loop") and not (data_ok and period is not None):
        return "failure", f"{function} accepted data={data_name} period={args[1]!r}"
    expected = None
    if function in ("jsa", "jsa_copy"):
        expected, got = reference(contents(data), period), contents(result)
    elif function == "jsa_batch" and len(args) == 4 and integer(args[2]) == period:
        expected, got = reference(contents(data), period), result["values"][0]
    if expected is not None and not same_bits(np.nan_to_num(got, nan=0.25), np.nan_to_num(expected, nan=0.25)):
        return "failure", f"{function} data={data_name} out={out_name} period={args[1]}: wrong output"
    return "returned", None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    outcomes, failures = {}, []
    with np.errstate(all="ignore"):
        for _ in range(options.calls):
            outcome, detail = one_call(rng)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if detail and len(failures) < 10:
                failures.append(detail)
    print(json.dumps({"calls": options.calls, "seed": options.seed, "outcomes": outcomes, "failures": failures}))
    return 1 if outcomes.get("failure") else 0


if __name__ == "__main__":
    sys.exit(main())
