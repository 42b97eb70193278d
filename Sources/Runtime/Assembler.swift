import Syntax

/// Machine code written by hand (`unfold`, interface-only gens), with jump targets named
/// by labels and resolved when the code is assembled.
struct Assembler {
  typealias Resolve = (String) -> Int
  private var items: [(Resolve) -> Instruction] = []
  private var labels: [String: Int] = [:]

  /// Appends an instruction without jump targets.
  mutating func emit(_ instruction: Instruction) { items.append { _ in instruction } }

  /// Appends an instruction whose targets are labels, e.g. `{ .loop($0("test")) }`.
  mutating func emit(_ instruction: @escaping (Resolve) -> Instruction) { items.append(instruction) }

  /// Names the position of the next instruction.
  mutating func label(_ name: String) {
    precondition(labels[name] == nil, "unreachable: label '\(name)' defined twice in hand-written code")
    labels[name] = items.count
  }

  /// The finished, sealed code.
  func assemble(name: String, isGen: Bool, parameterCount: Int, registerCount: Int,
                builtins: [BuiltinFunction] = []) -> Code {
    let code = Code(name: name, isGen: isGen, span: .none, parameterCount: parameterCount)
    let labels = self.labels
    code.instructions = items.map { item in
      item { name in
        guard let target = labels[name] else {
          preconditionFailure("unreachable: hand-written code jumps to the undefined label '\(name)'")
        }
        return target
      }
    }
    code.spans = Array(repeating: .none, count: code.instructions.count)
    code.registerCount = registerCount
    code.builtins = builtins
    code.seal()
    return code
  }
}
