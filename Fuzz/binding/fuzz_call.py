"""The binding fuzzer's decoder (binding_fuzzer.c): one libFuzzer input → one hostile call of
jsa_native, built by Tests/python/hostile_calls.py with its choices drawn from the input's bytes
instead of a seeded generator, so coverage feedback steers which exporter, values, period, kernel,
keywords and argument counts are tried. `call` raises when the call ends in anything but a
bit-exact result, TypeError or ValueError."""
import numpy as np

import hostile_calls


class ByteChoices:
    """The part of random.Random that hostile_calls uses, reading the fuzzer's bytes in order (zeros
    once they run out, so every input decodes to a call)."""

    def __init__(self, data):
        self._data = data
        self._position = 0

    def _next(self, count):
        chunk = self._data[self._position:self._position + count]
        self._position += count
        return int.from_bytes(chunk.ljust(count, b"\0"), "little")

    def random(self):
        return self._next(2) / 65536.0

    def randrange(self, start, stop=None):
        if stop is None:
            start, stop = 0, start
        width = stop - start
        if width <= 0:
            raise ValueError("empty range for randrange()")
        return start + self._next(2) % width

    def choice(self, sequence):
        return sequence[self._next(1) % len(sequence)]

    def uniform(self, low, high):
        return low + (high - low) * (self._next(4) / 4294967296.0)


def call(data):
    with np.errstate(all="ignore"):
        outcome, detail = hostile_calls.one_call(ByteChoices(data))
    if outcome == "failure":
        raise AssertionError(detail)
