/// Every choice that shapes a training run (stored in checkpoints, so a resumed run continues with the
/// same settings).
public struct TrainingConfiguration: Sendable, Equatable, Codable {
    public enum OptimizerKind: String, Sendable, Codable { case sgd, adam }
    public enum ScheduleKind: String, Sendable, Codable { case cosine, step, constant }

    public var epochs: Int = 30
    public var batchSize: Int = 32
    public var learningRate: Float = 0.002
    public var optimizer: OptimizerKind = .adam
    /// Decoupled (AdamW) for Adam, L2 for SGD.
    public var weightDecay: Float = 1e-4
    public var momentum: Float = 0.9
    public var schedule: ScheduleKind = .cosine
    public var warmupEpochs: Int = 2
    /// Step schedule: multiply by 0.1 every this many epochs.
    public var stepEpochs: Int = 10
    public var labelSmoothing: Float = 0.1
    public var augmentation = AugmentationSettings()
    public var seed: UInt64 = 1
    public var validationFraction: Double = 0.15
    /// Stop after this many epochs without a better validation accuracy (0: never).
    public var patience: Int = 0

    public init() {}

    /// The augmentation switches as stored (``Augmentation`` itself is not Codable).
    public struct AugmentationSettings: Sendable, Equatable, Codable {
        public var shift: Float = 0.1
        public var flip: Bool = true
        public var rotation: Float = 10
        public var brightness: Float = 0.1
        public var contrast: Float = 0.1

        public init() {}

        public var augmentation: Augmentation {
            Augmentation(maximumShift: shift, horizontalFlip: flip, maximumRotationDegrees: rotation,
                         maximumBrightness: brightness, maximumContrast: contrast)
        }
    }
}

/// What one epoch measured.
public struct EpochRecord: Sendable, Equatable, Codable {
    public var epoch: Int
    public var trainingLoss: Double
    public var trainingAccuracy: Double
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var learningRate: Float
    public var seconds: Double

    public init(epoch: Int, trainingLoss: Double, trainingAccuracy: Double, validationLoss: Double, validationAccuracy: Double,
                learningRate: Float, seconds: Double) {
        self.epoch = epoch
        self.trainingLoss = trainingLoss
        self.trainingAccuracy = trainingAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
    }
}
