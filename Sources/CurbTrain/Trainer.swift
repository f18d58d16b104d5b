import Foundation

/// Runs float training epoch by epoch: shuffled, augmented batches, the optimizer under a learning-rate
/// schedule, a validation pass after each epoch, early stopping, and checkpoints that resume exactly.
///
/// Exact resumption: every random stream of an epoch (shuffle, augmentation, dropout masks) is seeded from
/// the run's seed and the epoch number, so a run resumed after epoch k draws what the uninterrupted run
/// drew; the checkpoint carries the weights, batch-norm statistics and optimizer state.
public final class Trainer {
    /// The checkpoint's JSON header.
    public struct Header: Sendable, Codable, Equatable {
        public var spec: NetworkSpec
        public var configuration: TrainingConfiguration
        public var classNames: [String]
        public var inputWidth: Int
        public var inputHeight: Int
        public var epochsCompleted: Int
        public var optimizerSteps: Int
        public var history: [EpochRecord]
        public var bestEpoch: Int
        public var bestValidationAccuracy: Double
        public var bestValidationLoss: Double
        public var stopped: Bool
        /// The command line that started the run (kept across resumes, recorded in the model).
        public var command: String?
    }

    public let spec: NetworkSpec
    public let configuration: TrainingConfiguration
    public let images: ImageSet
    public let split: StratifiedSplit
    public let network: Sequential
    public let macs: Int
    public let optimizer: Optimizer
    public let loss: SoftmaxCrossEntropy

    public private(set) var epochsCompleted = 0
    public private(set) var history: [EpochRecord] = []
    public private(set) var bestEpoch = 0
    public private(set) var bestValidationAccuracy = -1.0
    public private(set) var bestValidationLoss = Double.greatestFiniteMagnitude
    public private(set) var stopped = false
    /// The command line that started the run (set by the tool; a resumed run keeps the original).
    public var command: String?
    private var bestState: [(name: String, values: [Float])] = []

    public init(spec: NetworkSpec, configuration: TrainingConfiguration, images: ImageSet) throws(TrainingError) {
        let built = try spec.build(height: images.height, width: images.width, classes: images.classNames.count, seed: configuration.seed)
        self.spec = spec
        self.configuration = configuration
        self.images = images
        network = built.network
        macs = built.macs
        split = StratifiedSplit(labels: images.labels, validationFraction: configuration.validationFraction, seed: configuration.seed)
        guard !split.training.isEmpty else { throw TrainingError("no training images left after the validation split") }
        switch configuration.optimizer {
        case .adam: optimizer = Adam.adamW(weightDecay: configuration.weightDecay)
        case .sgd: optimizer = SGD(momentum: configuration.momentum, weightDecay: configuration.weightDecay, nesterov: true)
        }
        loss = SoftmaxCrossEntropy(labelSmoothing: configuration.labelSmoothing)
    }

    public var batchesPerEpoch: Int { (split.training.count + configuration.batchSize - 1) / configuration.batchSize }

    public var schedule: LearningRateSchedule {
        let steps = batchesPerEpoch
        switch configuration.schedule {
        case .constant: return .constant(configuration.learningRate)
        case .step: return .step(initial: configuration.learningRate, factor: 0.1, interval: max(1, configuration.stepEpochs) * steps)
        case .cosine:
            return .cosine(peak: configuration.learningRate, warmupSteps: configuration.warmupEpochs * steps,
                           totalSteps: configuration.epochs * steps, minimum: configuration.learningRate * 0.01)
        }
    }

    public var isFinished: Bool { stopped || epochsCompleted >= configuration.epochs }

    /// A seed for one stream of one epoch, independent of every other (SplitMix of seed, epoch, stream).
    static func streamSeed(_ seed: UInt64, epoch: Int, stream: Int) -> UInt64 {
        var generator = RandomSource(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(epoch) &* 0xD1B5_4A32_D192_ED03 ^ UInt64(stream) &* 0x8CB9_2BA7_2F3D_8DD7)
        return generator.next()
    }

    /// Trains one epoch and validates. `progress` is called after each batch with (batch, batches, mean
    /// loss so far, accuracy so far).
    @discardableResult
    public func trainEpoch(progress: (Int, Int, Double, Double) -> Void = { _, _, _, _ in }) -> EpochRecord {
        precondition(!isFinished, "training is finished")
        let epoch = epochsCompleted
        let clock = ContinuousClock()
        let start = clock.now
        let loader = BatchLoader(images: images, indices: split.training, batchSize: configuration.batchSize,
                                 augmentation: configuration.augmentation.augmentation,
                                 seed: Self.streamSeed(configuration.seed, epoch: epoch, stream: 0))
        for (index, layer) in network.layers.enumerated() {
            if let dropout = layer as? Dropout { dropout.reseed(Self.streamSeed(configuration.seed, epoch: epoch, stream: 1 + index)) }
        }
        loader.startEpoch()
        let schedule = schedule
        let parameters = network.parameters
        var totalLoss = 0.0, correct = 0, seen = 0
        var rate: Float = 0
        for number in 0..<loader.batchCount {
            let batch = loader.batch(number)
            network.zeroGradients()
            let logits = network.forward(batch.images, training: true)
            let result = loss.evaluate(logits: logits, labels: batch.labels)
            network.backward(result.gradient)
            rate = schedule.rate(atStep: optimizer.stepCount)
            optimizer.step(parameters, learningRate: rate)
            totalLoss += Double(result.loss) * Double(batch.labels.count)
            correct += result.correct
            seen += batch.labels.count
            progress(number + 1, loader.batchCount, totalLoss / Double(seen), Double(correct) / Double(seen))
        }
        let validation = evaluate(indices: split.validation)
        let duration = clock.now - start
        let record = EpochRecord(epoch: epoch + 1, trainingLoss: totalLoss / Double(max(1, seen)),
                                 trainingAccuracy: Double(correct) / Double(max(1, seen)),
                                 validationLoss: validation.loss, validationAccuracy: validation.accuracy, learningRate: rate,
                                 seconds: Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
        history.append(record)
        epochsCompleted += 1
        let better = validation.accuracy > bestValidationAccuracy
            || (validation.accuracy == bestValidationAccuracy && validation.loss < bestValidationLoss)
        if better || split.validation.isEmpty {
            bestEpoch = epoch + 1
            bestValidationAccuracy = validation.accuracy
            bestValidationLoss = validation.loss
            bestState = networkState()
        } else if configuration.patience > 0 && epoch + 1 - bestEpoch >= configuration.patience {
            stopped = true
        }
        return record
    }

    /// Loss and accuracy of the network in inference mode over `indices`, and each prediction.
    public func evaluate(indices: [Int]) -> (loss: Double, accuracy: Double, predictions: [Int]) {
        guard !indices.isEmpty else { return (0, 0, []) }
        let loader = BatchLoader(images: images, indices: indices, batchSize: 64, shuffles: false, seed: 0)
        loader.startEpoch()
        var totalLoss = 0.0, correct = 0
        var predictions: [Int] = []
        for number in 0..<loader.batchCount {
            let batch = loader.batch(number)
            let logits = network.forward(batch.images, training: false)
            let result = loss.evaluate(logits: logits, labels: batch.labels)
            totalLoss += Double(result.loss) * Double(batch.labels.count)
            correct += result.correct
            predictions += Self.argmax(logits)
        }
        return (totalLoss / Double(indices.count), Double(correct) / Double(indices.count), predictions)
    }

    /// The index of the largest value of each row of `[N, K]`.
    public static func argmax(_ logits: FloatTensor) -> [Int] {
        let classes = logits.shape[1]
        return (0..<logits.batch).map { row in
            var best = 0
            for k in 1..<classes where logits.values[row * classes + k] > logits.values[row * classes + best] { best = k }
            return best
        }
    }

    // MARK: - State

    /// Every parameter and batch-norm statistic, named by layer position.
    public func networkState() -> [(name: String, values: [Float])] {
        var state: [(name: String, values: [Float])] = []
        for (index, layer) in network.layers.enumerated() {
            for parameter in layer.parameters { state.append(("param/\(index)/\(parameter.name)", parameter.value.values)) }
            if let norm = layer as? BatchNorm {
                state.append(("stat/\(index)/mean", norm.runningMean))
                state.append(("stat/\(index)/variance", norm.runningVariance))
            }
        }
        return state
    }

    /// Loads what ``networkState()`` produced (optionally under a prefix such as `best/`).
    public func loadNetworkState(from lookup: (String) -> [Float]?, prefix: String = "") throws(TrainingError) {
        for (index, layer) in network.layers.enumerated() {
            for parameter in layer.parameters {
                let name = prefix + "param/\(index)/\(parameter.name)"
                guard let values = lookup(name), values.count == parameter.value.count else {
                    throw TrainingError("checkpoint: \(name) is missing or has the wrong size for this network")
                }
                parameter.value.values = values
            }
            if let norm = layer as? BatchNorm {
                guard let mean = lookup(prefix + "stat/\(index)/mean"), let variance = lookup(prefix + "stat/\(index)/variance"),
                      mean.count == norm.channels, variance.count == norm.channels else {
                    throw TrainingError("checkpoint: batch-norm statistics of layer \(index) are missing or the wrong size")
                }
                norm.setRunningStatistics(mean: mean, variance: variance)
            }
        }
    }

    /// Puts the weights of the best validation epoch back (before export).
    public func restoreBest() {
        guard !bestState.isEmpty else { return }
        let state = bestState
        try! loadNetworkState(from: { name in state.first { $0.name == name }?.values })
    }

    public var header: Header {
        Header(spec: spec, configuration: configuration, classNames: images.classNames, inputWidth: images.width,
               inputHeight: images.height, epochsCompleted: epochsCompleted, optimizerSteps: optimizer.stepCount, history: history,
               bestEpoch: bestEpoch, bestValidationAccuracy: bestValidationAccuracy, bestValidationLoss: bestValidationLoss,
               stopped: stopped, command: command)
    }

    /// The full state after the last completed epoch.
    public func checkpoint() -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerData = (try? encoder.encode(header)) ?? Data()
        var tensors = networkState()
        for (index, buffer) in optimizer.stateBuffers(for: network.parameters).enumerated() {
            tensors.append(("optimizer/\(index)", buffer))
        }
        tensors += bestState.map { ("best/" + $0.name, $0.values) }
        return Checkpoint(header: headerData, tensors: tensors)
    }

    /// Reads a checkpoint's header (to rebuild the trainer with its spec and configuration).
    public static func header(of checkpoint: Checkpoint) throws(TrainingError) -> Header {
        do {
            return try JSONDecoder().decode(Header.self, from: checkpoint.header)
        } catch {
            throw TrainingError("checkpoint: unreadable header (\(error))")
        }
    }

    /// Continues from `checkpoint`, which must come from a run with this spec, configuration and data.
    public func resume(from checkpoint: Checkpoint) throws(TrainingError) {
        let header = try Self.header(of: checkpoint)
        guard header.spec == spec else { throw TrainingError("checkpoint: it was made for another architecture") }
        guard header.classNames == images.classNames else {
            throw TrainingError("checkpoint: its classes (\(header.classNames.joined(separator: ", "))) differ from the data's")
        }
        guard header.inputWidth == images.width, header.inputHeight == images.height else {
            throw TrainingError("checkpoint: it was made for \(header.inputWidth)x\(header.inputHeight) inputs, not \(images.width)x\(images.height)")
        }
        try loadNetworkState(from: checkpoint.tensor)
        let parameters = network.parameters
        var buffers: [[Float]] = []
        var index = 0
        while let buffer = checkpoint.tensor("optimizer/\(index)") {
            buffers.append(buffer)
            index += 1
        }
        if header.optimizerSteps > 0 {
            guard buffers.count == optimizer.stateBuffers(for: parameters).count else {
                throw TrainingError("checkpoint: optimizer state does not match the \(configuration.optimizer.rawValue) optimizer")
            }
            optimizer.restoreState(buffers, stepCount: header.optimizerSteps, for: parameters)
        }
        epochsCompleted = header.epochsCompleted
        history = header.history
        bestEpoch = header.bestEpoch
        bestValidationAccuracy = header.bestValidationAccuracy
        bestValidationLoss = header.bestValidationLoss
        stopped = header.stopped
        command = header.command ?? command
        bestState = checkpoint.tensors.filter { $0.name.hasPrefix("best/") }.map { (String($0.name.dropFirst(5)), $0.values) }
    }
}
