import Foundation

extension RuntimeBuiltins {
  static func declareLists(_ r: BuiltinRegistry) {
    r.declare("fn len(xs: List[a]) -> Int") { a, _ in .int(try a.list("xs").count) }
    r.declare("fn map(xs: List[a], f: fn(a) -> b) -> List[b]") { a, c in
      let f = try a["f"]
      return .list(try a.list("xs").map { try c.call(f, [$0]) })
    }
    r.declare("fn filter(xs: List[a], p: fn(a) -> Bool) -> List[a]") { a, c in
      let p = try a["p"]
      return .list(try a.list("xs").filter { try c.call(p, [$0]).asBool() })
    }
    r.declare("fn fold(xs: List[a], init: b, f: fn(b, a) -> b) -> b") { a, c in
      let f = try a["f"]
      return try a.list("xs").reduce(try a["init"]) { try c.call(f, [$0, $1]) }
    }
    r.declare("fn zip(xs: List[a], ys: List[b]) -> List[(a, b)]") { a, _ in
      .list(zip(try a.list("xs"), try a.list("ys")).map { .tuple([$0, $1]) })
    }
    r.declare("fn sum(xs: List[Int]) -> Int") { a, c in
      var total = 0
      for x in try a.list("xs") {
        let (s, overflow) = total.addingReportingOverflow(try x.asInt())
        if overflow { throw c.fail("integer overflow in sum") }
        total = s
      }
      return .int(total)
    }
    let sumRule = Differentiability.rule { a, _ in try a.list("xs").reduce(.real(0)) { try Autodiff.binary(.add, $0, $1) } }
    r.declare("fn sum(xs: List[Real]) -> Real", differentiability: sumRule) { a, _ in
      .real(try a.list("xs").reduce(0) { $0 + (try $1.asReal()) })
    }
    r.declare("fn range(n: Int) -> List[Int]") { a, c in
      let n = try a.int("n")
      guard n <= 100_000_000 else { throw c.fail("range(\(n)) is too long; loop over 0..<n instead") }
      return .list(n > 0 ? (0..<n).map { .int($0) } : [])
    }
    r.declare("fn reverse(xs: List[a]) -> List[a]") { a, _ in .list(try a.list("xs").reversed()) }
    r.declare("fn sort(xs: List[Int]) -> List[Int]") { a, _ in .list(try a.list("xs").map { try $0.asInt() }.sorted().map { .int($0) }) }
    r.declare("fn sort(xs: List[Real]) -> List[Real]") { a, _ in
      .list(try a.list("xs").map { try $0.asReal() }.sorted { $0 < $1 || ($1.isNaN && !$0.isNaN) }.map { .real($0) })
    }
    r.declare("fn sort(xs: List[String]) -> List[String]") { a, _ in
      .list(try a.list("xs").map { try $0.asString() }.sorted().map { .string($0) })
    }
    r.declare("fn concat(xs: List[a], ys: List[a]) -> List[a]") { a, _ in
      let xs = try a.list("xs"), ys = try a.list("ys")
      try Capacity.checkList(xs.count + ys.count)
      return .list(xs + ys)
    }
    r.declare("fn append(xs: List[a], x: a) -> List[a]") { a, _ in
      let xs = try a.list("xs")
      try Capacity.checkAppend(xs.count + 1)
      return .list(xs + [try a["x"]])
    }
  }
}
