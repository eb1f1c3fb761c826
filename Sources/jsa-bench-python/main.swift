// jsa-bench-python: the Python side of jsa-bench's FFI ladder, in its own process.
//
// jsa-bench starts it, reads one greeting line, then writes one PythonLadderRequest per line and
// reads one PythonHelperReply per line (Sources/Results/PythonHelperProtocol.swift). It is the only
// executable that links libpython: where libpython is missing it does not start, and jsa-bench
// reports that in one line and completes the native run.
import BenchModel
import Foundation
import Measurement
import PythonBridge
import SystemIO

func send(_ reply: PythonHelperReply) {
    let line =
        (try? JSONEncoder().encode(reply)).map { String(decoding: $0, as: UTF8.self) }
        ?? #"{"protocol":"\#(PythonHelperReply.protocolVersion)","error":"the reply could not be encoded"}"#
    // A parent that has gone cannot be answered: end quietly (no crash dump, no orphan).
    do {
        try StandardStreams.writeOutput(line + "\n")
    } catch {
        exit(0)
    }
}

// jsa-bench runs this helper in a process group of its own (a terminal's Ctrl-C reaches jsa-bench
// alone, which decides what stopping means); it ends when its input does, or with jsa-bench.
ParentWatch.endWithParent()

let python: EmbeddedPython
do {
    python = try EmbeddedPython.start()
} catch {
    send(PythonHelperReply(error: error.description))
    exit(0)
}
send(PythonHelperReply())
let caches = CacheTopology.read()
while let line = readLine() {
    guard let request = try? JSONDecoder().decode(PythonLadderRequest.self, from: Data(line.utf8)) else {
        send(PythonHelperReply(error: "not a ladder request: '\(line.prefix(80))'"))
        continue
    }
    do {
        send(PythonHelperReply(ladder: try PythonLadder.result(for: request, in: python, caches: caches)))
    } catch {
        send(PythonHelperReply(error: error.description))
    }
}
