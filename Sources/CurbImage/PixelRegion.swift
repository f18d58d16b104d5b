/// A rectangle of pixels: columns `x ..< x + width`, rows `y ..< y + height`.
public struct PixelRegion: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Whether the region is non-empty and lies inside a `width` x `height` image.
    public func fits(width imageWidth: Int, height imageHeight: Int) -> Bool {
        width > 0 && height > 0 && x >= 0 && y >= 0 && x <= imageWidth - width && y <= imageHeight - height
    }

    /// This region (given in an `originalWidth` x `originalHeight` image) in the same image decoded at
    /// `width` x `height`: the start is rounded down and the end up, so the scaled region covers it.
    func scaled(fromWidth originalWidth: Int, height originalHeight: Int, toWidth newWidth: Int, height newHeight: Int) -> PixelRegion {
        if originalWidth == newWidth && originalHeight == newHeight { return self }
        let left = x * newWidth / originalWidth
        let top = y * newHeight / originalHeight
        let right = min(newWidth, ((x + width) * newWidth + originalWidth - 1) / originalWidth)
        let bottom = min(newHeight, ((y + height) * newHeight + originalHeight - 1) / originalHeight)
        return PixelRegion(x: left, y: top, width: max(1, right - left), height: max(1, bottom - top))
    }
}
