import Foundation

extension RuntimeBuiltins {
  static func registerLists(_ r: BuiltinRegistry) {
    r.register("len(List[?])") { a, _ in .int(try a[0].asList().count) }
    r.register("map(List[?], fn(?) -> ?)") { a, c in
      .list(try a[0].asList().map { try c.call(a[1], [$0]) })
    }
    r.register("filter(List[?], fn(?) -> Bool)") { a, c in
      .list(try a[0].asList().filter { try c.call(a[1], [$0]).asBool() })
    }
    r.register("fold(List[?], ?, fn(?, ?) -> ?)") { a, c in
      try a[0].asList().reduce(a[1]) { try c.call(a[2], [$0, $1]) }
    }
    r.register("zip(List[?], List[?])") { a, _ in
      .list(zip(try a[0].asList(), try a[1].asList()).map { .tuple([$0, $1]) })
    }
    r.register("sum(List[Int])") { a, c in
      var total = 0
      for x in try a[0].asList() {
        let (s, overflow) = total.addingReportingOverflow(try x.asInt())
        if overflow { throw c.fail("integer overflow in sum") }
        total = s
      }
      return .int(total)
    }
    r.register("sum(List[Real])") { a, _ in .real(try a[0].asList().reduce(0) { $0 + (try $1.asReal()) }) }
    r.register("range(Int)") { a, c in
      let n = try a[0].asInt()
      guard n <= 100_000_000 else { throw c.fail("range(\(n)) is too long; loop over 0..<n instead") }
      return .list(n > 0 ? (0..<n).map { .int($0) } : [])
    }
    r.register("reverse(List[?])") { a, _ in .list(try a[0].asList().reversed()) }
    r.register("sort(List[Int])") { a, _ in .list(try a[0].asList().map { try $0.asInt() }.sorted().map { .int($0) }) }
    r.register("sort(List[Real])") { a, _ in
      .list(try a[0].asList().map { try $0.asReal() }.sorted { $0 < $1 || ($1.isNaN && !$0.isNaN) }.map { .real($0) })
    }
    r.register("sort(List[String])") { a, _ in .list(try a[0].asList().map { try $0.asString() }.sorted().map { .string($0) }) }
    r.register("concat(List[?], List[?])") { a, _ in
      let xs = try a[0].asList(), ys = try a[1].asList()
      try Capacity.checkList(xs.count + ys.count)
      return .list(xs + ys)
    }
    r.register("append(List[?], ?)") { a, _ in
      let xs = try a[0].asList()
      try Capacity.checkList(xs.count + 1)
      return .list(xs + [a[1]])
    }
  }
}
