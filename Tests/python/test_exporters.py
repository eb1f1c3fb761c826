"""jsa_native against every buffer exporter of NumPy and the standard library (exporters.py), as
input and as output, through every function that takes buffers: each exporter either works bit for
bit or raises TypeError / ValueError. An interpreter crash fails the whole run.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jsa_native
from exporters import BY_NAME, EXPORTERS, contents, reference, same_bits, valid_out

# numpy.matrix is one of the exporters on purpose (an ndarray subclass); NumPy warns on its creation.
pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")

NAMES = [name for name, *_ in EXPORTERS]
finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, width=64)


@pytest.mark.parametrize("name", NAMES)
def test_each_exporter_as_data(name):
    build, as_data, _ = BY_NAME[name]
    values = np.random.default_rng(1).uniform(-100, 100, 37)
    data = build(values)
    if not as_data:
        with pytest.raises((TypeError, ValueError)):
            jsa_native.jsa(data, 3)
        return
    expected = reference(contents(data), 3)
    assert same_bits(jsa_native.jsa(data, 3), expected)
    assert same_bits(jsa_native.jsa_copy(data, 3), expected)
    assert same_bits(jsa_native.jsa_batch(data, 3, 4, 1)["values"][0], expected)


@pytest.mark.parametrize("name", NAMES)
def test_each_exporter_as_out(name):
    build, _, as_out = BY_NAME[name]
    x = np.random.default_rng(2).uniform(-100, 100, 37)
    out = build(np.zeros(37))
    if not as_out:
        with pytest.raises((TypeError, ValueError)):
            jsa_native.jsa(x, 3, out=out)
        with pytest.raises((TypeError, ValueError)):
            jsa_native._probes.native_loop(x, 3, out, 1)
        return
    assert jsa_native.jsa(x, 3, out=out) is out
    assert same_bits(contents(out), reference(x, 3))


def test_out_must_be_one_dimensional_even_with_the_right_element_count():
    with pytest.raises(TypeError, match="out must be 1-D, got 2 dimensions"):
        jsa_native.jsa(np.arange(8.0), 3, out=np.zeros((2, 4)))


def test_native_loop_refuses_an_output_overlapping_its_input():
    x = np.arange(16.0)
    with pytest.raises(ValueError, match="output memory overlaps the input"):
        jsa_native._probes.native_loop(x[:8], 3, x[4:12], 1)


def test_native_loop_refuses_a_negative_count():
    with pytest.raises(ValueError, match="loops must be a non-negative"):
        jsa_native._probes.native_loop(np.arange(8.0), 3, np.zeros(8), -1)


def test_empty_exporters_are_rejected_as_empty_input():
    for name in ("ndarray", "memoryview", "array_d", "ctypes_double"):
        with pytest.raises(ValueError, match="input is empty"):
            jsa_native.jsa(BY_NAME[name][0](np.zeros(0)), 1)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(finite, min_size=1, max_size=70), data_name=st.sampled_from(NAMES),
       out_name=st.one_of(st.none(), st.sampled_from(NAMES)), period=st.integers(-2, 75),
       function=st.sampled_from(["jsa", "jsa_copy", "jsa_batch", "noop", "acquire", "native_loop"]))
def test_any_exporter_pair_through_any_function(values, data_name, out_name, period, function):
    values = np.array(values)
    data = BY_NAME[data_name][0](values)
    out = None if out_name is None else BY_NAME[out_name][0](np.zeros(len(values)))
    calls = {
        "jsa": lambda: jsa_native.jsa(data, period, out=out),
        "jsa_copy": lambda: jsa_native.jsa_copy(data, period),
        "jsa_batch": lambda: jsa_native.jsa_batch(data, period, period, 0)["values"][0],
        "noop": lambda: jsa_native._probes.noop(data, period, out=out),
        "acquire": lambda: jsa_native._probes.acquire(data, period, out=out),
        "native_loop": lambda: jsa_native._probes.native_loop(data, period, out, 1),
    }
    try:
        result = calls[function]()
    except (TypeError, ValueError):
        return
    if function == "noop":
        return  # parses the arguments only
    # It computed: then every input it needed was valid, and the output is exact.
    assert BY_NAME[data_name][1] and 1 <= period <= len(values)
    if function in ("jsa", "native_loop", "acquire") and out is not None:
        assert valid_out(out_name, len(values))
    if function in ("jsa", "jsa_copy", "jsa_batch"):
        assert same_bits(contents(result), reference(contents(data), period))
    if function in ("jsa", "native_loop") and out is not None:
        assert same_bits(contents(out), reference(contents(data), period))
