"""The jsa_native extension in a real python3: outputs bit for bit against a NumPy reference,
error types and messages (the same text as the Swift API's JSAError), and several thousand random
good and bad inputs that must never crash the interpreter.

Run by scripts/test as: PYTHONPATH=<scripts/build-pyext output> /usr/bin/python3 -m pytest Tests/python
"""
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import jsa_native
from exporters import reference, same_bits

KERNELS = ["auto", "scalar", "avx2", "avx512"]


def supported(kernel):
    try:
        jsa_native.jsa(np.ones(4), 1, kernel=kernel)
        return True
    except ValueError as error:
        assert "is not supported here" in str(error)
        return False


SUPPORTED = [k for k in KERNELS if supported(k)]


# --- good inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize("kernel", SUPPORTED)
@pytest.mark.parametrize("n", [1, 2, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 4099])
def test_every_kernel_matches_the_reference(kernel, n):
    rng = np.random.default_rng(n)
    x = rng.uniform(-100, 100, n)
    for nan_prefix in sorted({0, min(3, n - 1), n - 1}):
        y = x.copy()
        y[:nan_prefix] = np.nan
        for period in sorted({1, max(1, (n - nan_prefix) // 2), n - nan_prefix}):
            assert same_bits(jsa_native.jsa(y, period, kernel=kernel), reference(y, period))


def test_out_is_written_in_place_and_returned():
    x = np.linspace(-3, 3, 50)
    out = np.full(50, 7.0)
    result = jsa_native.jsa(x, 5, out=out)
    assert result is out
    assert same_bits(out, reference(x, 5))


def test_copy_style_equals_direct():
    x = np.random.default_rng(1).normal(size=1000)
    assert same_bits(jsa_native.jsa_copy(x, 30), jsa_native.jsa(x, 30))


def test_non_contiguous_input_is_copied_not_refused():
    base = np.arange(40.0)
    view = base[::2]
    assert same_bits(jsa_native.jsa(view, 3), reference(np.ascontiguousarray(view), 3))


def test_other_buffer_providers_work():
    import array

    data = array.array("d", [1.0, 2.0, 4.0, 8.0])
    assert same_bits(jsa_native.jsa(data, 1), reference(np.array(data), 1))


@pytest.mark.parametrize("offset", [1, 3, 4, 7])
def test_fuzz_unaligned_buffers_are_computed_aligned_and_their_overlap_refused(offset):
    """Found by Fuzz/binding (UBSan): doubles were read from memory that is not 8-byte aligned. Such
    input is now copied and such output staged; the overlap check still sees the object's memory."""
    values = np.random.default_rng(offset).uniform(-5, 5, 40)
    raw = bytearray(8 * len(values) + 8)
    data = np.frombuffer(raw, dtype=np.float64, offset=offset, count=len(values))
    data[:] = values
    out_raw = bytearray(8 * len(values) + 8)
    out = np.frombuffer(out_raw, dtype=np.float64, offset=offset, count=len(values))
    assert jsa_native.jsa(data, 3, out=out) is out
    assert same_bits(out, reference(values, 3))
    with pytest.raises(ValueError, match="overlaps"):
        jsa_native.jsa(data, 3, out=data)
    shifted = np.frombuffer(raw, dtype=np.float64, offset=offset + 8, count=len(values) - 1)
    with pytest.raises(ValueError, match="overlaps"):
        jsa_native.jsa(data[:-1], 3, out=shifted)
    assert same_bits(data, values)  # a refused call wrote nothing


@pytest.mark.parametrize("grid", [(0, 2**63 - 1, 1), (2**63 - 1, 0, 1), (1, 2**63 - 1, 2**62)])
def test_fuzz_batch_range_to_the_largest_integer_is_a_value_error(grid):
    """Found by Fuzz/binding: the row count of start=0, end=2**63-1, step=1 overflowed (UBSan)."""
    with pytest.raises(ValueError, match="invalid period"):
        jsa_native.jsa_batch(np.ones(10), *grid)


@pytest.mark.parametrize("kernel", SUPPORTED)
@pytest.mark.parametrize("grid", [(10, 40, 1), (40, 10, 3), (30, 30, 5), (30, 45, 0), (1, 2, 1)])
def test_batch_rows_equal_single_calls(kernel, grid):
    x = np.random.default_rng(7).uniform(-1, 1, 333)
    x[:4] = np.nan
    result = jsa_native.jsa_batch(x, *grid, kernel=kernel)
    values, periods = result["values"], result["periods"]
    assert values.shape == (len(periods), len(x)) and periods.dtype == np.int64
    start, end, step = grid
    if step == 0 or start == end:
        assert list(periods) == [start]
    elif start < end:
        assert list(periods) == list(range(start, end + 1, step))
    else:
        assert list(periods) == list(range(start, end - 1, -step))
    for row, period in zip(values, periods):
        assert same_bits(row, reference(x, int(period)))


@pytest.mark.parametrize("kernel", SUPPORTED)
def test_buffers_not_even_8_byte_aligned_are_computed_correctly(kernel):
    """Foreign buffers can start at any byte; the SIMD kernels must not assume aligned stores."""
    n = 1000
    x_raw, out_raw = bytearray(8 * n + 3), bytearray(8 * n + 5)
    x = np.frombuffer(x_raw, dtype=np.float64, offset=3, count=n)
    x[:] = np.random.default_rng(4).uniform(-1, 1, n)
    out = np.frombuffer(out_raw, dtype=np.float64, offset=5, count=n)
    assert not x.flags.aligned and not out.flags.aligned
    jsa_native.jsa(x, 30, kernel=kernel, out=out)
    expected = reference(np.array(x), 30)
    assert np.array_equal(out.view(np.uint64), expected.view(np.uint64))
    # A 64-byte-aligned input beside an output at every byte offset: whichever of them the kernel
    # aligns its main loop to, the other one must not be assumed aligned.
    base = np.empty(n + 8)
    start = (-base.ctypes.data % 64) // 8
    aligned_x = base[start:start + n]
    aligned_x[:] = x
    for offset in range(1, 64):
        raw = bytearray(8 * n + 64)
        shifted_out = np.frombuffer(raw, dtype=np.float64, offset=offset, count=n)
        jsa_native.jsa(aligned_x, 30, kernel=kernel, out=shifted_out)
        assert np.array_equal(shifted_out.view(np.uint64), expected.view(np.uint64)), offset


def test_native_loop_runs_the_kernel_and_times_it():
    x = np.random.default_rng(3).uniform(-1, 1, 1000)
    out = np.zeros(1000)
    ns = jsa_native._probes.native_loop(x, 30, out, 5)
    assert isinstance(ns, int) and ns > 0
    assert np.array_equal(out.view(np.uint64), jsa_native.jsa(x, 30).view(np.uint64))
    with pytest.raises(ValueError, match="output length mismatch"):
        jsa_native._probes.native_loop(x, 30, np.zeros(3), 1)
    with pytest.raises(TypeError):
        jsa_native._probes.native_loop(x, 30, out)


def test_numpy_integer_periods_are_accepted():
    x = np.arange(10.0)
    assert same_bits(jsa_native.jsa(x, np.int64(3)), reference(x, 3))


# --- errors: type and message (the Swift JSAError text where Swift has the case) -------------

X = np.arange(10.0)

ERRORS = [
    (lambda: jsa_native.jsa(np.array([]), 1), ValueError, "input is empty"),
    (lambda: jsa_native.jsa(np.full(3, np.nan), 1), ValueError, "all 3 input values are NaN"),
    (lambda: jsa_native.jsa(X, 0), ValueError, "invalid period 0 for input of length 10 (period must be in 1...10)"),
    (lambda: jsa_native.jsa(X, -1), ValueError, "invalid period -1 for input of length 10 (period must be in 1...10)"),
    (lambda: jsa_native.jsa(X, 11), ValueError, "invalid period 11 for input of length 10 (period must be in 1...10)"),
    (lambda: jsa_native.jsa(X, 10**40), ValueError,
     f"invalid period {10**40} for input of length 10 (period must be in 1...10)"),
    (lambda: jsa_native.jsa(np.array([np.nan, np.nan, 1, 2, 3]), 4), ValueError,
     "not enough valid data: needed 4, valid 3 (values from the first non-NaN on)"),
    (lambda: jsa_native.jsa(X, 3, out=np.empty(4)), ValueError, "output length mismatch: expected 10, got 4"),
    (lambda: jsa_native.jsa(X, 3, out=X), ValueError, "output memory overlaps the input; use a separate output buffer"),
    (lambda: jsa_native.jsa(X, 3, kernel="avx9"), ValueError,
     "invalid kernel 'avx9' (expected one of: auto, scalar, avx2, avx512)"),
    (lambda: jsa_native.jsa_batch(X, 5, 1, -1), ValueError,
     "invalid period range start=5 end=1 step=-1 (start and end must be >= 0 and step >= 0; "
     "the range expands to no periods)"),
    (lambda: jsa_native.jsa_batch(X, 0, 3, 1), ValueError,
     "invalid period 0 for input of length 10 (period must be in 1...10)"),
    (lambda: jsa_native.jsa_batch(X, 2, 12, 5), ValueError,
     "invalid period 12 for input of length 10 (period must be in 1...10)"),
    (lambda: jsa_native.jsa(X.astype(np.float32), 3), TypeError, "data must be float64, got buffer format 'f'"),
    (lambda: jsa_native.jsa(np.arange(10), 3), TypeError, "data must be float64, got buffer format 'l'"),
    (lambda: jsa_native.jsa(np.ones((2, 5)), 3), TypeError, "data must be 1-D, got 2 dimensions"),
    (lambda: jsa_native.jsa(np.float64(1.0), 1), TypeError, "data must be 1-D, got 0 dimensions"),
    (lambda: jsa_native.jsa([1.0, 2.0], 1), TypeError, "data must be a 1-D float64 array (buffer protocol), got list"),
    (lambda: jsa_native.jsa(X, 2.5), TypeError, "period must be an int, got float"),
    (lambda: jsa_native.jsa(X, "3"), TypeError, "period must be an int, got str"),
    (lambda: jsa_native.jsa(X, 3, kernel=5), TypeError, "kernel must be a string or None, got int"),
    (lambda: jsa_native.jsa(X, 3, out=np.empty(10, dtype=np.float32)), TypeError, "out must be float64, got buffer format 'f'"),
]


@pytest.mark.parametrize("call,kind,message", ERRORS)
def test_bad_input_raises_with_the_swift_message(call, kind, message):
    with pytest.raises(kind) as raised:
        call()
    assert str(raised.value) == message


def test_read_only_out_is_refused():
    out = np.empty(10)
    out.flags.writeable = False
    with pytest.raises(TypeError, match="out must be a writable, C-contiguous float64 array"):
        jsa_native.jsa(X, 3, out=out)


def test_non_contiguous_out_is_refused():
    with pytest.raises(TypeError, match="out must be a writable, C-contiguous float64 array"):
        jsa_native.jsa(X, 3, out=np.empty(20)[::2])


def run_python(code, env):
    """Runs `code` in a fresh interpreter; `env` entries of None are removed from the environment."""
    merged = {**os.environ, **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={key: value for key, value in merged.items() if value is not None})


AVX512_ERROR = (
    "import numpy as np, jsa_native\n"
    "try:\n    jsa_native.jsa(np.ones(4), 1, kernel='avx512')\nexcept ValueError as e:\n    print(e)\n"
)


def test_cap_makes_avx512_unsupported_with_the_reason_that_applies():
    """Under the cap, avx512 is refused: for the cap where this CPU has AVX-512F, for the CPU where not."""
    uncapped = run_python(AVX512_ERROR, {"JSA_DISABLE_CPU_FEATURES": None}).stdout.strip()
    result = run_python(AVX512_ERROR, {"JSA_DISABLE_CPU_FEATURES": "avx512f"})
    if uncapped == "":  # this CPU runs AVX-512F: the cap is the reason
        expected = "kernel 'avx512' is not supported here: AVX512F is disabled by JSA_DISABLE_CPU_FEATURES"
    else:  # the CPU (or build) already lacks it, and says so first
        expected = uncapped
        assert "this CPU or its OS does not support AVX512F" in uncapped or "this build has no" in uncapped
    assert result.stdout.strip() == expected


AUTO_KERNEL = "import jsa_native\nprint(*jsa_native._probes.auto_kernel(), sep='|')"


def test_auto_follows_the_table_and_walks_down_under_the_cap():
    """`auto` is what the table chooses for this CPU (a rule's name, or none and the widest), and
    under the cap it is the next kernel the cap allows, never one the cap took away."""
    uncapped, rule = run_python(AUTO_KERNEL, {"JSA_DISABLE_CPU_FEATURES": None}).stdout.strip().split("|")
    assert uncapped in ("scalar", "avx2", "avx512") and rule != ""
    no_avx512, _ = run_python(AUTO_KERNEL, {"JSA_DISABLE_CPU_FEATURES": "avx512f"}).stdout.strip().split("|")
    assert no_avx512 in ("scalar", "avx2") and (uncapped != "avx2" or no_avx512 == "avx2")
    assert run_python(AUTO_KERNEL, {"JSA_DISABLE_CPU_FEATURES": "avx2"}).stdout.strip().split("|")[0] == "scalar"
    x = np.linspace(-3.0, 7.0, 257)
    assert same_bits(jsa_native.jsa(x, 5), jsa_native.jsa(x, 5, kernel=jsa_native._probes.auto_kernel()[0]))


def test_hostile_calls_never_crash_the_interpreter():
    """A few thousand seeded hostile calls (hostile_calls.py) in a child interpreter: a crash shows
    as its signal, a wrong result or an unexpected exception type as a failure it lists."""
    runner = os.path.join(os.path.dirname(__file__), "hostile_calls.py")
    result = subprocess.run([sys.executable, runner, "--calls", "5000", "--seed", "7"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_malformed_cap_fails_the_import_with_the_swift_message():
    result = run_python("import jsa_native", {"JSA_DISABLE_CPU_FEATURES": "avx9"})
    assert result.returncode != 0
    assert "ImportError: JSA_DISABLE_CPU_FEATURES: unknown CPU feature 'avx9' (known: avx2, avx512f)" in result.stderr


def test_a_forced_variant_runs_and_a_bad_one_fails_the_import_with_the_swift_message():
    forced = run_python("import jsa_native; print(jsa_native._probes.avx2_variant())", {"JSA_AVX2_VARIANT": "split-loads"})
    assert forced.returncode == 0 and forced.stdout.strip() == "split-loads", forced.stderr
    result = run_python("import jsa_native", {"JSA_AVX2_VARIANT": "fast"})
    assert result.returncode != 0
    assert "ImportError: JSA_AVX2_VARIANT: unknown variant 'fast' (known: split-loads, lane-permute, lag-ring)" in result.stderr


# --- random inputs: never a crash, good outputs exact ---------------------------------------

# NaNs are NumPy's canonical quiet NaN: which of two NaN payloads an addition propagates is not
# fixed by IEEE 754, so only canonical NaNs make "bit for bit against NumPy" well defined.
any_double = st.one_of(st.floats(allow_nan=False, allow_infinity=True, width=64), st.just(np.nan))
finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, width=64)


@st.composite
def good_calls(draw):
    """A valid float64 series (leading NaNs, NaN/inf inside), a period that fits, a supported kernel."""
    prefix = draw(st.integers(0, 10))
    values = draw(st.lists(st.one_of(finite, any_double), min_size=1, max_size=80))
    values[0] = draw(finite)  # the first valid index stays at `prefix`
    period = draw(st.integers(1, len(values)))
    return np.array([np.nan] * prefix + values), period, draw(st.sampled_from(SUPPORTED + [None]))


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(call=good_calls(), with_out=st.booleans())
def test_random_good_inputs_match_the_reference_bit_for_bit(call, with_out):
    x, period, kernel = call
    out = np.empty(len(x)) if with_out else None
    assert same_bits(jsa_native.jsa(x, period, kernel=kernel, out=out), reference(x, period))
    assert same_bits(jsa_native.jsa_batch(x, period, period, 0, kernel=kernel)["values"][0], reference(x, period))


bad_periods = st.one_of(st.integers(max_value=0), st.integers(min_value=200), st.integers(-5, 90), st.floats(),
                        st.none(), st.text(max_size=3))
bad_kernels = st.one_of(st.none(), st.sampled_from(KERNELS + ["AVX2", " scalar ", "avx", "", "neon"]), st.integers())
dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.complex128])


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(any_double, max_size=64), nan_prefix=st.integers(0, 8), period=bad_periods, kernel=bad_kernels,
       dtype=dtypes, out_length=st.one_of(st.none(), st.integers(0, 80)), batch=st.booleans())
def test_random_inputs_raise_cleanly_or_match_the_reference(values, nan_prefix, period, kernel, dtype, out_length, batch):
    with np.errstate(invalid="ignore", over="ignore"):
        x = np.array([np.nan] * nan_prefix + values, dtype=np.float64).astype(dtype)
    out = None if out_length is None else np.empty(out_length)
    try:
        if batch:
            result = jsa_native.jsa_batch(x, period, period, 1, kernel=kernel)["values"][0]
        else:
            result = jsa_native.jsa(x, period, kernel=kernel, out=out)
    except (TypeError, ValueError) as error:
        event(f"rejected: {type(error).__name__}")
        return
    event("computed")
    assert dtype is np.float64 and isinstance(period, int)
    assert same_bits(result, reference(x, period))


def test_the_public_module_is_the_api_and_the_probes_are_private():
    public = {name for name in dir(jsa_native) if not name.startswith("_")}
    assert public == {"jsa", "jsa_batch", "jsa_copy", "KERNELS"}
    assert {"noop", "acquire", "native_loop", "auto_kernel", "avx512_variant", "avx2_variant"} <= set(dir(jsa_native._probes))
    assert jsa_native._probes.avx512_variant() in ("ymm-alignr", "zmm-mixed", "zmm-permute", "ymm-ring")
    assert jsa_native._probes.avx2_variant() in ("split-loads", "lane-permute", "lag-ring")
