/// The `unfold` combinator (Gen's Unfold): `unfold(step, init, T)` is a gen of no
/// arguments that runs `state ~ step(t, state) @ t` for t in 0..<T from `init` and
/// returns the list of states. Its code is written directly in machine instructions,
/// so one body serves every state type, and every step is an ordinary traced call: SMC
/// suspends inside it, and step t's choices live under the address t.
enum Unfold {
  static let code: Code = {
    // Registers: step, state, T, states, t, then the call's two arguments.
    let (step, state, count, states, t, argT, argState) = (0, 1, 2, 3, 4, 5, 6)
    var a = Assembler()
    a.emit(.loadCapture(step, 0))
    a.emit(.loadCapture(state, 1))
    a.emit(.loadCapture(count, 2))
    a.emit(.makeList(states, 0, 0))
    a.emit(.loadInt(t, 0))
    a.label("test")
    a.emit { .jumpUnlessLessInt(t, count, $0("done")) }
    a.emit(.move(argT, t))
    a.emit(.move(argState, state))
    a.emit(.tracedCall(state, step, argT, 2, t))
    a.emit(.appendInPlace(states, state))
    a.emit(.incrementInt(t))
    a.emit { .loop($0("test")) }
    a.label("done")
    a.emit(.ret(states))
    return a.assemble(name: "unfold", isGen: true, parameterCount: 0, registerCount: 7)
  }()

  /// The gen `unfold(step, init, T)`.
  static func gen(step: Value, initial: Value, count: Int) -> Closure {
    Closure(code: code, captures: [step, initial, .int(count)])
  }
}

extension RuntimeBuiltins {
  static func declareUnfold(_ r: BuiltinRegistry) {
    r.declare("fn unfold(step: Gen[(Int, s) -> s], init: s, T: Int) -> Gen[() -> List[s]]") { a, c in
      let count = try a.int("T")
      guard count >= 0 else { throw c.fail("unfold: the number of steps must be non-negative, got \(count)") }
      return .closure(Unfold.gen(step: try a["step"], initial: try a["init"], count: count))
    }
  }
}
