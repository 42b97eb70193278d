import Foundation
import Syntax
import Tensor

/// One machine instruction. Operands are register numbers relative to the frame's
/// base, except where named otherwise (global slots, constant and jump indices).
public enum Instruction {
  case loadConst(Int, Int)
  case loadInt(Int, Int)
  case loadReal(Int, Double)
  case move(Int, Int)
  case loadGlobal(Int, Int)
  case storeGlobal(Int, Int)
  case loadCapture(Int, Int)
  case addInt(Int, Int, Int), subInt(Int, Int, Int), mulInt(Int, Int, Int)
  case addReal(Int, Int, Int), subReal(Int, Int, Int), mulReal(Int, Int, Int), divReal(Int, Int, Int)
  case lessInt(Int, Int, Int), lessEqualInt(Int, Int, Int)
  case lessReal(Int, Int, Int), lessEqualReal(Int, Int, Int)
  case equal(Int, Int, Int), notEqual(Int, Int, Int)
  /// Any other operator: integer division, powers, tensors, strings.
  case binary(BinaryOp, Int, Int, Int)
  case negate(Int, Int)
  /// A numeric builtin inlined as an instruction (`real(i)`, `exp(x)`).
  case intrinsic(Intrinsic, Int, Int)
  case not(Int, Int)
  case jump(Int)
  case jumpIfFalse(Int, Int)
  case jumpIfTrue(Int, Int)
  /// `if !(a < b) goto target` on Ints: the test at the top of a range loop.
  case jumpUnlessLessInt(Int, Int, Int)
  case incrementInt(Int)
  /// A backward jump that counts as one step against the step budget.
  case loop(Int)
  case call(Int, Int, Int, Int)
  case callGlobal(Int, Int, Int, Int)
  /// `callGlobal` after its first run: the declared function it calls (kept alive by
  /// its global slot, which is never reassigned).
  case callKnown(Int, Unmanaged<Closure>, Int, Int)
  case callBuiltin(Int, Int, Int, Int)
  case ret(Int)
  case makeList(Int, Int, Int)
  case makeTuple(Int, Int, Int)
  /// dst, first value register, field count, constant index of the name list.
  case makeRecord(Int, Int, Int, Int)
  /// dst, child code index, first capture register, capture count.
  case makeClosure(Int, Int, Int, Int)
  case field(Int, Int, Int)
  /// dst, object, constant index of the field name (trace fields).
  case property(Int, Int, Int)
  case index(Int, Int, Int, Int)
  /// Checks a dynamically typed result (`tr["x"]`) against the expected type.
  case checkType(Int, Int)
  /// dst, collection, counter register, exit target: next element or exit.
  case iterate(Int, Int, Int, Int)
  /// list register, value register: appends in place (the register owns the list).
  case appendInPlace(Int, Int)
  case range(Int, Int, Int, Bool)
  case choice(Int, Int, Int)
  /// dst, gen, first argument, argument count, address register.
  case tracedCall(Int, Int, Int, Int, Int)
  case observe(Int, Int)
  case factor(Int)
}

extension Instruction {
  /// The operator, destination and operands of an arithmetic or ordering instruction
  /// (the typed fast forms with their generic operator); nil for any other.
  var binaryOperation: (op: BinaryOp, d: Int, a: Int, b: Int)? {
    switch self {
    case .addInt(let d, let a, let b), .addReal(let d, let a, let b): return (.add, d, a, b)
    case .subInt(let d, let a, let b), .subReal(let d, let a, let b): return (.sub, d, a, b)
    case .mulInt(let d, let a, let b), .mulReal(let d, let a, let b): return (.mul, d, a, b)
    case .divReal(let d, let a, let b): return (.div, d, a, b)
    case .lessInt(let d, let a, let b), .lessReal(let d, let a, let b): return (.lt, d, a, b)
    case .lessEqualInt(let d, let a, let b), .lessEqualReal(let d, let a, let b): return (.le, d, a, b)
    case .binary(let op, let d, let a, let b): return (op, d, a, b)
    default: return nil
    }
  }
}

/// Builtins of one Real or Int argument that the machine runs without a call.
public enum Intrinsic {
  case realOfInt, exp, log, sqrt, abs, sin, cos, tanh, log1p, expm1

  /// Its value at a Real (`realOfInt` passes a Real through).
  func apply(_ x: Double) -> Double { function.map { $0(x) } ?? x }

  /// The elementwise function it computes, for the differentiable slow path.
  var function: UnaryFunction? {
    switch self {
    case .realOfInt: return nil
    case .exp: return .exp
    case .log: return .log
    case .sqrt: return .sqrt
    case .abs: return .abs
    case .sin: return .sin
    case .cos: return .cos
    case .tanh: return .tanh
    case .log1p: return .log1p
    case .expm1: return .expm1
    }
  }
}

/// The compiled form of one function body.
public final class Code {
  public let name: String
  public let isGen: Bool
  public let span: Span
  public let parameterCount: Int
  public internal(set) var instructions: [Instruction] = []
  /// `instructions` in a fixed buffer for the interpreter loop (set by `seal`).
  private(set) var instructionBuffer: UnsafeMutablePointer<Instruction>?
  /// The source span of each instruction (for errors and stack traces).
  public internal(set) var spans: [Span] = []
  public internal(set) var registerCount = 0
  public internal(set) var constants: [Value] = []
  public internal(set) var builtins: [BuiltinFunction] = []
  public internal(set) var children: [Code] = []
  /// Runtime checks for dynamically typed values (see `checkType`).
  public internal(set) var typeChecks: [DynamicType] = []
  /// Set for gens defined by their interface alone (see `interfaceOnlyGen`).
  public internal(set) var isInterfaceOnly = false
  /// The interpreter whose globals this code reads (nil for code shared by all, such
  /// as `unfold`'s): a closure of one interpreter cannot run in another.
  /// Held strongly, so no later interpreter can be mistaken for a freed one.
  public private(set) var owner: AnyObject?
  /// Computed when a batched run first rearranges rows in this code (see `liveness`).
  private var cachedLiveness: Liveness?
  private let livenessLock = NSLock()

  /// The registers live at each program counter, computed once.
  var liveness: Liveness {
    livenessLock.withLock {
      if let cachedLiveness { return cachedLiveness }
      let computed = Liveness(self)
      cachedLiveness = computed
      return computed
    }
  }

  /// The error message for a call with `count` arguments when it takes another number.
  func arityMismatch(_ count: Int) -> String {
    "\(name) expects \(parameterCount) argument\(parameterCount == 1 ? "" : "s"), got \(count)"
  }

  /// Marks this code and every function nested in it as `owner`'s.
  public func assignOwner(_ owner: AnyObject) {
    var pending = [self]
    while let code = pending.popLast() {
      code.owner = owner
      pending += code.children
    }
  }

  init(name: String, isGen: Bool, span: Span, parameterCount: Int) {
    self.name = name
    self.isGen = isGen
    self.span = span
    self.parameterCount = parameterCount
  }

  /// Replaces the instruction at `pc` in the running buffer (inline caches).
  func patch(_ pc: Int, _ instruction: Instruction) {
    instructionBuffer?[pc] = instruction
  }

  /// Freezes the instructions into the buffer the machine runs from.
  func seal() {
    let buffer = UnsafeMutablePointer<Instruction>.allocate(capacity: max(1, instructions.count))
    buffer.initialize(from: instructions, count: instructions.count)
    instructionBuffer = buffer
  }

  deinit {
    if let instructionBuffer {
      instructionBuffer.deinitialize(count: instructions.count)
      instructionBuffer.deallocate()
    }
  }
}

/// The run-time shape a dynamically typed value must have.
public enum DynamicType {
  case int, real, bool, string, tensor, list, tuple(Int), record, function, gen, dist

  /// Whether the value has this shape (its outer kind; elements are not looked at).
  public func admits(_ v: Value) -> Bool {
    switch (self, v) {
    case (.int, .int), (.real, .real), (.bool, .bool), (.string, .string), (.tensor, .tensor), (.list, .list),
         (.record, .record), (.dist, .dist), (.dist, .trackedDist), (.function, .builtin), (.real, .tracked), (.tensor, .tracked):
      return true
    case (.tuple(let n), .tuple(let xs)): return n == xs.count
    case (.tuple(0), .unit): return true
    case (.function, .closure(let c)): return !c.code.isGen
    case (.gen, .closure(let c)): return c.code.isGen
    default: return false
    }
  }

  var name: String {
    switch self {
    case .int: return "Int"
    case .real: return "Real"
    case .bool: return "Bool"
    case .string: return "String"
    case .tensor: return "Tensor"
    case .list: return "List"
    case .tuple(0): return "Unit"
    case .tuple: return "tuple"
    case .record: return "record"
    case .function: return "function"
    case .gen: return "Gen"
    case .dist: return "Dist"
    }
  }
}
