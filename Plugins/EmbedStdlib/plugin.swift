import Foundation
import PackagePlugin

/// Generates `EmbeddedStdlib.swift`, holding the text of every `stdlib/*.ppl` file, so
/// the `PPL` library and the `ppl` binary carry the standard library inside them.
@main
struct EmbedStdlib: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let stdlib = context.package.directoryURL.appendingPathComponent("stdlib")
    let files = try FileManager.default.contentsOfDirectory(at: stdlib, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "ppl" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedStdlib.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(files.count) stdlib modules",
        executable: try context.tool(named: "StdlibEmbedder").url,
        arguments: [output.path] + files.map(\.path),
        inputFiles: files,
        outputFiles: [output])
    ]
  }
}
