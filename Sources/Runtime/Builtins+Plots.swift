import Foundation

extension RuntimeBuiltins {
  /// Numbers from a list of Reals or a tensor.
  static func reals(_ v: Value) throws -> [Double] {
    if case .tensor(let t) = v { return t.data }
    return try v.asList().map { try $0.asReal() }
  }

  static func write(_ svg: String, _ path: Value, _ c: CallContext) throws -> Value {
    guard c.runtime.allowFileIO else { throw c.fail("file access is disabled in this interpreter") }
    let p = try path.asString()
    do { try svg.write(toFile: p, atomically: true, encoding: .utf8) } catch { throw c.fail("cannot write '\(p)'") }
    return .unit
  }

  static func registerPlots(_ r: BuiltinRegistry) {
    r.register("plot_images(Tensor, Int, String)") { a, c in
      let images = try a[0].asTensor(), width = try a[1].asInt()
      guard images.rank == 2, width > 0, images.shape[1] % width == 0 else {
        throw c.fail("plot_images: expects an n×(width·height) tensor of pixel rows and the image width, got shape \(images.shape) and width \(width)")
      }
      return try write(Plot.images(images.data, count: images.shape[0], width: width, height: images.shape[1] / width), a[2], c)
    }
    for t in ["List[Real]", "Tensor"] {
      r.register("plot_hist(\(t), String)") { a, c in try write(Plot.histogram(try reals(a[0])), a[1], c) }
      r.register("plot_line(\(t), \(t), String)") { a, c in
        let xs = try reals(a[0]), ys = try reals(a[1])
        guard xs.count == ys.count else { throw c.fail("plot_line: \(xs.count) x values but \(ys.count) y values") }
        return try write(Plot.line(xs, ys), a[2], c)
      }
      r.register("plot_scatter(\(t), \(t), String)") { a, c in
        let xs = try reals(a[0]), ys = try reals(a[1])
        guard xs.count == ys.count else { throw c.fail("plot_scatter: \(xs.count) x values but \(ys.count) y values") }
        return try write(Plot.scatter(xs, ys), a[2], c)
      }
      r.register("hist(\(t))") { a, c in
        c.runtime.output(Plot.terminal(try reals(a[0])))
        return .unit
      }
    }
  }
}
