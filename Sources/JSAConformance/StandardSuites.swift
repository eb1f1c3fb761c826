import JSA
import SeededRandom

extension ConformanceSuite {
    /// The suites `jsa-bench verify` runs: the edge cases of the kernels' loop structure and of the
    /// JSA definition, then `randomCases` seeded random inputs of length 1...5000.
    public static func standard(seed: UInt64 = 0x5EED_15A, randomCases: Int = 2000) -> [ConformanceSuite] {
        var rng = SplitMix64(seed: seed)
        return [
            lengthRemainders(&rng),
            leadingNaNRuns(&rng),
            specialValues(&rng),
            periodOne(&rng),
            periodEqualsValidLength(&rng),
            directWrite(&rng),
            placements(&rng),
            batchAscending(&rng),
            batchDescending(&rng),
            batchSingle(&rng),
            batchParallel(&rng),
            random(&rng, count: randomCases)
        ]
    }

    /// Every remainder of length mod 16 (the SIMD main loops take 8 or 16 values per iteration,
    /// then a 4- or 8-wide step, then a scalar or masked tail), at several multiples.
    static func lengthRemainders(_ rng: inout SplitMix64) -> ConformanceSuite {
        var cases: [ConformanceCase] = []
        for base in [0, 16, 32, 64, 1024] {
            for remainder in 0..<16 where base + remainder > 0 {
                let data = series(valid: base + remainder, &rng)
                for period in Set([1, 2, 3, 5, 8, 17, data.count]) where period <= data.count {
                    cases.append(ConformanceCase(data: data, operation: .single(period: period)))
                }
            }
        }
        return ConformanceSuite(name: "length mod 16 (all remainders)", cases: cases)
    }

    /// NaN prefixes of every length across a SIMD block boundary, and long ones.
    static func leadingNaNRuns(_ rng: inout SplitMix64) -> ConformanceSuite {
        var cases: [ConformanceCase] = []
        for nanRun in Array(1...33) + [100, 999] {
            for validCount in [1, 2, 7, 8, 9, 16, 31, 64, 257] {
                let data = series(nanPrefix: nanRun, valid: validCount, &rng)
                for period in Set([1, 3, validCount / 2, validCount]) where (1...validCount).contains(period) {
                    cases.append(ConformanceCase(data: data, operation: .single(period: period)))
                }
            }
        }
        return ConformanceSuite(name: "leading NaN runs", cases: cases)
    }

    /// NaN inside the data (at i and at i - period), ±infinity, -0.0, subnormals, and sums that
    /// overflow to infinity (which a fused multiply-add would not).
    static func specialValues(_ rng: inout SplitMix64) -> ConformanceSuite {
        let specials: [Double] = [
            .nan, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e300, 0.1
        ]
        var cases: [ConformanceCase] = []
        for length in [9, 31, 64, 100, 1000, 4097] {
            for density in [0.01, 0.2, 0.9] {
                var data = series(valid: length, &rng)
                for i in 1..<length where Double.random(in: 0..<1, using: &rng) < density {
                    data[i] = specials.randomElement(using: &rng)!
                }
                for period in [1, 2, 4, 8, 9, length / 3] where period >= 1 {
                    cases.append(ConformanceCase(data: data, operation: .single(period: period)))
                }
            }
        }
        return ConformanceSuite(name: "NaN inside, ±inf, -0, subnormal, overflow", cases: cases)
    }

    static func periodOne(_ rng: inout SplitMix64) -> ConformanceSuite {
        let cases = [1, 2, 3, 4, 7, 8, 15, 16, 17, 100, 5000].map { length in
            ConformanceCase(data: series(nanPrefix: length % 5, valid: length, &rng), operation: .single(period: 1))
        }
        return ConformanceSuite(name: "period 1", cases: cases)
    }

    /// `period` = the number of valid values (all NaN out) and one less (one computed value).
    static func periodEqualsValidLength(_ rng: inout SplitMix64) -> ConformanceSuite {
        var cases: [ConformanceCase] = []
        for length in [1, 2, 8, 9, 16, 17, 33, 1000] {
            for nanPrefix in [0, 3, 8] {
                let data = series(nanPrefix: nanPrefix, valid: length, &rng)
                cases.append(ConformanceCase(data: data, operation: .single(period: length)))
                if length > 1 {
                    cases.append(ConformanceCase(data: data, operation: .single(period: length - 1)))
                }
            }
        }
        return ConformanceSuite(name: "period = valid length (and -1)", cases: cases)
    }

    /// Direct-write into outputs at every alignment a double can have within a 64-byte line, so
    /// the SIMD kernels' alignment peel runs with every length (0-7 elements).
    static func directWrite(_ rng: inout SplitMix64) -> ConformanceSuite {
        var cases: [ConformanceCase] = []
        for length in [1, 5, 15, 16, 17, 63, 64, 65, 4099] {
            for nanPrefix in [0, 5] {
                let data = series(nanPrefix: nanPrefix, valid: length, &rng)
                for period in Set([1, 4, 30, length]) where period <= length {
                    for offset in 0..<8 {
                        cases.append(ConformanceCase(data: data, operation: .into(period: period, outputOffset: offset)))
                    }
                }
            }
        }
        return ConformanceSuite(name: "direct-write (jsaInto), output at 8 alignments", cases: cases)
    }

    /// Every period from 1 to 64 with the input and the output each at all 8 double alignments
    /// within a 64-byte line (the lagged operand's line offset is the period's): every relation
    /// of the three streams to cache lines and SIMD blocks that aligned arrays can have. Byte
    /// offsets that are not multiples of 8 (foreign buffers) are in the kernels' PlacementTests.
    static func placements(_ rng: inout SplitMix64) -> ConformanceSuite {
        let data = series(valid: 203, &rng)
        var cases: [ConformanceCase] = []
        for period in 1...64 {
            for inputOffset in 0..<8 {
                for outputOffset in 0..<8 {
                    cases.append(
                        ConformanceCase(
                            data: data, operation: .placed(period: period, inputOffset: inputOffset, outputOffset: outputOffset)))
                }
            }
        }
        return ConformanceSuite(name: "periods 1-64, input and output at 8 x 8 alignments", cases: cases)
    }

    static func batchAscending(_ rng: inout SplitMix64) -> ConformanceSuite {
        batchSuite("batch ascending", &rng, ranges: [(1, 40, 1), (10, 40, 1), (3, 50, 7), (1, 2, 1)])
    }

    static func batchDescending(_ rng: inout SplitMix64) -> ConformanceSuite {
        batchSuite("batch descending", &rng, ranges: [(40, 10, 1), (50, 1, 7), (2, 1, 1), (33, 30, 10)])
    }

    static func batchSingle(_ rng: inout SplitMix64) -> ConformanceSuite {
        batchSuite("batch single (step 0, start = end)", &rng, ranges: [(30, 30, 1), (30, 45, 0), (1, 1, 0)])
    }

    static func batchParallel(_ rng: inout SplitMix64) -> ConformanceSuite {
        batchSuite("batch parallel rows", &rng, ranges: [(1, 40, 1), (40, 10, 3)], parallel: true)
    }

    private static func batchSuite(
        _ name: String, _ rng: inout SplitMix64, ranges: [(Int, Int, Int)], parallel: Bool = false
    ) -> ConformanceSuite {
        var cases: [ConformanceCase] = []
        for length in [50, 77, 1000] {
            for nanPrefix in [0, 9] {
                let data = series(nanPrefix: nanPrefix, valid: length, &rng)
                for (start, end, step) in ranges {
                    let range = try! PeriodRange(start: start, end: end, step: step)
                    if range.maximum <= length {
                        cases.append(ConformanceCase(data: data, operation: .batch(range, parallel: parallel)))
                    }
                }
            }
        }
        return ConformanceSuite(name: name, cases: cases)
    }

    /// Random lengths 1...5000, random NaN prefixes, occasional NaN inside, random valid periods.
    static func random(_ rng: inout SplitMix64, count: Int) -> ConformanceSuite {
        let cases = (0..<count).map { _ in
            let length = Int.random(in: 1...5000, using: &rng)
            let nanPrefix = Bool.random(using: &rng) ? 0 : Int.random(in: 0..<length, using: &rng)
            var data = series(nanPrefix: nanPrefix, valid: length - nanPrefix, &rng)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    data[Int.random(in: nanPrefix..<length, using: &rng)] = .nan
                }
                data[nanPrefix] = 1.0  // the first valid index stays at nanPrefix
            }
            let period = Int.random(in: 1...(length - nanPrefix), using: &rng)
            return ConformanceCase(data: data, operation: .single(period: period))
        }
        return ConformanceSuite(name: "random (seeded, length 1...5000)", cases: cases)
    }

    /// `nanPrefix` NaNs, then `valid` finite values of mixed sign and magnitude.
    static func series(nanPrefix: Int = 0, valid: Int, _ rng: inout SplitMix64) -> [Double] {
        let magnitudes: [Double] = [1e-3, 1, 1e6, 1e150]
        return [Double](repeating: .nan, count: nanPrefix)
            + (0..<valid).map { _ in
                Double.random(in: -1...1, using: &rng) * magnitudes.randomElement(using: &rng)!
            }
    }
}
