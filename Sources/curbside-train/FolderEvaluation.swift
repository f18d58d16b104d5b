import CurbModel
import CurbPipeline
import CurbTrain

/// An int8 model scored on a labelled folder through ``FrameClassifier`` (the code `curbside classify`
/// runs), so its labels are exactly classify's.
struct FolderEvaluation {
    struct Skipped: Equatable {
        var path: String
        var reason: String
    }

    /// The model's labels (the confusion matrix's rows and columns).
    var labels: [String]
    /// `confusion[true][predicted]`.
    var confusion: [[Int]]
    /// Every scored file with its true and predicted label index, in the order scored.
    var results: [(path: String, truth: Int, predicted: Int)]
    var skipped: [Skipped]

    var images: Int { results.count }
    var correct: Int { (0..<labels.count).reduce(0) { $0 + confusion[$1][$1] } }
    var accuracy: Double { images == 0 ? 0 : Double(correct) / Double(images) }

    /// Precision and recall of class `index` (0 when undefined).
    func precisionRecall(_ index: Int) -> (precision: Double, recall: Double, support: Int) {
        let predicted = confusion.reduce(0) { $0 + $1[index] }
        let actual = confusion[index].reduce(0, +)
        let hits = confusion[index][index]
        return (predicted == 0 ? 0 : Double(hits) / Double(predicted), actual == 0 ? 0 : Double(hits) / Double(actual), actual)
    }

    /// Which images to score.
    enum Selection {
        case all
        /// The validation side of the trainer's split (same seed and fraction, over the decodable images).
        case validation(seed: UInt64, fraction: Double)
    }

    /// Classifies every image of `directory/<class>/`. Folder classes must be labels of the model;
    /// unreadable images are skipped and listed. Throws when nothing could be scored.
    init(model: Model, directory: String, selection: Selection = .all) throws(TrainingError) {
        let folder = try ImageFolder(directory: directory)
        let labels = model.metadata.labels
        let unknown = folder.classNames.filter { !labels.contains($0) }
        guard unknown.isEmpty else {
            throw TrainingError("\(directory): class folder\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")) "
                                + "\(unknown.count == 1 ? "is" : "are") not among the model's labels (\(labels.joined(separator: ", ")))")
        }
        let classifier: FrameClassifier
        do {
            classifier = try FrameClassifier(model: model)
        } catch {
            throw TrainingError("cannot classify with the model: \(error)")
        }
        var scored: [(path: String, truth: Int, predicted: Int, folderLabel: Int)] = []
        var skipped: [Skipped] = []
        for entry in folder.entries {
            do {
                let result = try classifier.classify(path: entry.path)
                let truth = labels.firstIndex(of: folder.classNames[entry.label])!
                scored.append((entry.path, truth, labels.firstIndex(of: result.label) ?? -1, entry.label))
            } catch {
                skipped.append(Skipped(path: entry.path, reason: error.cause))
            }
        }
        if case .validation(let seed, let fraction) = selection {
            let split = StratifiedSplit(labels: scored.map(\.folderLabel), validationFraction: fraction, seed: seed)
            scored = split.validation.map { scored[$0] }
        }
        guard !scored.isEmpty else {
            throw TrainingError("\(directory): no image could be classified" + (skipped.first.map { " (first: \($0.path): \($0.reason))" } ?? ""))
        }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for item in scored where item.predicted >= 0 { confusion[item.truth][item.predicted] += 1 }
        self.labels = labels
        self.confusion = confusion
        self.results = scored.map { ($0.path, $0.truth, $0.predicted) }
        self.skipped = skipped
    }
}
