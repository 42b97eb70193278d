import PPL

/// libFuzzer's entry point: the input is a program's text, run through the lexer,
/// parser, checker and interpreter in a sandbox with limits. A PPL error is a normal
/// outcome; only a crash (or a sanitizer report) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let ppl = Interpreter(options: .init(seed: 1, allowFileIO: false, maxSteps: 50_000, maxDepth: 200, timeLimit: 2, output: { _ in }))
  _ = try? ppl.load(source: source, name: "fuzz.ppl")
  return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer.
@_cdecl("PPLFuzz_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var count = argc
  var arguments = argv
  return runFuzzerDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
