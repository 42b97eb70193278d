import Foundation
import XCTest

/// The command line of SPEC §9: subcommands, exit codes and diagnostics.
final class CommandLineTests: XCTestCase {
  func testRunPrintsAndExitsZero() throws {
    let url = try PPLProcess.script("ok.ppl", "print(\"sum\", 1 + 2)\n")
    let r = try PPLProcess.run(["run", url.path])
    XCTAssertEqual(r.status, 0)
    XCTAssertEqual(r.stdout, "sum 3\n")
  }

  /// `--time-limit inf` means no limit; NaN and negative limits are usage errors.
  func testTimeLimitFlagAcceptsInfinityAndRejectsNaN() throws {
    let url = try PPLProcess.script("tl.ppl", "print(1 + 2)\n")
    for limit in ["inf", "1e300"] {
      let r = try PPLProcess.run(["run", url.path, "--time-limit", limit])
      XCTAssertEqual(r.status, 0, "--time-limit \(limit): \(r.stderr)")
      XCTAssertEqual(r.stdout, "3\n")
    }
    for limit in ["nan", "-1"] {
      let r = try PPLProcess.run(["run", url.path, "--time-limit=\(limit)"])
      XCTAssertEqual(r.status, 64, "--time-limit \(limit)")
      XCTAssertTrue(r.stderr.contains("--time-limit must be a non-negative number"), r.stderr)
    }
  }

  /// A file that exists but is not usable source says what is wrong (exit 65), rather
  /// than "file not found" (issue: trust, 24).
  func testUnreadableSourcesSayWhy() throws {
    let bad = try PPLProcess.script("bad.ppl", "")
    try Data([0x70, 0x72, 0x69, 0x6e, 0x74, 0x28, 0x31, 0x29, 0x0a, 0xff, 0xfe, 0x0a]).write(to: bad)
    let importer = try PPLProcess.script("imp.ppl", "import \"/dev/zero\"\n")
    let cases: [([String], String)] = [
      (["run", bad.path], "is not valid UTF-8 text"),
      (["check", bad.path], "is not valid UTF-8 text"),
      (["run", importer.path], "cannot import '/dev/zero': /dev/zero is not a regular file"),
      (["run", bad.deletingLastPathComponent().path], "is not a regular file"),
    ]
    for (arguments, message) in cases {
      let r = try PPLProcess.run(arguments)
      XCTAssertEqual(r.status, 65, "\(arguments): \(r.stderr)")
      XCTAssertTrue(r.stderr.contains(message), "\(arguments): \(r.stderr)")
    }
  }

  /// Runaway recursion shows the first and last frames, not all 10,000 (issue: trust, 26).
  func testDeepStacksAreElided() throws {
    let url = try PPLProcess.script("deep.ppl", "fn f(n: Int) -> Int { f(n + 1) + 1 }\nprint(f(0))\n")
    let r = try PPLProcess.run(["run", url.path])
    XCTAssertEqual(r.status, 1)
    let lines = r.stderr.split(separator: "\n")
    XCTAssertLessThan(lines.count, 30, r.stderr)
    XCTAssertTrue(lines.contains { $0.contains("more frames") }, r.stderr)
    XCTAssertTrue(lines.last?.contains("in <main>") ?? false, r.stderr)
  }

  func testExitCodes() throws {
    let runtime = try PPLProcess.script("rt.ppl", "let xs = [1]\nprint(xs[4])\n")
    let syntax = try PPLProcess.script("syn.ppl", "let x = (1\n")
    let type = try PPLProcess.script("ty.ppl", "let x: Int = 1.5\n")
    XCTAssertEqual(try PPLProcess.run(["run", runtime.path]).status, 1)
    XCTAssertEqual(try PPLProcess.run(["run", syntax.path]).status, 65)
    XCTAssertEqual(try PPLProcess.run(["run", type.path]).status, 65)
    XCTAssertEqual(try PPLProcess.run(["run", "/no/such/file.ppl"]).status, 66)
    XCTAssertEqual(try PPLProcess.run(["run"]).status, 64)
    XCTAssertEqual(try PPLProcess.run(["frobnicate"]).status, 64)
    XCTAssertEqual(try PPLProcess.run(["run", runtime.path, "--seed", "minus"]).status, 64)
  }

  func testDiagnosticFormat() throws {
    let url = try PPLProcess.script("bad.ppl", "let total = 1.0\nprint(totl + 1.0)\n")
    let r = try PPLProcess.run(["run", url.path])
    XCTAssertEqual(r.stderr, """
      \(url.path):2:7: error: unknown name 'totl'
       2 | print(totl + 1.0)
         |       ^~~~
      note: did you mean 'total'?

      """)
  }

  func testRuntimeErrorShowsTheCallStack() throws {
    let url = try PPLProcess.script("stack.ppl", "fn inner(n: Int) -> Int { 10 / n }\nfn outer() -> Int { inner(0) }\nprint(outer())\n")
    let r = try PPLProcess.run(["run", url.path])
    XCTAssertEqual(r.status, 1)
    XCTAssertEqual(r.stderr, """
      \(url.path):1:27: error: integer division by zero
       1 | fn inner(n: Int) -> Int { 10 / n }
         |                           ^~~~~~
        at \(url.path):1:27 in inner
        at \(url.path):2:21 in outer
        at \(url.path):3:7 in <main>

      """)
  }

  func testSeveralSyntaxErrorsInOneRun() throws {
    let url = try PPLProcess.script("many.ppl", "let a = )\nlet b = 2\nlet c = ]\n")
    let r = try PPLProcess.run(["check", url.path])
    XCTAssertEqual(r.status, 65)
    XCTAssertEqual(r.stderr.components(separatedBy: "error:").count - 1, 2, r.stderr)
  }

  func testSeedMakesRunsReproducible() throws {
    let url = try PPLProcess.script("seed.ppl", """
      gen g() -> Real {
        let x ~ normal(0, 1)
        x
      }
      print(simulate(g, ()).retval, sample(gamma(2, 1)))
      """)
    let a = try PPLProcess.run(["run", url.path, "--seed", "42"]).stdout
    let b = try PPLProcess.run(["run", url.path, "--seed", "42"]).stdout
    let c = try PPLProcess.run(["run", url.path, "--seed", "43"]).stdout
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, c)
  }

  /// Particles and chains run in blocks with their own random streams, so the number of
  /// worker threads changes nothing (SMC with 1000 particles is four blocks of 256).
  func testResultsDoNotDependOnTheThreadCount() throws {
    let url = try PPLProcess.script("threads.ppl", """
      gen walk(ys: List[Real]) -> Real {
        var x = 0.0
        for t in 0..<len(ys) {
          let next ~ normal(0.9 * x, 1.0) @ ("x", t)
          observe(normal(next, 0.5), ys[t])
          x = next
        }
        x
      }
      let ys = [0.3, -0.2, 1.1, 0.8, 1.5]
      let post = smc(walk, (ys,), choicemap {}, particles: 1000, rejuvenate: |t| mh(t, select(("x", 0))))
      print(log_evidence(post), mean(post, ("x", 4)))
      let chains = mcmc(walk, (ys,), choicemap {}, |t| mh(t, select(("x", 2))), samples: 50, chains: 4)
      print(mean(chains, ("x", 2)), rhat(chains, ("x", 2)))
      let s = nuts(walk, (ys,), choicemap {}, warmup: 50, samples: 50, chains: 3)
      print(mean(s, ("x", 4)))
      """)
    let one = try PPLProcess.run(["run", url.path, "--seed", "7", "--threads", "1"])
    let four = try PPLProcess.run(["run", url.path, "--seed", "7", "--threads", "4"])
    XCTAssertEqual(one.status, 0, one.stderr)
    XCTAssertEqual(one.stdout.split(separator: "\n").count, 3, one.stdout)
    XCTAssertEqual(one.stdout, four.stdout)
    XCTAssertEqual(try PPLProcess.run(["run", url.path, "--threads", "0"]).status, 64)
  }

  func testScriptArguments() throws {
    let url = try PPLProcess.script("args.ppl", "print(args())\n")
    let r = try PPLProcess.run(["run", url.path, "--", "a", "--b", "3"])
    XCTAssertEqual(r.stdout, "[\"a\", \"--b\", \"3\"]\n")
  }

  func testCheckDoesNotRun() throws {
    let url = try PPLProcess.script("check.ppl", "print(\"ran\")\n")
    let r = try PPLProcess.run(["check", url.path])
    XCTAssertEqual(r.status, 0)
    XCTAssertEqual(r.stdout, "")
  }

  func testVersionAndHelp() throws {
    XCTAssertEqual(try PPLProcess.run(["--version"]).stdout, "ppl 0.1.0\n")
    let help = try PPLProcess.run(["--help"])
    XCTAssertEqual(help.status, 0)
    XCTAssertTrue(help.stdout.contains("run"), help.stdout)
  }

  /// The binary carries the standard library: it works from any directory.
  func testStdlibImportOutsideTheSourceTree() throws {
    let url = try PPLProcess.script("imp.ppl", "import stats\nprint(mean_of([2.0, 4.0]))\n")
    let r = try PPLProcess.run(["run", url.path], directory: URL(fileURLWithPath: "/"))
    XCTAssertEqual(r.stdout, "3.0\n", r.stderr)
  }

  func testFileImportsAreRelativeToTheImporter() throws {
    let main = try PPLProcess.script("main.ppl", "import \"lib/helpers.ppl\"\nprint(twice(2.5))\n")
    let lib = main.deletingLastPathComponent().appendingPathComponent("lib")
    try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
    try "fn twice(x: Real) -> Real { 2.0 * x }\n".write(to: lib.appendingPathComponent("helpers.ppl"), atomically: true, encoding: .utf8)
    XCTAssertEqual(try PPLProcess.run(["run", main.path], directory: URL(fileURLWithPath: "/")).stdout, "5.0\n")
  }
}
