import Syntax

/// The `unfold` combinator (Gen's Unfold): `unfold(step, init, T)` is a gen of no
/// arguments that runs `state ~ step(t, state) @ t` for t in 0..<T from `init` and
/// returns the list of states. Its code is written directly in machine instructions,
/// so one body serves every state type, and every step is an ordinary traced call: SMC
/// suspends inside it, and step t's choices live under the address t.
enum Unfold {
  static let code: Code = {
    let code = Code(name: "unfold", isGen: true, span: Span(file: nil, start: 0, end: 0), parameterCount: 0)
    // Registers: step, state, T, states, t, then the call's two arguments.
    let (step, state, count, states, t, argT, argState) = (0, 1, 2, 3, 4, 5, 6)
    code.instructions = [
      .loadCapture(step, 0),
      .loadCapture(state, 1),
      .loadCapture(count, 2),
      .makeList(states, 0, 0),
      .loadInt(t, 0),
      .jumpUnlessLessInt(t, count, 12),  // 5: the loop's test
      .move(argT, t),
      .move(argState, state),
      .tracedCall(state, step, argT, 2, t),
      .appendInPlace(states, state),
      .incrementInt(t),
      .loop(5),
      .ret(states),  // 12
    ]
    code.spans = Array(repeating: code.span, count: code.instructions.count)
    code.registerCount = 7
    code.seal()
    return code
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
