import JSA

/// One input and one call of the JSA API, run once per kernel.
public struct ConformanceCase: Sendable {
    /// What is called.
    public enum Operation: Sendable, Hashable {
        /// Allocating `jsa(data, period:)`.
        case single(period: Int)
        /// Direct-write `jsaInto(data, period:, output:)` into a buffer that starts
        /// `outputOffset` doubles past a 64-byte boundary (the SIMD kernels peel to align stores).
        case into(period: Int, outputOffset: Int)
        /// Direct-write with the input too placed `inputOffset` doubles past a 64-byte boundary:
        /// the lagged operand's and the stores' positions in their lines vary independently.
        case placed(period: Int, inputOffset: Int, outputOffset: Int)
        /// `jsaBatch(data, periods:, parallel:)`.
        case batch(PeriodRange, parallel: Bool)
    }

    public let data: [Double]
    public let operation: Operation

    public init(data: [Double], operation: Operation) {
        self.data = data
        self.operation = operation
    }

    /// A short description for failure messages: length, first valid index and the call.
    public var label: String {
        let first = data.firstIndex(where: { !$0.isNaN }) ?? data.count
        let call: String
        switch operation {
        case let .single(period): call = "jsa p=\(period)"
        case let .into(period, offset): call = "jsaInto p=\(period) output+\(offset)"
        case let .placed(period, input, output): call = "jsaInto p=\(period) input+\(input) output+\(output)"
        case let .batch(range, parallel): call = "batch \(range)\(parallel ? " parallel" : "")"
        }
        return "len=\(data.count) first=\(first) \(call)"
    }

    /// Runs the operation with `kernel`.
    public func run(kernel: Kernel) throws(JSAError) -> [Double] {
        switch operation {
        case let .single(period):
            return try jsa(data, period: period, kernel: kernel)
        case let .into(period, offset):
            let output = Self.placedBuffer(count: data.count, offset: offset)
            defer { output.deallocate(offset: offset) }
            output.initialize(repeating: 0)
            try data.withUnsafeBufferPointer { (input) throws(JSAError) in
                try jsaInto(input, period: period, kernel: kernel, output: output)
            }
            return Array(output)
        case let .placed(period, inputOffset, outputOffset):
            let input = Self.placedBuffer(count: data.count, offset: inputOffset)
            let output = Self.placedBuffer(count: data.count, offset: outputOffset)
            defer {
                input.deallocate(offset: inputOffset)
                output.deallocate(offset: outputOffset)
            }
            _ = input.initialize(from: data)
            output.initialize(repeating: 0)
            try jsaInto(UnsafeBufferPointer(input), period: period, kernel: kernel, output: output)
            return Array(output)
        case let .batch(range, parallel):
            return try jsaBatch(data, periods: range, kernel: kernel, parallel: parallel).values
        }
    }

    /// What the definition says the operation returns (`ReferenceJSA`).
    public func reference() -> [Double] {
        switch operation {
        case let .single(period), let .into(period, _), let .placed(period, _, _):
            return ReferenceJSA.jsa(data, period: period)
        case let .batch(range, _):
            return ReferenceJSA.batch(data, periods: range)
        }
    }
}

extension ConformanceCase {
    /// `count` doubles starting `offset` doubles past a 64-byte boundary (uninitialized).
    static func placedBuffer(count: Int, offset: Int) -> UnsafeMutableBufferPointer<Double> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (count + offset) * 8, alignment: 64)
        return UnsafeMutableBufferPointer(start: raw.bindMemory(to: Double.self, capacity: count + offset) + offset, count: count)
    }
}

extension UnsafeMutableBufferPointer<Double> {
    /// Frees a `ConformanceCase.placedBuffer` made with `offset`.
    fileprivate func deallocate(offset: Int) {
        UnsafeMutableRawPointer(baseAddress! - offset).deallocate()
    }
}

/// A named group of cases: one row of the verification table.
public struct ConformanceSuite: Sendable {
    public let name: String
    public let cases: [ConformanceCase]

    public init(name: String, cases: [ConformanceCase]) {
        self.name = name
        self.cases = cases
    }
}
