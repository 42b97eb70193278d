import Foundation

/// Throwing arithmetic on operands, so that derivative code reads as the formula it
/// records (`try mu + sigma * noise`). Each operator is `Differentiable.binary`, with
/// broadcasting; shape errors propagate.
extension Operand {
  public static func + (a: Operand, b: Operand) throws -> Operand { try Differentiable.binary(.add, a, b) }
  public static func - (a: Operand, b: Operand) throws -> Operand { try Differentiable.binary(.sub, a, b) }
  public static func * (a: Operand, b: Operand) throws -> Operand { try Differentiable.binary(.mul, a, b) }
  public static func / (a: Operand, b: Operand) throws -> Operand { try Differentiable.binary(.div, a, b) }

  /// A constant number.
  public static func number(_ x: Double) -> Operand { .constant(.scalar(x)) }

  /// Whether it is the constant number 0 (adding it changes nothing).
  public var isZero: Bool {
    guard case .constant(let t) = self else { return false }
    return t.rank == 0 && t.data[0] == 0
  }

  /// An elementwise function of the operand.
  public func apply(_ f: UnaryFunction) throws -> Operand { try Differentiable.unary(f, self) }
}
