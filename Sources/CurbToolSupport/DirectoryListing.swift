#if canImport(Glibc)
import Glibc
#endif

/// Lists the files under a directory through libc, sorted by name so runs are repeatable.
public enum DirectoryListing {
    /// Whether `path` is a directory (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The entries of `directory` other than `.` and `..`, joined to it (`dir/name`), sorted; with
    /// `recursive`, the files of sub-directories are listed in place of the sub-directories (depth-first,
    /// sorted at each level). Without it, sub-directories are left out.
    public static func files(in directory: String, recursive: Bool) throws(CommandFailure) -> [String] {
        guard let stream = opendir(directory) else {
            throw CommandFailure(file: directory, String(cString: strerror(errno)))
        }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(stream)
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var result: [String] = []
        for name in names.sorted() {
            let path = base + "/" + name
            if isDirectory(path) {
                if recursive { result += try files(in: path, recursive: true) }
            } else {
                result.append(path)
            }
        }
        return result
    }
}
