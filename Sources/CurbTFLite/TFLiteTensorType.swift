/// A TFLite tensor element type (`TensorType` enum, int8). Unknown non-negative values are kept so the
/// importer can name them.
public struct TFLiteTensorType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    public static let float32 = Self(rawValue: 0)
    public static let float16 = Self(rawValue: 1)
    public static let int32 = Self(rawValue: 2)
    public static let uint8 = Self(rawValue: 3)
    public static let int64 = Self(rawValue: 4)
    public static let string = Self(rawValue: 5)
    public static let bool = Self(rawValue: 6)
    public static let int16 = Self(rawValue: 7)
    public static let complex64 = Self(rawValue: 8)
    public static let int8 = Self(rawValue: 9)
    public static let float64 = Self(rawValue: 10)
    public static let complex128 = Self(rawValue: 11)
    public static let uint64 = Self(rawValue: 12)
    public static let resource = Self(rawValue: 13)
    public static let variant = Self(rawValue: 14)
    public static let uint32 = Self(rawValue: 15)
    public static let uint16 = Self(rawValue: 16)
    public static let int4 = Self(rawValue: 17)
    public static let bfloat16 = Self(rawValue: 18)

    private static let names = [
        "FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8",
        "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4", "BFLOAT16",
    ]

    /// Bytes per element for fixed-size types; nil for strings, resources, variants and packed INT4.
    public var elementSize: Int? {
        switch rawValue {
        case 0, 2, 15: 4
        case 1, 7, 16, 18: 2
        case 3, 6, 9: 1
        case 4, 8, 10, 12: 8
        case 11: 16
        default: nil
        }
    }

    public var description: String {
        rawValue >= 0 && Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "TYPE_\(rawValue)"
    }
}
