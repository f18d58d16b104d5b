/// Plans the activation arena offline: greedy by size over tensor lifetimes, as TFLite Micro's
/// `GreedyMemoryPlanner` does, with in-place reshape (see ``TensorLifetimes``).
///
/// Buffers are placed largest first (ties: earlier first use, then lower index, so plans are
/// deterministic); each goes into the lowest gap, among buffers alive at the same time, that fits it.
public enum ArenaPlanner {
    /// Plans every activation tensor of the graph.
    public static func plan(tensors: [Tensor], operators: [Operator], inputs: [Int32], outputs: [Int32]) -> ArenaPlan {
        let lifetimes = TensorLifetimes(tensors: tensors, operators: operators, inputs: inputs, outputs: outputs)
        let buffers = lifetimes.buffers
        let order = buffers.indices.sorted { a, b in
            let (x, y) = (buffers[a], buffers[b])
            if x.byteCount != y.byteCount { return x.byteCount > y.byteCount }
            if x.firstStep != y.firstStep { return x.firstStep < y.firstStep }
            return a < b
        }
        var bufferOffsets = [Int](repeating: -1, count: buffers.count)
        var placed: [(offset: Int, end: Int, buffer: Int)] = []  // kept sorted by offset
        var highWater = 0
        for bufferIndex in order {
            let buffer = buffers[bufferIndex]
            let size = alignUp(buffer.byteCount)
            var candidate = 0
            for entry in placed where buffers[entry.buffer].overlapsInTime(buffer) {
                if entry.offset >= candidate + size { break }
                candidate = max(candidate, alignUp(entry.end))
            }
            bufferOffsets[bufferIndex] = candidate
            let insertion = placed.firstIndex { $0.offset > candidate } ?? placed.count
            placed.insert((candidate, candidate + buffer.byteCount, bufferIndex), at: insertion)
            highWater = max(highWater, candidate + buffer.byteCount)
        }
        var offsets = [Int](repeating: -1, count: tensors.count)
        for (tensor, buffer) in lifetimes.bufferOfTensor.enumerated() where buffer >= 0 {
            offsets[tensor] = bufferOffsets[buffer]
        }
        return ArenaPlan(size: alignUp(highWater), offsets: offsets)
    }

    /// The smallest multiple of ``ArenaPlan/alignment`` not below `value`.
    public static func alignUp(_ value: Int) -> Int {
        (value + ArenaPlan.alignment - 1) / ArenaPlan.alignment * ArenaPlan.alignment
    }

    /// Checks a plan against the graph: every activation tensor placed, aligned and inside the arena,
    /// and no two buffers alive at the same time on overlapping bytes (reshape aliases share one buffer
    /// and must share one offset).
    public static func verify(_ plan: ArenaPlan, tensors: [Tensor], operators: [Operator], inputs: [Int32],
                              outputs: [Int32]) throws(ModelError) {
        guard plan.offsets.count == tensors.count else {
            throw ModelError(.planMissing, "has \(plan.offsets.count) offsets for \(tensors.count) tensors",
                             section: "plan", field: "offsets")
        }
        guard plan.size >= 0, plan.size % ArenaPlan.alignment == 0 else {
            throw ModelError(.badAlignment, "arena size \(plan.size) is not a multiple of \(ArenaPlan.alignment)",
                             section: "plan", field: "size")
        }
        let lifetimes = TensorLifetimes(tensors: tensors, operators: operators, inputs: inputs, outputs: outputs)
        var bufferOffsets = [Int](repeating: -1, count: lifetimes.buffers.count)
        for (tensorIndex, buffer) in lifetimes.bufferOfTensor.enumerated() {
            let offset = plan.offsets[tensorIndex]
            if buffer < 0 {
                guard offset == -1 || !tensors[tensorIndex].isConstant else {
                    throw ModelError(.invalidValue, "a constant tensor must have offset −1, has \(offset)",
                                     section: "plan", tensorIndex: tensorIndex, field: "offset")
                }
                if offset == -1 { continue }
            }
            guard offset >= 0 else {
                throw ModelError(.planMissing, "the tensor needs arena memory but has no offset",
                                 section: "plan", tensorIndex: tensorIndex, field: "offset")
            }
            guard offset % ArenaPlan.alignment == 0 else {
                throw ModelError(.badAlignment, "offset \(offset) is not a multiple of \(ArenaPlan.alignment)",
                                 section: "plan", tensorIndex: tensorIndex, field: "offset")
            }
            guard offset <= plan.size, tensors[tensorIndex].byteCount <= plan.size - offset else {
                throw ModelError(.outOfBounds, "bytes \(offset)..<\(offset + tensors[tensorIndex].byteCount) exceed the arena of \(plan.size)",
                                 section: "plan", tensorIndex: tensorIndex, field: "offset")
            }
            guard buffer >= 0 else { continue }
            if bufferOffsets[buffer] == -1 {
                bufferOffsets[buffer] = offset
            } else if bufferOffsets[buffer] != offset {
                throw ModelError(.planOverlap, "an in-place reshape's tensors must share one offset (\(bufferOffsets[buffer]) vs \(offset))",
                                 section: "plan", tensorIndex: tensorIndex, field: "offset")
            }
        }
        // Sweep over time: buffers enter in order of their first step and leave after their last. Those
        // alive are kept sorted by offset and are pairwise disjoint (else we have already thrown), so a
        // newcomer need only be compared with its two neighbours. Comparing every pair that shares bytes
        // was quadratic: a hostile file can put 65,535 buffers with disjoint lifetimes at one offset.
        let buffers = lifetimes.buffers
        let placed = buffers.indices.filter { bufferOffsets[$0] >= 0 && buffers[$0].byteCount > 0 }
        let byStart = placed.sorted { (buffers[$0].firstStep, $0) < (buffers[$1].firstStep, $1) }
        let byEnd = placed.sorted { (buffers[$0].lastStep, $0) < (buffers[$1].lastStep, $1) }
        var alive: [Int] = []  // buffer indices, ascending offsets
        var expired = 0
        /// The first position in `alive` whose offset is not below `offset`.
        func position(of offset: Int) -> Int {
            var low = 0, high = alive.count
            while low < high {
                let middle = (low + high) / 2
                if bufferOffsets[alive[middle]] < offset { low = middle + 1 } else { high = middle }
            }
            return low
        }
        for b in byStart {
            while expired < byEnd.count, buffers[byEnd[expired]].lastStep < buffers[b].firstStep {
                let gone = byEnd[expired]
                expired += 1
                let at = position(of: bufferOffsets[gone])
                if at < alive.count, alive[at] == gone { alive.remove(at: at) }
            }
            let offset = bufferOffsets[b]
            let at = position(of: offset)
            var clash: Int?
            if at > 0, bufferOffsets[alive[at - 1]] + buffers[alive[at - 1]].byteCount > offset {
                clash = alive[at - 1]
            } else if at < alive.count, bufferOffsets[alive[at]] < offset + buffers[b].byteCount {
                clash = alive[at]
            }
            if let a = clash {
                throw ModelError(.planOverlap,
                                 "tensors \(buffers[a].tensors[0]) and \(buffers[b].tensors[0]) are alive at the same time (steps \(max(buffers[a].firstStep, buffers[b].firstStep))–\(min(buffers[a].lastStep, buffers[b].lastStep))) and overlap in the arena",
                                 section: "plan", tensorIndex: buffers[b].tensors[0], field: "offset")
            }
            alive.insert(b, at: at)
        }
    }
}
