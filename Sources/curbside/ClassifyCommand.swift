import ArgumentParser
import CurbImage
import CurbModel
import CurbPipeline
import CurbRuntime
import CurbToolSupport

#if canImport(Glibc)
import Glibc
import CurbJSON
#endif

/// `curbside classify --model MODEL [--top K] [--threshold T] [--json] [--recursive] PATH...`
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify images (JPEG or PNG, told apart by their bytes) with a model.",
        discussion: """
            Each PATH is an image or a directory of images (taken in name order; with --recursive, its \
            sub-directories too). Text output is one line per image: file, label, score. With --json, one JSON \
            object per line: file, label, score, top (a list of {label, score}), decode_ms, infer_ms; an image \
            that fails gives {"file", "error"} and the run goes on. Exit codes: 0 all classified, 1 some images \
            failed, 2 usage error or invalid model.
            """)

    @Option(help: "The .curb model file.")
    var model: String

    @Option(help: "How many classes to report per image.")
    var top: Int = 1

    @Option(help: "Below this score (0–1) the label is 'unknown'.")
    var threshold: Double = 0

    @Flag(help: "Print one JSON object per image (NDJSON).")
    var json = false

    @Flag(help: "Also classify the images in sub-directories.")
    var recursive = false

    @Option(help: "Refuse images with more pixels than this.")
    var maxPixels: Int = DecodeLimits.standard.maximumPixels

    @Option(help: "Refuse image files larger than this many bytes.")
    var maxFileBytes: Int = DecodeLimits.standard.maximumFileBytes

    @Option(help: "Threads for the fast kernels (default: the number of online processors).")
    var threads: Int?

    @Argument(help: "Images or directories of images.")
    var paths: [String]

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        guard maxPixels >= 1, maxFileBytes >= 1 else { throw ValidationError("limits must be positive") }
        guard !paths.isEmpty else { throw ValidationError("give at least one image or directory") }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be in 1...256") }
    }

    func run() throws {
        let (model, _) = try ModelLoading.read(self.model)
        let classifier: FrameClassifier
        do {
            classifier = try FrameClassifier(model: model, limits: DecodeLimits(maximumPixels: maxPixels, maximumFileBytes: maxFileBytes),
                                         threads: threads ?? Interpreter.defaultThreads)
        } catch {
            throw CommandFailure(file: self.model, error.description)
        }
        var files: [String] = []
        var failures = 0
        for path in paths {
            if DirectoryListing.isDirectory(path) {
                do {
                    files += try DirectoryListing.files(in: path, recursive: recursive)
                } catch {
                    report(error: error.description, file: path)
                    failures += 1
                }
            } else {
                files.append(path)
            }
        }
        let progress = Progress(total: files.count)
        for (index, file) in files.enumerated() {
            progress.update(done: index)
            do {
                let result = try classifier.classify(path: file, top: top, threshold: threshold)
                report(result, file: file)
            } catch {
                report(error: error.cause, file: file)
                failures += 1
            }
        }
        progress.finish()
        if failures > 0 { throw CommandFailure("\(failures) of \(files.count) images failed", exitCode: 1) }
    }

    private func report(_ result: Classification, file: String) {
        if json {
            print(JSON.object([
                ("file", .string(file)),
                ("label", .string(result.label)),
                ("score", .double(Self.rounded(result.score))),
                ("top", .array(result.top.map { .object([("label", .string($0.label)), ("score", .double(Self.rounded($0.score)))]) })),
                ("decode_ms", .double(Self.rounded(result.decodeMilliseconds))),
                ("infer_ms", .double(Self.rounded(result.inferenceMilliseconds))),
            ]).serialized())
        } else {
            var line = "\(file)  \(result.label)  \(Self.formatted(result.score))"
            if top > 1 {
                line += "  (" + result.top.map { "\($0.label) \(Self.formatted($0.score))" }.joined(separator: ", ") + ")"
            }
            print(line)
        }
        fflush(nil)
    }

    private func report(error: String, file: String) {
        if json {
            print(JSON.object([("file", .string(file)), ("error", .string(error))]).serialized())
            fflush(nil)
        } else {
            printError("\(file): \(error)")
        }
    }

    /// Four decimals: enough for scores and milliseconds, short enough to read.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    static func formatted(_ value: Double) -> String {
        let scaled = Int((value * 1000).rounded())
        let fraction = String(scaled % 1000)
        return "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// A one-line counter on stderr for long batches, shown only when stderr is a terminal.
struct Progress {
    let total: Int
    let enabled: Bool

    init(total: Int) {
        self.total = total
        enabled = isatty(2) == 1 && total >= 20
    }

    func update(done: Int) {
        guard enabled, done % 10 == 0 else { return }
        printError("\u{1B}[2K\r\(done)/\(total) images", newline: false)
    }

    func finish() {
        guard enabled else { return }
        printError("\u{1B}[2K\r", newline: false)
    }
}
