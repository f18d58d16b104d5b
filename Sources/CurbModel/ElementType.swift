/// The element types a `.curb` tensor can hold.
public enum ElementType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case int8 = 1
    case int32 = 2
    case float32 = 3

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .int8: 1
        case .int32, .float32: 4
        }
    }

    public var description: String {
        switch self {
        case .int8: "int8"
        case .int32: "int32"
        case .float32: "float32"
        }
    }
}
