@testable import CurbModel
import CurbTestKit
import Testing

@Suite struct ArenaPlannerTests {
    /// An int8 activation of `bytes` bytes.
    static func tensor(_ name: String, _ bytes: Int) -> Tensor {
        Tensor(name: name, type: .int8, shape: TensorShape([bytes]), quantization: Quantization(scale: 0.1, zeroPoint: 0))
    }

    static let relu = OperatorOptions.relu(ReluOptions(requantization: Requantization(multiplier: 1 << 30, shift: 1),
                                                      activation: .int8))

    /// The plan of a chain A → B → C → D, worked by hand (sizes 100, 200, 50, 300 bytes).
    ///
    /// Lifetimes in steps: A [0,0] (graph input), B [0,1], C [1,2], D [2,2] (graph output).
    /// Placement is largest first: D (300) at 0 (nothing placed yet). B (200) is not alive with D → 0.
    /// A (100, rounded to 112) is alive with B (0..<200) → first gap after B: 208. C (50 → 64) is alive
    /// with D (0..<300) and B (0..<200) → after D: 304. High water max(300, 200, 308, 354) = 354 → 368.
    @Test func chainMatchesHandComputedPlan() {
        let tensors = [Self.tensor("A", 100), Self.tensor("B", 200), Self.tensor("C", 50), Self.tensor("D", 300)]
        let operators = [Operator(Self.relu, inputs: [0], outputs: [1]), Operator(Self.relu, inputs: [1], outputs: [2]),
                         Operator(Self.relu, inputs: [2], outputs: [3])]
        let plan = ArenaPlanner.plan(tensors: tensors, operators: operators, inputs: [0], outputs: [3])
        #expect(plan == ArenaPlan(size: 368, offsets: [208, 0, 304, 0]))
        #expect(throws: Never.self) {
            try ArenaPlanner.verify(plan, tensors: tensors, operators: operators, inputs: [0], outputs: [3])
        }
    }

    @Test func constantsGetNoOffset() {
        let tensors = [Self.tensor("in", 16),
                       Tensor(name: "k", type: .int8, shape: TensorShape([16]), storage: .constant(offset: 0)),
                       Self.tensor("out", 16)]
        let operators = [Operator(.add(AddOptions(input1: .zero, input2: .zero, output: .zero)), inputs: [0, 1], outputs: [2])]
        let plan = ArenaPlanner.plan(tensors: tensors, operators: operators, inputs: [0], outputs: [2])
        #expect(plan.offsets[1] == -1)
    }

    @Test func reshapeIsInPlace() {
        let tensors = [Self.tensor("in", 64), Self.tensor("mid", 64),
                       Tensor(name: "flat", type: .int8, shape: TensorShape([4, 16]), quantization: Quantization(scale: 0.1, zeroPoint: 0)),
                       Self.tensor("out", 64)]
        let operators = [Operator(Self.relu, inputs: [0], outputs: [1]), Operator(.reshape(ReshapeOptions()), inputs: [1], outputs: [2]),
                         Operator(Self.relu, inputs: [2], outputs: [3])]
        var plan = ArenaPlanner.plan(tensors: tensors, operators: operators, inputs: [0], outputs: [3])
        #expect(plan.offsets[1] == plan.offsets[2])
        #expect(plan.offsets[3] != plan.offsets[2])
        // A plan that splits the reshape's two tensors is refused.
        plan.offsets[2] = plan.size
        plan.size += 64
        let error = modelError { () throws(ModelError) in
            try ArenaPlanner.verify(plan, tensors: tensors, operators: operators, inputs: [0], outputs: [3])
        }
        #expect(error?.code == .planOverlap)
        #expect(error?.tensorIndex == 2)
    }

    /// Random DAGs: planned offsets are aligned, inside the arena, and never overlap for tensors alive at
    /// the same time (lifetimes recomputed here independently, reshape aliasing excluded by using relu/add).
    @Test func randomGraphsNeverOverlap() throws {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let count = Int.random(in: 2...30, using: &random)
            var tensors = [Self.tensor("input", Int.random(in: 1...500, using: &random))]
            var operators: [Operator] = []
            for index in 1..<count {
                tensors.append(Self.tensor("t\(index)", Int.random(in: 1...500, using: &random)))
                let first = Int32.random(in: 0..<Int32(index), using: &random)
                if Bool.random(using: &random), index > 1 {
                    let second = Int32.random(in: 0..<Int32(index), using: &random)
                    operators.append(Operator(.add(AddOptions(input1: .zero, input2: .zero, output: .zero)),
                                              inputs: [first, second], outputs: [Int32(index)]))
                } else {
                    operators.append(Operator(Self.relu, inputs: [first], outputs: [Int32(index)]))
                }
            }
            let outputs: [Int32] = [Int32(count - 1)]
            let plan = ArenaPlanner.plan(tensors: tensors, operators: operators, inputs: [0], outputs: outputs)
            try ArenaPlanner.verify(plan, tensors: tensors, operators: operators, inputs: [0], outputs: outputs)

            // Independent lifetimes: tensor t (t ≥ 1) is written at step t − 1; the input at step 0.
            var first = [Int](repeating: 0, count: count), last = [Int](repeating: 0, count: count)
            for index in 1..<count { first[index] = index - 1; last[index] = index - 1 }
            for (step, op) in operators.enumerated() { for input in op.inputs { last[Int(input)] = max(last[Int(input)], step) } }
            last[count - 1] = operators.count - 1
            for a in 0..<count {
                #expect(plan.offsets[a] % ArenaPlan.alignment == 0)
                #expect(plan.offsets[a] + tensors[a].byteCount <= plan.size)
                for b in (a + 1)..<count where !(first[a] > last[b] || first[b] > last[a]) {
                    let disjoint = plan.offsets[a] + tensors[a].byteCount <= plan.offsets[b]
                        || plan.offsets[b] + tensors[b].byteCount <= plan.offsets[a]
                    #expect(disjoint, "tensors \(a) and \(b) overlap")
                }
            }
        }
    }

    @Test func verifyRejectsOverlapMisalignmentAndEscape() {
        let tensors = [Self.tensor("A", 100), Self.tensor("B", 200), Self.tensor("C", 50), Self.tensor("D", 300)]
        let operators = [Operator(Self.relu, inputs: [0], outputs: [1]), Operator(Self.relu, inputs: [1], outputs: [2]),
                         Operator(Self.relu, inputs: [2], outputs: [3])]
        func verify(_ plan: ArenaPlan) -> ModelError? {
            modelError { () throws(ModelError) in
                try ArenaPlanner.verify(plan, tensors: tensors, operators: operators, inputs: [0], outputs: [3])
            }
        }
        // A and B are both alive at step 0: A at 112 overlaps B's 0..<200.
        let overlap = verify(ArenaPlan(size: 368, offsets: [112, 0, 304, 0]))
        #expect(overlap?.code == .planOverlap)
        // C (288..<338) overlaps D (0..<300), both alive at step 2.
        let late = verify(ArenaPlan(size: 368, offsets: [208, 0, 288, 0]))
        #expect(late?.code == .planOverlap)
        #expect(late?.tensorIndex == 3)
        // Tensors that never live at the same time may share bytes: C reuses A's, B is disjoint from both.
        #expect(verify(ArenaPlan(size: 576, offsets: [208, 0, 208, 272])) == nil)
        #expect(verify(ArenaPlan(size: 368, offsets: [208, 0, 300, 0]))?.code == .badAlignment)
        #expect(verify(ArenaPlan(size: 352, offsets: [208, 0, 304, 0]))?.code == .outOfBounds)
        #expect(verify(ArenaPlan(size: 360, offsets: [208, 0, 304, 0]))?.code == .badAlignment)
        #expect(verify(ArenaPlan(size: 368, offsets: [208, -1, 304, 0]))?.code == .planMissing)
        #expect(verify(ArenaPlan(size: 368, offsets: [208, 0, 304]))?.code == .planMissing)
    }

    /// A hostile graph: 65,535 operators each writing a tensor nobody reads, all planned at one offset (legal:
    /// their lifetimes are disjoint). Verifying must stay fast (no comparison of every pair).
    @Test func verifyIsNotQuadratic() throws {
        let count = 65_535
        var tensors = [Self.tensor("input", 16)]
        var operators: [Operator] = []
        var offsets = [0]
        for index in 1...count {
            tensors.append(Self.tensor("t", 16))
            operators.append(Operator(Self.relu, inputs: [0], outputs: [Int32(index)]))
            offsets.append(16)
        }
        let clock = ContinuousClock()
        let start = clock.now
        try ArenaPlanner.verify(ArenaPlan(size: 32, offsets: offsets), tensors: tensors, operators: operators,
                                inputs: [0], outputs: [Int32(count)])
        let elapsed = clock.now - start
        print("verify of \(count) disjoint-lifetime buffers at one offset: \(elapsed)")
        #expect(elapsed < .seconds(5))
    }
}
