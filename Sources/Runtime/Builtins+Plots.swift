import Foundation

extension RuntimeBuiltins {
  /// Numbers from a list of Reals or a tensor.
  static func reals(_ v: Value) throws -> [Double] {
    if case .tensor(let t) = v { return t.data }
    return try v.asList().map { try $0.asReal() }
  }

  static func declarePlots(_ r: BuiltinRegistry) {
    for t in ["List[Real]", "Tensor"] {
      r.declare("fn plot_hist(values: \(t), path: String) -> Unit", touchesFiles: true) { a, c in
        try write(Plot.histogram(try reals(try a["values"])), to: try a.string("path"), c)
        return .unit
      }
    }
    for t in ["List[Real]", "Tensor"] {
      for (name, plot) in [("plot_line", Plot.line), ("plot_scatter", Plot.scatter)] {
        r.declare("fn \(name)(xs: \(t), ys: \(t), path: String) -> Unit", touchesFiles: true) { a, c in
          let xs = try reals(try a["xs"]), ys = try reals(try a["ys"])
          guard xs.count == ys.count else { throw c.fail("\(name): \(xs.count) x values but \(ys.count) y values") }
          try write(plot(xs, ys), to: try a.string("path"), c)
          return .unit
        }
      }
    }
    r.declare("fn plot_images(images: Tensor, width: Int, path: String) -> Unit", touchesFiles: true) { a, c in
      let images = try a.tensor("images"), width = try a.int("width")
      guard images.rank == 2, width > 0, images.shape[1] % width == 0 else {
        throw c.fail("plot_images: expects an n×(width·height) tensor of pixel rows and the image width, got shape \(images.shape) and width \(width)")
      }
      try write(Plot.images(images.data, count: images.shape[0], width: width, height: images.shape[1] / width), to: try a.string("path"), c)
      return .unit
    }
    for t in ["List[Real]", "Tensor"] {
      r.declare("fn hist(values: \(t)) -> Unit") { a, c in
        c.runtime.output(Plot.terminal(try reals(try a["values"])))
        return .unit
      }
    }
  }
}
