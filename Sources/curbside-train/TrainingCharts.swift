import CurbTrain
import Foundation

/// The two pictures written next to a trained model: the training curve and the confusion matrix.
enum TrainingCharts {
    static let trainColor: (UInt8, UInt8, UInt8) = (31, 119, 180)
    static let validationColor: (UInt8, UInt8, UInt8) = (255, 127, 14)

    /// Two panels, loss (left) and accuracy (right) per epoch; blue is training, orange validation.
    static func writeCurve(history: [EpochRecord], to path: String) throws(TrainingError) {
        var canvas = Canvas(width: 760, height: 340)
        let panels: [(title: String, train: [Double], validation: [Double], percent: Bool)] = [
            ("LOSS", history.map(\.trainingLoss), history.map(\.validationLoss), false),
            ("ACCURACY", history.map { $0.trainingAccuracy * 100 }, history.map { $0.validationAccuracy * 100 }, true),
        ]
        for (panelIndex, panel) in panels.enumerated() {
            let left = 60 + panelIndex * 370, top = 40, plotWidth = 300, plotHeight = 240
            canvas.text(panel.title, x: left, y: 12)
            canvas.frame(x: left, y: top, width: plotWidth, height: plotHeight, color: (0, 0, 0))
            let all = (panel.train + panel.validation).filter(\.isFinite)
            guard var low = all.min(), var high = all.max() else { continue }
            if panel.percent { high = min(100, high + 2); low = max(0, low - 2) }
            if high - low < 1e-9 { high = low + 1 }
            canvas.text(String(format: panel.percent ? "%.0f" : "%.2f", high), x: left - 52, y: top)
            canvas.text(String(format: panel.percent ? "%.0f" : "%.2f", low), x: left - 52, y: top + plotHeight - 10)
            canvas.text("EPOCH \(history.count)", x: left + plotWidth - Canvas.textWidth("EPOCH \(history.count)"), y: top + plotHeight + 8)
            canvas.text("1", x: left, y: top + plotHeight + 8)
            func point(_ index: Int, _ value: Double) -> (Int, Int) {
                let x = left + 1 + (history.count > 1 ? index * (plotWidth - 3) / (history.count - 1) : 0)
                let y = top + plotHeight - 2 - Int((value - low) / (high - low) * Double(plotHeight - 3))
                return (x, y)
            }
            for (series, color) in [(panel.train, trainColor), (panel.validation, validationColor)] {
                for index in series.indices.dropFirst() where series[index].isFinite && series[index - 1].isFinite {
                    canvas.line(from: point(index - 1, series[index - 1]), to: point(index, series[index]), color: color)
                }
            }
        }
        canvas.text("TRAIN", x: 330, y: 316, color: trainColor)
        canvas.text("VALIDATION", x: 390, y: 316, color: validationColor)
        try canvas.writePNG(to: path)
    }

    /// Rows are true classes, columns predictions; cells are shaded by the row's share and show the count.
    static func writeConfusion(_ confusion: [[Int]], labels: [String], to path: String) throws(TrainingError) {
        let count = labels.count
        let cell = 52
        let names = labels.map { String($0.prefix(10)) }
        let margin = (names.map { Canvas.textWidth($0) }.max() ?? 0) + 24
        let top = (names.map(\.count).max() ?? 0) * 12 + 36
        var canvas = Canvas(width: margin + count * cell + 20, height: top + count * cell + 20)
        canvas.text("TRUE (ROWS) / PREDICTED (COLUMNS)", x: 10, y: 8)
        for (index, name) in names.enumerated() {
            canvas.text(name, x: margin - 8 - Canvas.textWidth(name), y: top + index * cell + cell / 2 - 5)
            // Column labels go vertically, one character per line, so long names fit.
            for (position, character) in name.enumerated() {
                canvas.text(String(character), x: margin + index * cell + cell / 2 - 3, y: top - 6 - (name.count - position) * 12)
            }
        }
        for row in 0..<count {
            let total = max(1, confusion[row].reduce(0, +))
            for column in 0..<count {
                let share = Double(confusion[row][column]) / Double(total)
                let shade = UInt8(255 - Int(share * 200))
                let color: (UInt8, UInt8, UInt8) = row == column ? (shade, UInt8(min(255, Int(shade) + 40)), shade) : (255, shade, shade)
                canvas.fill(x: margin + column * cell, y: top + row * cell, width: cell, height: cell, color: color)
                canvas.frame(x: margin + column * cell, y: top + row * cell, width: cell + 1, height: cell + 1, color: (120, 120, 120))
                let text = "\(confusion[row][column])"
                canvas.text(text, x: margin + column * cell + (cell - Canvas.textWidth(text)) / 2, y: top + row * cell + cell / 2 - 5)
            }
        }
        try canvas.writePNG(to: path)
    }
}
