import Foundation
import PPL
import XCTest

/// Runs random well-typed programs (`ProgramGenerator`) through the whole pipeline in a
/// sandboxed interpreter with limits. Each must type-check — a type or syntax error is
/// a bug in the checker or the generator — and then end normally or with a runtime
/// error; a crash fails the run. Seeded, so a failure reproduces.
/// `PPL_GENERATED_PROGRAMS` sets the count (default 600), `PPL_GENERATED_SEED` the first
/// seed, `PPL_GENERATED_DUMP` a directory to write the programs to, and
/// `PPL_GENERATED_VERBOSE` prints each runtime error.
final class GeneratedProgramTests: XCTestCase {
  func testWellTypedProgramsRunOrFailCleanly() {
    let count = Int(ProcessInfo.processInfo.environment["PPL_GENERATED_PROGRAMS"] ?? "") ?? 600
    let first = UInt64(ProcessInfo.processInfo.environment["PPL_GENERATED_SEED"] ?? "") ?? 1
    var outcomes = (ran: 0, runtimeErrors: 0)
    let deadline = Date().addingTimeInterval(Double(count) / 20)
    for seed in first..<(first + UInt64(count)) {
      var generator = ProgramGenerator(seed: seed)
      let source = generator.program()
      if let dir = ProcessInfo.processInfo.environment["PPL_GENERATED_DUMP"] {
        try? source.write(toFile: "\(dir)/generated\(seed).ppl", atomically: true, encoding: .utf8)
      }
      let ppl = Interpreter(options: .init(seed: seed, allowFileIO: false, maxSteps: 200_000, maxDepth: 300, timeLimit: 5,
                                           output: { _ in }))
      do {
        try ppl.load(source: source, name: "generated\(seed).ppl")
        outcomes.ran += 1
      } catch let e as PPLError where e.kind == .runtime {
        outcomes.runtimeErrors += 1
        if ProcessInfo.processInfo.environment["PPL_GENERATED_VERBOSE"] != nil { print("runtime error (seed \(seed)): \(e.message)") }
      } catch {
        XCTFail("program \(seed) did not type-check or failed oddly:\n\(error)\n\(source)")
      }
      if Date() > deadline { break }
    }
    XCTAssertGreaterThan(outcomes.ran, 20, "too few generated programs ran to the end")
    print("generated: \(outcomes.ran + outcomes.runtimeErrors) programs, \(outcomes.ran) ran, \(outcomes.runtimeErrors) stopped with runtime errors")
  }
}
