import Foundation

/// Which registers of a function body may still be read before they are written, at
/// each program counter (backward dataflow to a fixed point). A batched execution keeps
/// only these when it rearranges its rows (`BatchExecution.subset`): a column no later
/// instruction reads — a distribution already drawn from, a temporary — is dropped
/// instead of gathered.
struct Liveness {
  private let words: Int
  /// `words` bit words per program counter, for 0...instructions.count (the end: none).
  private let bits: [UInt64]

  init(_ code: Code) {
    let instructions = code.instructions, count = instructions.count
    let words = (code.registerCount + 63) / 64
    self.words = words
    let effects = instructions.enumerated().map { pc, instruction in instruction.effects(at: pc) }
    var bits = [UInt64](repeating: 0, count: (count + 1) * words)
    var changed = true
    while changed {
      changed = false
      for pc in stride(from: count - 1, through: 0, by: -1) {
        let effect = effects[pc]
        var live = [UInt64](repeating: 0, count: words)
        for s in effect.successors where s <= count {
          for w in 0..<words { live[w] |= bits[s * words + w] }
        }
        for r in effect.writes where r < code.registerCount { live[r / 64] &= ~(1 << UInt64(r % 64)) }
        for r in effect.reads where r < code.registerCount { live[r / 64] |= 1 << UInt64(r % 64) }
        for w in 0..<words where bits[pc * words + w] != live[w] {
          bits[pc * words + w] = live[w]
          changed = true
        }
      }
    }
    self.bits = bits
  }

  /// Whether `register` may be read by the instruction at `pc` or one after it before
  /// being written.
  func isLive(_ register: Int, at pc: Int) -> Bool {
    guard register / 64 < words, pc >= 0, (pc + 1) * words <= bits.count else { return false }
    return bits[pc * words + register / 64] & (1 << UInt64(register % 64)) != 0
  }
}

extension Instruction {
  /// The registers the instruction reads and writes, and the program counters it may
  /// continue at (a `ret` at none).
  func effects(at pc: Int) -> (reads: [Int], writes: [Int], successors: [Int]) {
    let next = [pc + 1]
    func span(_ start: Int, _ count: Int) -> [Int] { Array(start..<(start + count)) }
    switch self {
    case .loadConst(let d, _), .loadInt(let d, _), .loadReal(let d, _), .loadGlobal(let d, _), .loadCapture(let d, _):
      return ([], [d], next)
    case .move(let d, let s), .negate(let d, let s), .intrinsic(_, let d, let s), .not(let d, let s),
         .field(let d, let s, _), .property(let d, let s, _):
      return ([s], [d], next)
    case .storeGlobal(_, let s):
      return ([s], [], next)
    case .addInt(let d, let a, let b), .subInt(let d, let a, let b), .mulInt(let d, let a, let b),
         .addReal(let d, let a, let b), .subReal(let d, let a, let b), .mulReal(let d, let a, let b), .divReal(let d, let a, let b),
         .lessInt(let d, let a, let b), .lessEqualInt(let d, let a, let b), .lessReal(let d, let a, let b),
         .lessEqualReal(let d, let a, let b), .equal(let d, let a, let b), .notEqual(let d, let a, let b),
         .binary(_, let d, let a, let b):
      return ([a, b], [d], next)
    case .jump(let target), .loop(let target):
      return ([], [], [target])
    case .jumpIfFalse(let c, let target), .jumpIfTrue(let c, let target):
      return ([c], [], [pc + 1, target])
    case .jumpUnlessLessInt(let a, let b, let target):
      return ([a, b], [], [pc + 1, target])
    case .incrementInt(let i), .checkType(let i, _):
      return ([i], [i], next)
    case .call(let d, let f, let start, let count):
      return ([f] + span(start, count), [d], next)
    case .callGlobal(let d, _, let start, let count), .callKnown(let d, _, let start, let count),
         .callBuiltin(let d, _, let start, let count), .makeList(let d, let start, let count),
         .makeTuple(let d, let start, let count), .makeRecord(let d, let start, let count, _),
         .makeClosure(let d, _, let start, let count):
      return (span(start, count), [d], next)
    case .ret(let v):
      return ([v], [], [])
    case .index(let d, let b, let start, let count):
      return ([b] + span(start, count), [d], next)
    case .iterate(_, let c, let counter, let exit):
      // Its destination and counter are written only on the path that continues, so
      // neither counts as written.
      return ([c, counter], [], [pc + 1, exit])
    case .appendInPlace(let l, let v):
      return ([l, v], [l], next)
    case .range(let d, let lo, let hi, _):
      return ([lo, hi], [d], next)
    case .choice(let d, let dr, let ar):
      return ([dr, ar], [d], next)
    case .tracedCall(let d, let g, let start, let count, let ar):
      return ([g, ar] + span(start, count), [d], next)
    case .observe(let dr, let vr):
      return ([dr, vr], [], next)
    case .factor(let wr):
      return ([wr], [], next)
    }
  }
}
