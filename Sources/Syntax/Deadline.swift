import Dispatch

/// The end of a call's time limit. The machine checks it with its other limits; lexing,
/// parsing and checking look at it between tokens and statements and stop early once it
/// has passed (the interpreter then reports the limit), so a huge input cannot outlast it.
public struct Deadline: Sendable {
  /// `DispatchTime` uptime in nanoseconds; nil for no limit.
  public let uptimeNanoseconds: UInt64?

  public init(uptimeNanoseconds: UInt64?) { self.uptimeNanoseconds = uptimeNanoseconds }

  public static let none = Deadline(uptimeNanoseconds: nil)

  public var hasPassed: Bool {
    guard let uptimeNanoseconds else { return false }
    return DispatchTime.now().uptimeNanoseconds >= uptimeNanoseconds
  }
}
