import Foundation
import PPL

/// The read–eval–print loop (SPEC §10). Each input is checked and run against the
/// session's state; errors are shown and the session goes on unchanged.
struct Repl {
  var options: Interpreter.Options
  var ppl: Interpreter
  let interactive = isatty(0) != 0

  init(options: Interpreter.Options) {
    self.options = options
    self.ppl = Interpreter(options: options)
  }

  static let help = """
    Enter declarations, statements or expressions; input continues while brackets are open.
      :help          this help
      :type EXPR     show the type of an expression
      :load FILE     run a script in this session
      :reset         forget every definition
      :seed N        reseed the random generator
      :time EXPR     evaluate and show the elapsed time
      :ir EXPR       show the typed IR of an input
      :code EXPR     show the compiled machine code of an input
      :quit          leave (also Ctrl-D)

    """

  mutating func start() {
    var reader: LineReader = interactive ? ReadlineReader() : PlainReader()
    if interactive { print("PPL 0.1 — :help for commands, :quit to leave") }
    var buffer = ""
    while let line = reader.readLine(prompt: buffer.isEmpty ? "ppl> " : "...> ") {
      if buffer.isEmpty && line.trimmingCharacters(in: .whitespaces).hasPrefix(":") {
        reader.remember(line)
        if !command(line.trimmingCharacters(in: .whitespaces)) { break }
        continue
      }
      buffer += line + "\n"
      if buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        buffer = ""
        continue
      }
      if Interpreter.isIncomplete(buffer) { continue }
      reader.remember(buffer)
      evaluate(buffer)
      buffer = ""
    }
    if !buffer.isEmpty { evaluate(buffer) }
    reader.save()
  }

  func evaluate(_ source: String) {
    do {
      let result = try ppl.evaluate(source)
      for b in result.bindings { print("\(b.name): \(b.type) = \(ppl.format(b.value))") }
      if let (value, type) = result.value, type != "Unit" { print("\(type) = \(ppl.format(value))") }
    } catch {
      showError(error)
    }
  }

  func showError(_ error: Error) {
    FileHandle.standardError.write(Data(((error as? PPLError)?.rendered ?? "error: \(error)\n").utf8))
  }

  /// Runs a `:command`; returns false to leave.
  mutating func command(_ line: String) -> Bool {
    let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
    let name = parts[0], argument = parts.count > 1 ? parts[1] : ""
    switch name {
    case ":quit", ":q": return false
    case ":help", ":h": print(Repl.help, terminator: "")
    case ":type", ":t":
      do { print(try ppl.typeOf(argument)) } catch { showError(error) }
    case ":load", ":l":
      do { try ppl.load(path: argument.trimmingCharacters(in: .whitespaces)) } catch { showError(error) }
    case ":reset":
      ppl = Interpreter(options: options)
      print("session reset")
    case ":seed":
      guard let seed = UInt64(argument.trimmingCharacters(in: .whitespaces)) else {
        FileHandle.standardError.write(Data("error: :seed takes a non-negative integer\n".utf8))
        return true
      }
      ppl.seed(seed)
    case ":time":
      let start = DispatchTime.now()
      evaluate(argument)
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      print(String(format: "time: %.6f s", seconds))
    case ":ir":
      do { print(try ppl.irText(source: argument, name: "<repl>"), terminator: "") } catch { showError(error) }
    case ":code":
      do { print(try ppl.codeText(source: argument, name: "<repl>"), terminator: "") } catch { showError(error) }
    default:
      FileHandle.standardError.write(Data("error: unknown command '\(name)'; :help lists the commands\n".utf8))
    }
    return true
  }
}
