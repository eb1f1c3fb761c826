/// What `jsa-bench` and its Python helper, `jsa-bench-python`, say to each other: one JSON line
/// each way. The helper is a separate executable so that jsa-bench itself does not link libpython:
/// where libpython or NumPy is missing, only the helper fails, and the native run completes.

/// A request for the ladder at one size.
public struct PythonLadderRequest: Codable, Sendable, Equatable {
    /// Input length, elements.
    public var n: Int
    public var period: Int
    /// Samples per rung.
    public var samples: Int
    /// Minimum duration of one sample, ns.
    public var minimumSampleNs: Double
    public var seed: UInt64
    /// Whether the `jsa_batch` rung runs (its output fits the sweep's memory cap and n holds its periods).
    public var batch: Bool
    /// Time budget of each rung's timed samples, ns (nil: none): a rung that used it gets no more.
    public var caseBudgetNs: Double?
    /// Loops per sample by rung name, as an earlier helper process of the same size calibrated
    /// them (nil: calibrate every rung).
    public var loops: [String: Int]?
    /// The number of this request's first round within its size (its parity sets the rung order).
    public var firstRound: Int
    /// The stretches each sample's executions are timed in, at most; the sample is the median
    /// one's time per execution (1: the whole sample).
    public var epochsPerSample: Int

    public init(
        n: Int, period: Int, samples: Int, minimumSampleNs: Double, seed: UInt64, batch: Bool,
        caseBudgetNs: Double? = nil, loops: [String: Int]? = nil, firstRound: Int = 0, epochsPerSample: Int = 1
    ) {
        self.n = n
        self.period = period
        self.samples = samples
        self.minimumSampleNs = minimumSampleNs
        self.seed = seed
        self.batch = batch
        self.caseBudgetNs = caseBudgetNs
        self.loops = loops
        self.firstRound = firstRound
        self.epochsPerSample = epochsPerSample
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            n: try container.decode(Int.self, forKey: .n), period: try container.decode(Int.self, forKey: .period),
            samples: try container.decode(Int.self, forKey: .samples),
            minimumSampleNs: try container.decode(Double.self, forKey: .minimumSampleNs),
            seed: try container.decode(UInt64.self, forKey: .seed), batch: try container.decode(Bool.self, forKey: .batch),
            caseBudgetNs: try container.decodeIfPresent(Double.self, forKey: .caseBudgetNs),
            loops: try container.decodeIfPresent([String: Int].self, forKey: .loops),
            firstRound: try container.decodeIfPresent(Int.self, forKey: .firstRound) ?? 0,
            epochsPerSample: try container.decodeIfPresent(Int.self, forKey: .epochsPerSample) ?? 1)
    }

    enum CodingKeys: String, CodingKey {
        case n, period, samples, seed, batch, loops
        case minimumSampleNs = "minimum_sample_ns"
        case caseBudgetNs = "case_budget_ns"
        case firstRound = "first_round"
        case epochsPerSample = "epochs_per_sample"
    }
}

/// The ladder at one size, as results.
public struct PythonLadderResult: Codable, Sendable {
    /// One `python` case per rung.
    public var cases: [CaseResult]
    public var python: String
    public var numpy: String
    /// The interpreter's sys.executable.
    public var executable: String
    /// `jsa_native.jsa(x, p)` equalled the NumPy reference bit for bit before timing.
    public var verified: Bool

    public init(cases: [CaseResult], python: String, numpy: String, executable: String, verified: Bool) {
        self.cases = cases
        self.python = python
        self.numpy = numpy
        self.executable = executable
        self.verified = verified
    }
}

/// A line from the helper: first a greeting (both fields nil when it is ready, `error` when it has
/// no interpreter or NumPy, after which it exits), then one reply per request.
public struct PythonHelperReply: Codable, Sendable {
    public static let protocolVersion = "jsa-bench/python-helper/v1"
    public var protocolVersion = PythonHelperReply.protocolVersion
    /// Why the helper cannot serve, or why this request failed: one line.
    public var error: String?
    public var ladder: PythonLadderResult?

    public init(error: String? = nil, ladder: PythonLadderResult? = nil) {
        self.error = error
        self.ladder = ladder
    }

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol"
        case error, ladder
    }
}
