import Foundation

/// Xoshiro256**, seeded through SplitMix64. One generator per interpreter; `split`
/// derives independent streams (for parallel chains and particles) with the jump
/// polynomial, so results never depend on thread scheduling.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
  private var s: (UInt64, UInt64, UInt64, UInt64)
  /// The second normal of the last pair (the polar method makes two at a time).
  private var spare: Double?

  /// Whether two generators would draw the same numbers from here on.
  public func hasSameState(as other: RandomGenerator) -> Bool {
    s == other.s && spare == other.spare
  }

  public init(seed: UInt64) {
    var x = seed
    func splitmix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s = (splitmix(), splitmix(), splitmix(), splitmix())
  }

  @inline(__always)
  private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  public mutating func next() -> UInt64 {
    let result = RandomGenerator.rotl(s.1 &* 5, 7) &* 9
    let t = s.1 << 17
    s.2 ^= s.0
    s.3 ^= s.1
    s.1 ^= s.2
    s.0 ^= s.3
    s.2 ^= t
    s.3 = RandomGenerator.rotl(s.3, 45)
    return result
  }

  /// Advances by 2^128 draws: the returned generator is this one before the jump, so
  /// the two produce non-overlapping streams.
  public mutating func split() -> RandomGenerator {
    var copy = self
    copy.spare = nil
    let jump: [UInt64] = [0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C]
    var t: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    for word in jump {
      for b in 0..<64 {
        if word & (1 << UInt64(b)) != 0 {
          t.0 ^= s.0; t.1 ^= s.1; t.2 ^= s.2; t.3 ^= s.3
        }
        _ = next()
      }
    }
    s = t
    return copy
  }

  /// A uniform draw in the open interval (0, 1).
  public mutating func uniform() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// A standard normal draw (Marsaglia's polar method: two normals per accepted pair
  /// of uniforms, no trigonometry).
  public mutating func normal() -> Double {
    if let s = spare {
      spare = nil
      return s
    }
    while true {
      let u = 2 * uniform() - 1, v = 2 * uniform() - 1
      let q = u * u + v * v
      if q >= 1 || q == 0 { continue }
      let f = (-2 * Foundation.log(q) / q).squareRoot()
      spare = v * f
      return u * f
    }
  }
}

