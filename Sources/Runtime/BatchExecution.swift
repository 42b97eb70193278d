import Distributions

/// What a batched run asks of inference at each effect: the handler of a whole batch.
/// `members` names the population's members the batch runs for (its rows); values
/// come and go as `BatchValue`s, one per member where they differ.
public protocol BatchHandler {
  /// The members' values at a random choice, and whether the run stops after it (SMC's
  /// stop at a constrained choice).
  mutating func choice(at address: Address, distribution: BatchValue, members: [Int], _ context: RuntimeContext) throws
    -> (value: BatchValue, stop: Bool)
  /// Scores an observation for every member; returns true to stop after it.
  mutating func observe(distribution: BatchValue, _ value: BatchValue, at address: Address, members: [Int],
                        _ context: RuntimeContext) throws -> Bool
  /// Adds a factor for every member; returns true to stop after it.
  mutating func factor(weight: BatchValue, at address: Address, members: [Int], _ context: RuntimeContext) throws -> Bool
}

/// One run of a program for many members at once (program-counter autobatching, Radul
/// et al. 2020): members that are at the same point of the program share one frame
/// stack and one register file whose registers hold a value shared by all or a column
/// of one value per member. Where members disagree on where to go — a branch, a callee,
/// an address — the batch splits into batches that each agree (`diverged`); batches
/// that reach the same point again are joined (`joined`). Every instruction has a
/// member-by-member form, so nothing is refused; the common ones (arithmetic on Reals,
/// family distributions, draws and log-densities) run over whole columns.
public struct BatchExecution {
  /// The population's members this batch runs for, one per row of every column.
  public private(set) var members: [Int]
  var registers: [BatchValue]
  var frames: [Execution.Frame]
  var closures: [Closure?]
  var prefixes: [Address]

  /// Where a batch stopped.
  public enum Outcome {
    case finished(BatchValue)
    /// After a weighting point (a constrained choice, an observe, a factor).
    case stopped
    /// Members disagreed: the batches to run instead, each at the instruction that split them.
    case diverged([BatchExecution])
    /// At a point another batch waits at (see `run(_:_:until:)`).
    case reached
  }

  /// The most members batches are joined up to (and `blocks` starts with): one
  /// instruction over a batch is one piece of work between checks of the time limit.
  public static let maxMembers = 1 << 16

  /// Calls of `closure` for members 0..<count, in batches of at most `maxMembers`.
  public static func blocks(closure: Closure, arguments: [Value], count: Int, context: RuntimeContext) throws -> [BatchExecution] {
    try stride(from: 0, to: count, by: maxMembers).map { start in
      try BatchExecution(closure: closure, arguments: arguments, members: Array(start..<min(start + maxMembers, count)), context: context)
    }
  }

  /// Prepares a call of `closure` for `members`, with arguments shared by all of them.
  public init(closure: Closure, arguments: [Value], members: [Int], context: RuntimeContext) throws {
    context.steps &+= members.count
    try context.checkLimits()
    let code = closure.code
    guard arguments.count == code.parameterCount else {
      throw RuntimeError(code.arityMismatch(arguments.count), at: code.span)
    }
    self.members = members
    registers = arguments.map { .uniform($0) }
    registers += Array(repeating: .uniform(.unit), count: max(0, code.registerCount - arguments.count))
    prefixes = [.root]
    frames = [Execution.Frame(closure: .passUnretained(closure), pc: 0, base: 0, returnRegister: -1, prefix: 0)]
    closures = [closure]
  }

  public var isFinished: Bool { frames.isEmpty }

  /// Where a batch is: its innermost frame's depth, code and program counter. The
  /// scheduler runs the batch that is furthest behind, so that batches meet again.
  public struct Point: Hashable, Comparable {
    let depth: Int
    let code: ObjectIdentifier
    let pc: Int

    /// Deeper first (inside a call comes before its return), then earlier in the code.
    public static func < (a: Point, b: Point) -> Bool {
      a.depth != b.depth ? a.depth > b.depth : a.code != b.code ? a.code < b.code : a.pc < b.pc
    }
  }

  /// The batch's point, or nil once it has finished.
  public var point: Point? {
    frames.last.map { Point(depth: frames.count, code: ObjectIdentifier($0.code), pc: $0.pc) }
  }

  /// The batch restricted to the members at `positions` (rows of its columns). Only
  /// registers a later instruction may read are gathered; the others are cleared.
  func subset(_ positions: [Int]) -> BatchExecution {
    var part = self
    part.members = positions.map { members[$0] }
    forEachRegister { i, live in part.registers[i] = live ? registers[i].gathered(positions) : .uniform(.unit) }
    return part
  }

  /// Every register with whether it is live: whether its frame's code may read it at
  /// the frame's program counter or after (the pc the frame resumes at).
  private func forEachRegister(_ body: (Int, Bool) -> Void) {
    for (k, frame) in frames.enumerated() {
      let code = frame.code, liveness = code.liveness
      let end = k + 1 < frames.count ? frames[k + 1].base : registers.count
      for i in frame.base..<end { body(i, liveness.isLive(i - frame.base, at: frame.pc)) }
    }
  }

  /// The batch with its rows rearranged: row k of the result is row `positions[k]` of
  /// this one, and belongs to `members[k]` (SMC's resampling gathers by ancestor).
  public func gathered(_ positions: [Int], as members: [Int]) -> BatchExecution {
    var part = subset(positions)
    part.members = members
    return part
  }

  /// Splits the members into groups by a key, in order of first appearance; each
  /// group's batch has the register `register` (if any) made uniform with its value.
  func split<K: Hashable>(register: Int?, _ key: (Int) throws -> K) rethrows -> [BatchExecution] {
    var groups: [K: Int] = [:], positions: [[Int]] = []
    for i in members.indices {
      let k = try key(i)
      if let g = groups[k] { positions[g].append(i) } else { groups[k] = positions.count; positions.append([i]) }
    }
    return positions.map { p in
      var part = subset(p)
      if let register { part.registers[register] = .uniform(registers[register].value(at: p[0])) }
      return part
    }
  }

  /// Whether two batches are at the same point with the same frames, so that they can
  /// be joined.
  public func canJoin(_ other: BatchExecution) -> Bool {
    guard members.count + other.members.count <= BatchExecution.maxMembers, frames.count == other.frames.count, registers.count == other.registers.count else { return false }
    for (f, g) in zip(frames, other.frames) {
      if f.closure.toOpaque() != g.closure.toOpaque() || f.pc != g.pc || f.base != g.base || f.returnRegister != g.returnRegister
        || prefixes[f.prefix] != other.prefixes[g.prefix] {
        return false
      }
    }
    return true
  }

  /// Two batches at the same point as one (`canJoin`): this one's members, then the other's.
  public func joined(_ other: BatchExecution) -> BatchExecution {
    var both = self
    both.members = members + other.members
    let n = members.count, m = other.members.count
    forEachRegister { i, live in both.registers[i] = live ? BatchValue.joined(registers[i], n, other.registers[i], m) : .uniform(.unit) }
    return both
  }
}
