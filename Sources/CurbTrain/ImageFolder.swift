import Foundation

/// A labelled image folder: `DIR/<class>/<image>`, one subfolder per class. Classes are the subfolder
/// names in byte order (their index is the label); files are listed in byte order within each class.
/// Hidden entries (starting with ".") are ignored; every other regular file is a candidate image, so a
/// stray non-image file shows up later as skipped rather than silently vanishing.
public struct ImageFolder: Sendable {
    /// One candidate image.
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var label: Int
    }

    public let directory: String
    public let classNames: [String]
    public let entries: [Entry]

    /// Lists `directory`. Errors: not a readable directory, no class folders, a single class, or a class
    /// folder with no files (named).
    public init(directory: String) throws(TrainingError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? manager.contentsOfDirectory(atPath: directory) else {
            throw TrainingError("\(directory): not a readable directory")
        }
        let classNames = names.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".") && manager.fileExists(atPath: directory + "/" + name, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !classNames.isEmpty else {
            throw TrainingError("\(directory): no class folders (expected DIR/<class>/<image> files)")
        }
        guard classNames.count >= 2 else {
            throw TrainingError("\(directory): only one class folder ('\(classNames[0])'); a classifier needs at least two")
        }
        var entries: [Entry] = []
        var emptyClasses: [String] = []
        for (label, className) in classNames.enumerated() {
            let folder = directory + "/" + className
            let files = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { name in
                var isFolder: ObjCBool = false
                return !name.hasPrefix(".") && manager.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
            }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if files.isEmpty { emptyClasses.append(className) }
            entries += files.map { Entry(path: folder + "/" + $0, label: label) }
        }
        guard emptyClasses.isEmpty else {
            throw TrainingError("\(directory): class folder\(emptyClasses.count == 1 ? "" : "s") \(emptyClasses.map { "'\($0)'" }.joined(separator: ", ")) \(emptyClasses.count == 1 ? "has" : "have") no images")
        }
        self.directory = directory
        self.classNames = classNames
        self.entries = entries
    }
}
