#!/usr/bin/env python3
"""The parts of scripts/layout-ab that are not git or the build: copying a tree, padding the code,
checking that the padding moved the kernels, and the table over code layouts.

    layout_ab.py sync SOURCE DESTINATION     # DESTINATION's files become SOURCE's; its .build stays
    layout_ab.py digest TREE                 # SHA-256 of what builds jsa-bench in TREE: the manifest, Sources/
    layout_ab.py pad FILE BYTES              # BYTES of code before FILE's own (0: FILE as it is)
    layout_ab.py moved EXECUTABLE PAD ZERO   # exit 1 unless jsa_row lies >= PAD bytes after ZERO's
    layout_ab.py table RUNS BASE HEAD        # the cases over layouts, from RUNS/{base,head}-PAD-REP.json
    layout_ab.py --self-test                 # the table and the padding on synthetic input
"""
import hashlib
import json
import math
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

PAD_FUNCTION = (
    "/* scripts/layout-ab: {bytes} bytes of code before this file's own, which moves every function after it. */\n"
    "static void __attribute__((used, noinline)) jsa_layout_ab_pad(void) {{ __asm__ volatile(\".skip {bytes}, 0x90\"); }}\n"
)
ANCHOR = "jsa_row"  # the public entry point of the kernels (jsa_dispatch.c): it lies after every kernel object's padding
RUN = re.compile(r"^(base|head)-(\d+)-(\d+)(?:-p\d+)?\.json$")  # SIDE-PAD-REPETITION[-pPERIOD].json


def sync(source, destination):
    """Makes DESTINATION's files (but its .build) SOURCE's, touching only the files that differ, so
    that an incremental build there rebuilds only what changed."""
    source, destination = pathlib.Path(source), pathlib.Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    wanted = {path.relative_to(source) for path in source.rglob("*") if path.is_file() or path.is_symlink()}
    for path in sorted(destination.rglob("*"), reverse=True):
        relative = path.relative_to(destination)
        if relative.parts[0] == ".build":
            continue
        if (path.is_file() or path.is_symlink()) and relative not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for relative in sorted(wanted):
        origin, copy = source / relative, destination / relative
        if copy.exists() and not copy.is_symlink() and not origin.is_symlink() and copy.read_bytes() == origin.read_bytes():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        if copy.exists() or copy.is_symlink():
            copy.unlink()
        shutil.copy2(origin, copy, follow_symlinks=False)


BUILT_FROM = {"Package.swift", "Package.resolved", "Sources"}  # what `swift build --product jsa-bench` reads


def digest(tree):
    """SHA-256 over the names and contents of TREE's files that a build of jsa-bench reads (BUILT_FROM)."""
    tree, hashed = pathlib.Path(tree), hashlib.sha256()
    for path in sorted(p for p in tree.rglob("*") if p.is_file() and p.relative_to(tree).parts[0] in BUILT_FROM):
        hashed.update(str(path.relative_to(tree)).encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def padded(text, pad_bytes):
    """TEXT with a function of PAD_BYTES bytes of `nop`s first, or TEXT itself for 0."""
    return text if pad_bytes == 0 else PAD_FUNCTION.format(bytes=pad_bytes) + text


def symbol_address(executable, name):
    """The address of the global function NAME in EXECUTABLE (nm), or None."""
    listing = subprocess.run(["nm", "--defined-only", executable], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "Tt" and fields[2] == name:
            return int(fields[0], 16)
    return None


def moved(executable, pad_bytes, unpadded):
    """Whether the anchor lies at least PAD_BYTES after where it lies in UNPADDED (pad 0)."""
    here, there = symbol_address(executable, ANCHOR), symbol_address(unpadded, ANCHOR)
    return here is not None and there is not None and here - there >= pad_bytes, here


def runs_in(directory):
    """{(side, pad): [document, ...]} of the sweep results in DIRECTORY, by their file names."""
    found = {}
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        match = RUN.match(path.name)
        if match:
            side, pad, _ = match.groups()
            found.setdefault((side, int(pad)), []).append(json.loads(path.read_text()))
    return found


def ratio_of(ratio):
    """The ratio's value at the host's fast level where the run has one, else over every round."""
    return (ratio.get("fast_level") or ratio["estimate"])["value"]


def per_layout(runs):
    """{case: {side: {pad: median over the repetitions of the case's time over memcpy's}}}."""
    values = {}
    for (side, pad), documents in runs.items():
        for document in documents:
            for ratio in document["analysis"]["ratios"]:
                if ratio["kind"] == "fraction_of_memcpy":
                    values.setdefault(ratio["subject"], {}).setdefault(side, {}).setdefault(pad, []).append(ratio_of(ratio))
    return {
        case: {side: {pad: statistics.median(v) for pad, v in pads.items()} for side, pads in sides.items()}
        for case, sides in values.items()
    }


def sign_test(lower, layouts):
    """Two-sided sign test: the chance of a split at least as uneven as LOWER of LAYOUTS where
    either side is as likely to be lower in each layout."""
    extreme = min(lower, layouts - lower)
    tail = sum(math.comb(layouts, k) for k in range(extreme + 1)) / 2**layouts
    return min(1.0, 2 * tail)


def table(directory, base_label, head_label):
    """The lines of the table: per case, each side's median over layouts (and their range) of the
    case's time over memcpy's, and head over base paired by layout."""
    cases = per_layout(runs_in(directory))
    pads = sorted({pad for sides in cases.values() for layout in sides.values() for pad in layout})
    lines = [
        f"{len(pads)} code layouts (bytes of code before the kernels: {', '.join(map(str, pads))}); per layout the median over "
        f"its sweeps of each case's time over memcpy's in the same rounds, at the host's fast level where the run had one",
        f"base = {base_label}, head = {head_label}; head / base paired by layout, and in how many layouts head was lower",
    ]
    rows = [["case", "base: median (range)", "head: median (range)", "head / base: median (range)", "head lower", "sign test p"]]
    for case in sorted(cases):
        base, head = cases[case].get("base", {}), cases[case].get("head", {})
        both = sorted(set(base) & set(head))
        cells = [case]
        for side in (base, head):
            values = sorted(side.values())
            cells.append(f"{statistics.median(values):.3f} ({values[0]:.3f}-{values[-1]:.3f})" if values else "-")
        if both:
            paired = sorted(head[pad] / base[pad] for pad in both)
            lower = sum(head[pad] < base[pad] for pad in both)
            cells += [f"{statistics.median(paired):.3f} ({paired[0]:.3f}-{paired[-1]:.3f})", f"{lower} of {len(both)}",
                      f"{sign_test(lower, len(both)):.3f}"]
        else:
            cells += ["-", "-", "-"]
        rows.append(cells)
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return lines


def synthetic_run(directory, side, pad, repetition, values):
    """A sweep result with one fraction_of_memcpy ratio per (case, value) of VALUES."""
    ratios = [{"kind": "fraction_of_memcpy", "subject": case, "estimate": {"value": value * 2}, "fast_level": {"value": value}}
              for case, value in values.items()]
    ratios.append({"kind": "into_over_bare_c", "subject": "native/into/avx2/n=1000/p=30", "estimate": {"value": 9.0}})
    (pathlib.Path(directory) / f"{side}-{pad}-{repetition}.json").write_text(json.dumps({"analysis": {"ratios": ratios}}))


def self_test():
    problems = []
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        runs = work / "runs"
        runs.mkdir()
        # Case a: head lower by 2% in every layout; the medians of three repetitions are 1.00/0.98 per layout.
        for pad in (0, 64, 128, 192, 256, 320):
            for repetition, noise in enumerate((0.0, 0.5, -0.5)):
                synthetic_run(runs, "base", pad, repetition, {"native/into/avx2/n=1000/p=30": 1.00 + noise, "x/b": 1.10})
                synthetic_run(runs, "head", pad, repetition, {"native/into/avx2/n=1000/p=30": 0.98 + noise, "x/b": 1.10 + pad / 1e5})
            synthetic_run(runs, "base", pad, "0-p31", {"native/into/avx2/n=1000/p=31": 1.20})
            synthetic_run(runs, "head", pad, "0-p31", {"native/into/avx2/n=1000/p=31": 1.08 if pad else 1.32})
        (runs / "unrelated.json").write_text("not a run")
        lines = table(runs, "B", "H")
        rows = [re.split(r"\s{2,}", line) for line in lines[2:]]
        want_a = ["native/into/avx2/n=1000/p=30", "1.000 (1.000-1.000)", "0.980 (0.980-0.980)", "0.980 (0.980-0.980)", "6 of 6", "0.031"]
        want_b = ["x/b", "1.100 (1.100-1.100)", "1.102 (1.100-1.103)", "1.001 (1.000-1.003)", "0 of 6", "0.031"]
        want_c = ["native/into/avx2/n=1000/p=31", "1.200 (1.200-1.200)", "1.080 (1.080-1.320)", "0.900 (0.900-1.100)", "5 of 6", "0.219"]
        for want in (want_a, want_b, want_c):
            if want not in rows:
                problems.append(f"table: no row {want} in {rows}")
        if not lines[0].startswith("6 code layouts (bytes of code before the kernels: 0, 64, 128, 192, 256, 320)"):
            problems.append(f"table: header {lines[0]!r}")
        if abs(sign_test(3, 6) - 1.0) > 1e-12 or abs(sign_test(0, 6) - 2 / 64) > 1e-12 or abs(sign_test(1, 6) - 14 / 64) > 1e-12:
            problems.append("sign_test: wrong tail")
        # sync: changed files copied, extra ones removed, .build and unchanged files untouched.
        source, destination = work / "source", work / "destination"
        (source / "Sources").mkdir(parents=True)
        (source / "Sources" / "a.c").write_text("a")
        (source / "Sources" / "b.c").write_text("b2")
        (destination / "Sources").mkdir(parents=True)
        (destination / ".build").mkdir()
        (destination / ".build" / "kept").write_text("k")
        (destination / "Sources" / "a.c").write_text("a")
        (destination / "Sources" / "b.c").write_text("b1")
        (destination / "Sources" / "gone.c").write_text("g")
        (destination / "Old").mkdir()
        (destination / "Old" / "x").write_text("x")
        before = (destination / "Sources" / "a.c").stat().st_ino
        sync(source, destination)
        listed = sorted(str(p.relative_to(destination)) for p in destination.rglob("*"))
        if listed != [".build", ".build/kept", "Sources", "Sources/a.c", "Sources/b.c"]:
            problems.append(f"sync: left {listed}")
        if (destination / "Sources" / "b.c").read_text() != "b2" or (destination / "Sources" / "a.c").stat().st_ino != before:
            problems.append("sync: a changed file not copied, or an unchanged one replaced")
        if digest(source) != digest(destination):
            problems.append("digest: a tree and its copy (with a .build) differ")
        (destination / "Sources" / "b.c").write_text("b3")
        if digest(source) == digest(destination):
            problems.append("digest: a changed file left it as it was")
        built_from = digest(destination)
        (destination / "README.md").write_text("docs")
        if digest(destination) != built_from:
            problems.append("digest: a file the build does not read changed it")
        # pad: the code after the padding moves by at least its bytes.
        kernel = "int jsa_row(int x) { return x * 3 + 1; }\n"
        addresses = []
        for pad in (0, 320):
            (work / f"k{pad}.c").write_text(padded(kernel, pad))
            subprocess.run(["clang", "-O2", "-falign-functions=64", "-c", str(work / f"k{pad}.c"), "-o", str(work / f"k{pad}.o")], check=True)
            addresses.append(symbol_address(str(work / f"k{pad}.o"), ANCHOR))
        if None in addresses or addresses[1] - addresses[0] < 320:
            problems.append(f"pad: {ANCHOR} at {addresses} with 0 and 320 bytes before it")
    if problems:
        for problem in problems:
            print(f"layout-ab: self-test FAILED: {problem}")
        return 1
    print("layout-ab: self-test passed")
    return 0


def main(arguments):
    if arguments == ["--self-test"]:
        return self_test()
    command, rest = arguments[0] if arguments else "", arguments[1:]
    if command == "sync" and len(rest) == 2:
        sync(*rest)
    elif command == "digest" and len(rest) == 1:
        print(digest(rest[0]))
    elif command == "pad" and len(rest) == 2:
        path = pathlib.Path(rest[0])
        path.write_text(padded(path.read_text(), int(rest[1])))
    elif command == "moved" and len(rest) == 3:
        ok, address = moved(rest[0], int(rest[1]), rest[2])
        unpadded = symbol_address(rest[2], ANCHOR)
        print(f"{address:#x} ({address - unpadded:+d} bytes)" if address is not None and unpadded is not None else "nowhere")
        return 0 if ok else 1
    elif command == "table" and len(rest) == 3:
        print("\n".join(table(*rest)))
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
