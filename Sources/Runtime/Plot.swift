import Foundation

/// Writes simple SVG charts (histogram, line, scatter) with axes and tick labels, and
/// draws terminal histograms. Enough to look at a posterior or a loss curve.
enum Plot {
  static let width = 640.0, height = 400.0
  static let left = 60.0, right = 20.0, top = 20.0, bottom = 40.0

  struct Frame {
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>

    func x(_ v: Double) -> Double {
      Plot.left + (v - xRange.lowerBound) / span(xRange) * (Plot.width - Plot.left - Plot.right)
    }
    func y(_ v: Double) -> Double {
      Plot.height - Plot.bottom - (v - yRange.lowerBound) / span(yRange) * (Plot.height - Plot.top - Plot.bottom)
    }
    func span(_ r: ClosedRange<Double>) -> Double { r.upperBound > r.lowerBound ? r.upperBound - r.lowerBound : 1 }
  }

  /// A range covering the values, widened to multiples of a round tick step.
  static func range(_ values: [Double]) -> ClosedRange<Double> {
    let finite = values.filter(\.isFinite)
    var lo = finite.min() ?? 0, hi = finite.max() ?? 1
    if lo == hi {
      let pad = Swift.max(abs(lo) * 0.05, 0.5)
      lo -= pad
      hi += pad
    }
    // Extreme values (a width beyond the Double range) keep their exact bounds.
    let step = tickStep(lo...hi)
    let (a, b) = (floor(lo / step) * step, ceil(hi / step) * step)
    return a.isFinite && b.isFinite && a <= b ? a...b : lo...hi
  }

  /// 1, 2 or 5 times a power of ten, giving about four intervals.
  static func tickStep(_ r: ClosedRange<Double>) -> Double {
    let raw = r.upperBound / 4 - r.lowerBound / 4
    let magnitude = pow(10, floor(log10(raw)))
    let m = raw / magnitude
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * magnitude
  }

  static func ticks(_ r: ClosedRange<Double>) -> [Double] {
    let step = tickStep(r)
    guard step.isFinite, step > 0 else { return [r.lowerBound, r.upperBound] }
    let first = ceil(r.lowerBound / step - 1e-9)
    return (0...20).map { (first + Double($0)) * step }.filter { $0 <= r.upperBound + step * 1e-9 }
  }

  static func number(_ v: Double) -> String {
    if abs(v) < 1e-12 { return "0" }
    return abs(v) >= 1e4 || (abs(v) < 1e-3 && v != 0) ? String(format: "%.2e", v) : String(format: "%.3g", v)
  }

  static func svg(_ frame: Frame, _ body: String) -> String {
    var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    let x0 = frame.x(frame.xRange.lowerBound), x1 = frame.x(frame.xRange.upperBound)
    let y0 = frame.y(frame.yRange.lowerBound), y1 = frame.y(frame.yRange.upperBound)
    s += "<path d=\"M\(x0),\(y1) L\(x0),\(y0) L\(x1),\(y0)\" stroke=\"black\" fill=\"none\"/>\n"
    for xv in ticks(frame.xRange) {
      s += "<text x=\"\(frame.x(xv))\" y=\"\(y0 + 16)\" text-anchor=\"middle\">\(number(xv))</text>\n"
    }
    for yv in ticks(frame.yRange) {
      s += "<text x=\"\(x0 - 6)\" y=\"\(frame.y(yv) + 4)\" text-anchor=\"end\">\(number(yv))</text>\n"
    }
    return s + body + "</svg>\n"
  }

  /// Equal-width bins (Sturges' rule, at least 10): edges and counts.
  static func bins(_ values: [Double]) -> (edges: [Double], counts: [Int]) {
    let finite = values.filter(\.isFinite)
    let r = range(finite)
    let n = max(10, Int((log2(Double(max(finite.count, 1))) + 1).rounded(.up)))
    // Divided before subtracting, so ranges wider than the largest Double still work.
    let w = r.upperBound / Double(n) - r.lowerBound / Double(n)
    var counts = [Int](repeating: 0, count: n)
    for v in finite {
      let position = v / w - r.lowerBound / w
      counts[position.isFinite ? min(n - 1, max(0, Int(position))) : (position > 0 ? n - 1 : 0)] += 1
    }
    return ((0...n).map { k in r.lowerBound * (1 - Double(k) / Double(n)) + r.upperBound * (Double(k) / Double(n)) }, counts)
  }

  static func histogram(_ values: [Double]) -> String {
    let (edges, counts) = bins(values)
    let frame = Frame(xRange: range(edges), yRange: range([0, Double(max(counts.max() ?? 1, 1))]))
    var body = ""
    for (i, c) in counts.enumerated() {
      let x = frame.x(edges[i]), w = frame.x(edges[i + 1]) - x
      body += "<rect x=\"\(x)\" y=\"\(frame.y(Double(c)))\" width=\"\(w)\" height=\"\(frame.y(0) - frame.y(Double(c)))\" fill=\"steelblue\" stroke=\"white\"/>\n"
    }
    return svg(frame, body)
  }

  static func line(_ xs: [Double], _ ys: [Double]) -> String {
    let frame = Frame(xRange: range(xs), yRange: range(ys))
    let points = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }.map { "\(frame.x($0.0)),\(frame.y($0.1))" }
    return svg(frame, "<polyline points=\"\(points.joined(separator: " "))\" stroke=\"steelblue\" stroke-width=\"1.5\" fill=\"none\"/>\n")
  }

  static func scatter(_ xs: [Double], _ ys: [Double]) -> String {
    let frame = Frame(xRange: range(xs), yRange: range(ys))
    let body = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }.map {
      "<circle cx=\"\(frame.x($0.0))\" cy=\"\(frame.y($0.1))\" r=\"2\" fill=\"steelblue\" fill-opacity=\"0.6\"/>"
    }
    return svg(frame, body.joined(separator: "\n") + "\n")
  }

  /// A histogram drawn with block characters, one line per bin.
  /// Grayscale images in a grid, ten to a row; pixel values in [0, 1] (1 is black).
  static func images(_ pixels: [Double], count: Int, width: Int, height: Int) -> String {
    let columns = min(count, 10), rows = (count + 9) / 10, cell = 4.0, gap = 4.0
    let w = Double(columns) * (Double(width) * cell + gap) + gap, h = Double(rows) * (Double(height) * cell + gap) + gap
    var body = ""
    for k in 0..<count {
      let x0 = gap + Double(k % 10) * (Double(width) * cell + gap), y0 = gap + Double(k / 10) * (Double(height) * cell + gap)
      for i in 0..<height {
        for j in 0..<width {
          let v = min(max(pixels[k * width * height + i * width + j], 0), 1)
          guard v > 0.01 else { continue }
          let shade = Int((1 - v) * 255)
          body += "<rect x=\"\(number(x0 + Double(j) * cell))\" y=\"\(number(y0 + Double(i) * cell))\" width=\"\(number(cell))\" height=\"\(number(cell))\" fill=\"rgb(\(shade),\(shade),\(shade))\"/>\n"
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(w))\" height=\"\(number(h))\" viewBox=\"0 0 \(number(w)) \(number(h))\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
  }

  static func terminal(_ values: [Double]) -> String {
    let (edges, counts) = bins(values)
    let most = max(counts.max() ?? 1, 1)
    var out = ""
    for (i, c) in counts.enumerated() {
      let bar = String(repeating: "█", count: Int((Double(c) / Double(most) * 40).rounded()))
      let from = number(edges[i]), to = number(edges[i + 1])
      let label = String(repeating: " ", count: max(0, 10 - from.count)) + from + " – " + to
        + String(repeating: " ", count: max(0, 10 - to.count))
      out += "\(label) \(bar) \(c)\n"
    }
    return out
  }
}
