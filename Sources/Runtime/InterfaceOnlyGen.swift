extension Code {
  /// The code of a gen defined by its interface alone (`marginal`, `normalize`): the
  /// GFI builtins recognise the code and run their own implementation; run as a body
  /// (a traced call `~ g(…)`), it fails with `message`.
  public static func interfaceOnlyGen(name: String, parameterCount: Int, message: String) -> Code {
    var a = Assembler()
    a.emit(.callBuiltin(parameterCount, 0, 0, 0))
    a.emit(.ret(parameterCount))
    let code = a.assemble(name: name, isGen: true, parameterCount: parameterCount, registerCount: parameterCount + 1,
                          builtins: [BuiltinFunction(name: name) { _, c in throw c.fail(message) }])
    code.isInterfaceOnly = true
    return code
  }
}
