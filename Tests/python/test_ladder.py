"""The FFI ladder's Python side (Sources/PythonBridge/jsa_ladder.py) run as plain Python: the module
jsa-bench-python embeds is imported from its source file, so what is tested is what ships.

Run by scripts/test with the other tests of Tests/python (PYTHONPATH has the built jsa_native).
"""
import importlib.util
import json
import pathlib

import numpy as np
import pytest

LADDER_SOURCE = pathlib.Path(__file__).resolve().parents[2] / "Sources" / "PythonBridge" / "jsa_ladder.py"


@pytest.fixture(scope="module")
def ladder_module():
    spec = importlib.util.spec_from_file_location("jsa_ladder", LADDER_SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STEPS = [["native", "<native>"], ["into", "jsa(x, p, out=o)"], ["noop", "noop(x, p, out=o)"]]


def run(module, samples=5, **overrides):
    arguments = dict(steps_json=json.dumps(STEPS), n=1000, period=3, samples=samples, min_sample_ns=20_000, seed=7)
    arguments.update(overrides)
    return json.loads(module.ladder(**arguments))


def test_every_rung_is_sampled_and_the_kernel_verified(ladder_module):
    result = run(ladder_module)
    assert result["verified"] is True
    assert result["n"] == 1000
    assert set(result["steps"]) == {"native", "into", "noop"}
    for name, step in result["steps"].items():
        assert len(step["samples_ns"]) == 5, name
        assert all(sample > 0 for sample in step["samples_ns"]), name
        assert step["loops"] >= 1
        assert step["minor_faults_per_call"] >= 0


def test_calibration_makes_a_sample_last_the_target(ladder_module):
    result = run(ladder_module, samples=3, min_sample_ns=200_000)
    for name, step in result["steps"].items():
        shortest_sample_ns = min(step["samples_ns"]) * step["loops"]
        # Calibration met the target once; a host at its fast level may run a sample in well
        # under half that time, never in a hundredth.
        assert shortest_sample_ns >= 2_000, name


def test_given_loops_are_used_and_the_others_calibrated(ladder_module, monkeypatch):
    calibrated = []
    original = ladder_module.calibrate
    monkeypatch.setattr(ladder_module, "calibrate", lambda *a: calibrated.append(a) or original(*a))
    result = run(ladder_module, samples=2, loops_json=json.dumps({"native": 3, "into": 5}))
    assert result["steps"]["native"]["loops"] == 3
    assert result["steps"]["into"]["loops"] == 5
    assert len(calibrated) == 1  # noop only
    assert len(result["steps"]["noop"]["samples_ns"]) == 2


def test_the_first_rounds_parity_sets_the_order(ladder_module, monkeypatch):
    def order(first_round):
        timed = []
        original = ladder_module.ladder_function

        def recording(statement):
            function = original(statement)

            def timed_function(loops, *rest):
                if loops == 7:  # the timed call (warm calls make one loop)
                    timed.append(statement)
                return function(loops, *rest)
            return timed_function
        monkeypatch.setattr(ladder_module, "ladder_function", recording)
        loops = json.dumps({name: 7 for name, _ in STEPS})
        run(ladder_module, samples=1, loops_json=loops, first_round=first_round)
        monkeypatch.setattr(ladder_module, "ladder_function", original)
        return timed

    assert order(0) == [statement for _, statement in STEPS]
    assert order(1) == [statement for _, statement in STEPS][::-1]


def test_the_speed_probe_runs_before_every_sample_where_there_is_one(ladder_module, monkeypatch):
    # The extension built outside jsa-bench has no probe, and the ladder records nothing in its place.
    assert not hasattr(ladder_module.jsa_native._probes, "speed_probe")
    assert all(step["probes_ns"] == [] for step in run(ladder_module, samples=2)["steps"].values())
    readings = iter(range(1000, 2000))
    monkeypatch.setattr(ladder_module.jsa_native._probes, "speed_probe", lambda: next(readings), raising=False)
    result = run(ladder_module, samples=3)
    for name, step in result["steps"].items():
        assert len(step["probes_ns"]) == 3, name
    # One unread warm-up run, then one reading per sample, in the order the samples were taken.
    first_round = [result["steps"][name]["probes_ns"][0] for name, _ in STEPS]
    assert first_round == [1001, 1002, 1003]


def test_a_spent_budget_stops_a_rung_after_its_first_sample(ladder_module):
    result = run(ladder_module, samples=20, case_budget_ns=1.0)
    for name, step in result["steps"].items():
        assert len(step["samples_ns"]) == 1, name


def test_cold_rungs_run_without_warm_calls(ladder_module, monkeypatch):
    calls = []
    original = ladder_module.ladder_function

    def counting(statement):
        function = original(statement)

        def counted(loops, *rest):
            calls.append(loops)
            return function(loops, *rest)

        return counted

    monkeypatch.setattr(ladder_module, "ladder_function", counting)
    run(ladder_module, samples=4, warm=False)
    cold_single_calls = calls.count(1)
    calls.clear()
    run(ladder_module, samples=4, warm=True)
    warm_single_calls = calls.count(1)
    # One untimed single execution per rung per sample when warm (3 rungs × 4 samples).
    assert warm_single_calls - cold_single_calls == 12


def test_the_output_starts_half_a_page_past_the_input(ladder_module):
    x = np.ones(5000)
    out = ladder_module.output_for(x)
    assert len(out) == len(x)
    assert (out.ctypes.data - x.ctypes.data) % 4096 == 2048
    assert np.all(out == 0.0)


def test_the_reference_is_the_definition(ladder_module):
    x = np.arange(6, dtype=np.float64)
    expected = np.array([np.nan, np.nan, 1.0, 2.0, 3.0, 4.0])
    assert np.array_equal(ladder_module.reference(x, 2), expected, equal_nan=True)


def test_a_pause_in_one_stretch_is_left_out_and_kept_in_the_whole(ladder_module):
    calls = []

    def rung(share, _clock, *_arguments):  # 100 ns per execution, a 30 µs pause in the third call
        calls.append(share)
        return share * 100 + (30_000 if len(calls) == 3 else 0)

    median, whole = ladder_module.timed_epochs(rung, 800, 8, None, ())
    assert calls == [100] * 8
    assert median == 100
    assert whole == 100 + 30_000 / 800
    calls.clear()
    # Never more stretches than executions: three of one, the paused third outvoted.
    assert ladder_module.timed_epochs(rung, 3, 8, None, ()) == (100, (3 * 100 + 30_000) / 3)
    assert calls == [1, 1, 1]
    calls.clear()
    median, whole = ladder_module.timed_epochs(rung, 800, 1, None, ())
    assert calls == [800] and median == whole == 100  # one stretch: the whole sample


def test_samples_are_median_stretches_with_their_whole_time_beside_them(ladder_module):
    result = run(ladder_module, samples=3, epochs=8)
    for name, step in result["steps"].items():
        assert len(step["samples_wall_ns"]) == len(step["samples_ns"]) == 3, name
        assert all(wall > 0 for wall in step["samples_wall_ns"]), name
