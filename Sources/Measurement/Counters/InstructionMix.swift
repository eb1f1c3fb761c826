import BenchModel
import Foundation
import SystemIO

/// The vector width of floating-point arithmetic that ran, where no PMU counts it: the
/// simulation's instructions executed per address, joined with the binary's disassembly.
///
/// Counted, as Intel's `FP_ARITH_INST_RETIRED` counts them: arithmetic on doubles — `add`, `sub`,
/// `mul`, `div`, `min`, `max`, `sqrt` and the fused multiply-adds — scalar (`…sd`) or packed
/// (`…pd`) on xmm, ymm or zmm registers. Loads, stores, shuffles and conversions are not.
public enum InstructionMix {
    public enum Width: Sendable, Equatable {
        case scalar, packed128, packed256, packed512
    }

    /// The width of one instruction in AT&T syntax (`vaddpd %ymm1,%ymm0,%ymm2`), nil when it is
    /// not FP arithmetic on doubles.
    public static func width(of instruction: Substring) -> Width? {
        let mnemonic = instruction.prefix { !$0.isWhitespace }
        var stem = mnemonic.hasPrefix("v") ? mnemonic.dropFirst() : mnemonic
        let scalar: Bool
        if stem.hasSuffix("sd") {
            scalar = true
        } else if stem.hasSuffix("pd") {
            scalar = false
        } else {
            return nil
        }
        stem = stem.dropLast(2)
        let plain: Set<Substring> = ["add", "sub", "mul", "div", "min", "max", "sqrt"]
        let fused = ["fmadd", "fmsub", "fnmadd", "fnmsub"].contains { f in ["132", "213", "231"].contains { stem == f + $0 } }
        guard plain.contains(stem) || fused else { return nil }
        if scalar { return .scalar }
        if instruction.contains("%zmm") { return .packed512 }
        if instruction.contains("%ymm") { return .packed256 }
        return .packed128
    }

    /// Address → width of every FP arithmetic instruction in `objdump -d --no-show-raw-insn`
    /// output (`  13a080:\tvaddpd %ymm1,%ymm0,%ymm0`).
    public static func fpInstructions(inDisassembly text: String) -> [UInt64: Width] {
        var widths: [UInt64: Width] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let tab = line.firstIndex(of: "\t"), colon < tab,
                let address = UInt64(line[..<colon].trimmingCharacters(in: .whitespaces), radix: 16),
                let width = width(of: line[line.index(after: tab)...])
            else { continue }
            widths[address] = width
        }
        return widths
    }

    /// FP arithmetic instructions per call by width, from instructions executed per address over
    /// `calls` calls.
    public static func mix(counts: [UInt64: UInt64], widths: [UInt64: Width], calls: Int) -> FPInstructionMix {
        var mix = FPInstructionMix()
        let perCall = 1 / Double(max(1, calls))
        for (address, executed) in counts {
            switch widths[address] {
            case .scalar: mix.scalar += Double(executed) * perCall
            case .packed128: mix.packed128 += Double(executed) * perCall
            case .packed256: mix.packed256 += Double(executed) * perCall
            case .packed512: mix.packed512 += Double(executed) * perCall
            case nil: break
            }
        }
        return mix
    }

    /// The FP arithmetic instructions of `executable`, disassembled by objdump (binutils).
    /// - Throws: `Failure` when objdump is missing or fails.
    public static func disassemble(_ executable: String) throws -> [UInt64: Width] {
        let completion: ChildProcess.Completion
        do {
            completion = try ChildProcess.run("objdump", ["-d", "--no-show-raw-insn", executable], timeout: 120)
        } catch {
            throw Failure(description: "objdump could not disassemble \(executable) (apt-get install binutils): \(error)")
        }
        guard completion.termination == .exited(0) else {
            throw Failure(description: "objdump \(completion.termination) on \(executable): \(completion.standardError)")
        }
        return fpInstructions(inDisassembly: completion.text)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
