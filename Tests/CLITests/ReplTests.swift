import Foundation
import XCTest

/// The REPL of SPEC §10, driven through a pipe and through a pseudo-terminal.
final class ReplTests: XCTestCase {
  func testPipeSession() throws {
    let input = """
      let x = 1 + 2
      x * 2
      fn sq(v: Real) -> Real {
        v * v
      }
      sq(1.5)
      let bad = x + "s"
      undefined_name
      [1, 2][7]
      x
      :type [x, 2]
      print("out")
      :quit
      print("never")

      """
    let r = try PPLProcess.run([], input: input)
    XCTAssertEqual(r.status, 0)
    XCTAssertEqual(r.stdout, """
      x: Int = 3
      Int = 6
      sq: fn(Real) -> Real = <fn sq>
      Real = 2.25
      Int = 3
      List[Int]
      out

      """)
    XCTAssertTrue(r.stderr.contains("<repl>:1:11: error: cannot apply '+' to Int and String"), r.stderr)
    XCTAssertTrue(r.stderr.contains("error: unknown name 'undefined_name'"), r.stderr)
    XCTAssertTrue(r.stderr.contains("error: index 7 out of range for length 2"), r.stderr)
  }

  func testCommandsSeedResetAndLoad() throws {
    let url = try PPLProcess.script("lib.ppl", "let loaded = 41\n")
    let input = """
      :seed 5
      sample(normal(0, 1))
      :seed 5
      sample(normal(0, 1))
      :load \(url.path)
      loaded + 1
      :reset
      loaded
      :ir 1 + 2
      :time 2 * 3
      :nonsense

      """
    let r = try PPLProcess.run([], input: input)
    let lines = r.stdout.components(separatedBy: "\n")
    XCTAssertEqual(lines[0], lines[1], "same seed, same draw")
    XCTAssertEqual(lines[2], "Int = 42")
    XCTAssertEqual(lines[3], "session reset")
    XCTAssertTrue(r.stderr.contains("unknown name 'loaded'"), r.stderr)
    XCTAssertTrue(r.stdout.contains("binary + : Int"), r.stdout)
    XCTAssertTrue(r.stdout.contains("Int = 6\ntime: "), r.stdout)
    XCTAssertTrue(r.stderr.contains("unknown command ':nonsense'"), r.stderr)
  }

  /// Under a terminal the REPL uses readline: arrow keys recall history, Ctrl-A moves
  /// to the start of the line, and history persists in ~/.ppl_history.
  func testTerminalEditingAndHistory() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
      throw XCTSkip("util-linux script is not installed")
    }
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ppl-home-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qfec", "\(PPLProcess.binary.path)", "/dev/null"]
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = home.path
    environment["TERM"] = "xterm"
    process.environment = environment
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    func type(_ text: String) {
      input.fileHandleForWriting.write(Data(text.utf8))
      Thread.sleep(forTimeInterval: 0.3)
    }
    Thread.sleep(forTimeInterval: 0.5)
    type("let a = 40\r")
    type("a + 2\r")
    type("\u{1B}[A")        // up arrow: recall "a + 2"
    type("\u{01}1 + \r")    // Ctrl-A, insert "1 + " at the start
    type(":quit\r")
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let screen = String(decoding: data, as: UTF8.self)
    XCTAssertTrue(screen.contains("a: Int = 40"), screen)
    XCTAssertTrue(screen.contains("Int = 42"), screen)
    XCTAssertTrue(screen.contains("Int = 43"), screen)
    let history = (try? String(contentsOf: home.appendingPathComponent(".ppl_history"), encoding: .utf8)) ?? ""
    XCTAssertTrue(history.contains("let a = 40"), history)
    XCTAssertTrue(history.contains("1 + a + 2"), history)
  }
}
