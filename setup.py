"""The C extension of pyproject.toml (setuptools declares extensions here): the binding of
Sources/CJSAPython and the kernels of Sources/CJSAKernels, with scripts/build-pyext's flags."""
from pathlib import Path

import numpy
from setuptools import Extension, setup

ROOT = Path(__file__).resolve().parent


def sources(folder):
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / folder).glob("*.c"))


setup(
    ext_modules=[
        Extension(
            "jsa_native",
            sources=sources("Sources/CJSAPython") + sources("Sources/CJSAKernels"),
            include_dirs=["Sources/CJSAKernels/include", numpy.get_include()],
            define_macros=[("_GNU_SOURCE", None)],
            # -ffp-contract=off: GCC ignores `#pragma STDC FP_CONTRACT OFF`, and a contracted
            # operation would no longer be bit-identical to the scalar kernel.
            # -fvisibility=hidden: only PyInit_jsa_native is exported, so the kernels inline.
            # -falign-functions=64 -falign-loops=64: functions and loops on 64-byte lines, as
            # scripts/build-pyext and the Swift package build them, so that a change to one
            # function moves no loop across a line.
            extra_compile_args=[
                "-std=c11", "-O2", "-ffp-contract=off", "-fvisibility=hidden", "-falign-functions=64", "-falign-loops=64",
                "-Wno-unknown-pragmas"
            ],
        )
    ],
)
