import BenchModel
import Testing

@Suite struct FormatTests {
    @Test(
        arguments: [
            (512.25, "512.2 ns"), (1_500, "1.50 µs"), (2_500_000, "2.50 ms"), (3e9, "3.00 s"),
            (-303.2, "-303.2 ns"), (-16_958.6, "-16.96 µs"), (-438_033.8, "-438.03 µs"), (-1.5e6, "-1.50 ms"),
            (.nan, "—")
        ])
    func aDurationTakesTheUnitOfItsMagnitudeAndKeepsItsSign(ns: Double, expected: String) {
        #expect(Format.duration(ns) == expected)
    }

    @Test(arguments: [(512, "512 B"), (16 * 1024, "16.0 KiB"), (3 << 20, "3.0 MiB"), (5 << 30, "5.00 GiB")])
    func bytesTakeBinaryUnits(count: Int, expected: String) {
        #expect(Format.bytes(count) == expected)
    }
}
