import ArgumentParser
import CMalloc
import Foundation
import PPL

/// The `ppl` command: the REPL without a subcommand, or run/check/ir/code.
struct PPLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ppl",
    abstract: "PPL: a statically typed probabilistic programming language.",
    discussion: "Without a subcommand, starts the REPL.",
    version: pplVersion,
    subcommands: [Run.self, Check.self, IRCommand.self, CodeCommand.self])

  func run() throws {
    var repl = Repl(options: .init())
    repl.start()
  }
}

let pplVersion = "ppl 0.1.0"

/// Exit codes of SPEC §9 (usage errors exit with 64 through ArgumentParser).
enum ExitStatus {
  static let runtime: Int32 = 1
  static let syntax: Int32 = 65
  static let noInput: Int32 = 66
}

func report(_ error: Error) -> Int32 {
  let text: String
  let code: Int32
  switch error {
  case let e as PPLError:
    text = e.rendered
    switch e.kind {
    case .syntax, .type: code = ExitStatus.syntax
    case .runtime: code = ExitStatus.runtime
    case .fileNotFound: code = ExitStatus.noInput
    }
  default:
    text = "error: \(error)\n"
    code = ExitStatus.runtime
  }
  FileHandle.standardError.write(Data(text.utf8))
  return code
}

func readSource(_ path: String) throws -> String {
  do {
    return try SourceReader.read(path)
  } catch {
    throw ExitCode(report(error))
  }
}

/// Prints what `listing` makes of a script (its IR, its code), or reports its errors.
func printListing(_ file: String, _ listing: (Interpreter, String) throws -> String) throws {
  let source = try readSource(file)
  do {
    print(try listing(Interpreter(options: .init(seed: 0)), source), terminator: "")
  } catch {
    throw ExitCode(report(error))
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Run a script.")

  @Argument(help: "The script to run.") var file: String
  @Option(help: "Seed for the random generator: the same seed gives the same run, bit for bit.") var seed: UInt64?
  @Option(help: "Stop the script with an error after this many seconds.") var timeLimit: Double?
  @Option(help: "Worker threads for parallel chains and particles (default: every core); results do not depend on it.")
  var threads: Int?
  @Option(help: "Stop the script with an error when the heap would pass this many GB (default: 3/4 of the memory available; inf for none).")
  var memoryLimit: Double?
  @Argument(parsing: .postTerminator, help: "Arguments after `--`, returned by args() in the script.")
  var scriptArguments: [String] = []

  func run() throws {
    let source = try readSource(file)
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    if let timeLimit, !(timeLimit >= 0) { throw ValidationError("--time-limit must be a non-negative number of seconds (inf for none)") }
    if let memoryLimit {
      guard memoryLimit > 0 else { throw ValidationError("--memory-limit must be a positive number of GB (inf for none)") }
      Interpreter.memoryLimit = memoryLimit * 1e9 < Double(Int.max) ? Int(memoryLimit * 1e9) : nil
    }
    let ppl = Interpreter(options: .init(seed: seed, timeLimit: timeLimit, threads: threads, arguments: scriptArguments))
    do {
      try ppl.load(source: source, name: file)
    } catch {
      throw ExitCode(report(error))
    }
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Parse and type-check scripts without running them.")

  @Argument(help: "The scripts to check.") var files: [String]

  func run() throws {
    var worst: Int32 = 0
    for file in files {
      do {
        let source = try SourceReader.read(file)
        _ = try Interpreter(options: .init(seed: 0)).checkUnit(source: source, name: file)
      } catch {
        worst = max(worst, report(error))
      }
    }
    if worst != 0 { throw ExitCode(worst) }
  }
}

struct IRCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "ir", abstract: "Print the typed IR of a script.")

  @Argument(help: "The script.") var file: String

  func run() throws {
    try printListing(file) { ppl, source in try ppl.irText(source: source, name: file) }
  }
}

struct CodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "code", abstract: "Print the compiled machine code of a script.")

  @Argument(help: "The script.") var file: String

  func run() throws {
    try printListing(file) { ppl, source in try ppl.codeText(source: source, name: file) }
  }
}

/// Keeps freed tensor buffers in the heap: by default glibc returns blocks over 128 KiB
/// to the kernel and maps them again, zeroing pages on every allocation.
func keepTensorMemory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20)  // the largest glibc accepts on 64-bit
  mallopt(M_TRIM_THRESHOLD, 512 << 20)
}

keepTensorMemory()
setvbuf(stdout, nil, _IOLBF, 0)
PPLCommand.main()
