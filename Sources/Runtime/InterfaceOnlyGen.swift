import Syntax

extension Code {
  /// The code of a gen defined by its interface alone (`marginal`, `normalize`): the
  /// GFI builtins recognise the code and run their own implementation; run as a body
  /// (a traced call `~ g(…)`), it fails with `message`.
  public static func interfaceOnlyGen(name: String, parameterCount: Int, message: String) -> Code {
    let code = Code(name: name, isGen: true, span: Span(file: nil, start: 0, end: 0), parameterCount: parameterCount)
    code.isInterfaceOnly = true
    code.builtins = [BuiltinFunction(name: name) { _, c in throw c.fail(message) }]
    code.instructions = [.callBuiltin(parameterCount, 0, 0, 0), .ret(parameterCount)]
    code.spans = Array(repeating: code.span, count: code.instructions.count)
    code.registerCount = parameterCount + 1
    code.seal()
    return code
  }
}
