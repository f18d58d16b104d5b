/// The constants of the `.curb` file format: magic, versions, section ids and limits.
///
/// The byte layout is specified in `docs/model-format.md`; ``ModelWriter`` and ``ModelReader`` are its
/// only two implementations and share everything here so they cannot disagree.
public enum ModelFileFormat {
    /// `CURB` in ASCII, the file's first four bytes.
    public static let magic: [UInt8] = [0x43, 0x55, 0x52, 0x42]
    /// Bumped for changes an older reader cannot understand; a reader refuses any other major version.
    public static let majorVersion: UInt16 = 1
    /// Bumped for compatible additions (new optional sections); a reader accepts any minor version.
    public static let minorVersion: UInt16 = 0

    /// The header's size; the section table starts here.
    public static let headerSize = 64
    /// Bytes of one section table entry: id, flags, offset, length.
    public static let sectionEntrySize = 24
    /// Every section starts at a multiple of this (so constants can be used in place by SIMD kernels).
    public static let sectionAlignment = 64
    /// Every constant tensor starts at a multiple of this inside the constants section.
    public static let constantAlignment = 64

    /// Header field offsets.
    static let versionMajorOffset = 4
    static let versionMinorOffset = 6
    /// Where the CRC-32 sits; it is computed over the whole file with these four bytes taken as zero.
    public static let checksumOffset = 8
    static let sectionCountOffset = 12
    static let fileSizeOffset = 16

    /// Section-table flag: a reader that does not know this section id must refuse the file.
    public static let requiredFlag: UInt32 = 1

    /// The sections of format 1.x. Ids are never reused.
    public enum SectionID: UInt32, Sendable, CaseIterable, CustomStringConvertible {
        case graph = 1
        case tensors = 2
        case constants = 3
        case plan = 4
        case metadata = 5
        case io = 6

        /// The section name used in errors and docs.
        public var name: String {
            switch self {
            case .graph: "graph"
            case .tensors: "tensors"
            case .constants: "constants"
            case .plan: "plan"
            case .metadata: "metadata"
            case .io: "io"
            }
        }

        public var description: String { name }
    }

    /// Tensor storage codes in the tensors section.
    enum StorageCode: UInt8 {
        case activation = 0
        case constant = 1
    }

    /// Tensor flags in the tensors section.
    static let quantizedFlag: UInt8 = 1

    // MARK: Limits (checked by the reader before allocating, and by the writer so it never writes a file
    // the reader refuses).

    /// The largest file the reader accepts; checked before anything is allocated.
    public static let maximumFileBytes = 256 << 20
    /// Entries of the section table.
    public static let maximumSections = 64
    /// Bytes of any string (names, labels, provenance).
    public static let maximumStringBytes = 65_536
    /// Graph inputs and outputs, each.
    public static let maximumGraphInputs = 256
    /// Entries of the graph section's operator-kind table.
    public static let maximumOperatorKinds = 1_024
    /// Bytes of one operator's options record.
    public static let maximumOptionsBytes = 1 << 20
    /// Scales of one tensor's quantization.
    public static let maximumScales = 1 << 16
    /// Class labels.
    public static let maximumLabels = 1 << 16
    /// Provenance key/value entries.
    public static let maximumProvenanceEntries = 4_096
    /// Channels of the preprocessing recipe's mean and standard deviation.
    public static let maximumPreprocessingChannels = 4
    /// The arena size and every planned offset.
    public static let maximumArenaBytes = 1 << 32
}
