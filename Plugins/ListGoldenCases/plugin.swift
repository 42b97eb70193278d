import Foundation
import PackagePlugin

/// Generates `GoldenCases.swift`: one `GoldenTests` method per `Tests/golden/**/*.ppl`
/// file, so each golden is its own XCTest case.
@main
struct ListGoldenCases: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let root = context.package.directoryURL.appendingPathComponent("Tests/golden")
    guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
      throw PluginError.unreadable(root.path)
    }
    let files = walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "ppl" }.sorted { $0.path < $1.path }
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("GoldenCases.swift")
    return [
      .buildCommand(
        displayName: "Listing \(files.count) golden cases",
        executable: try context.tool(named: "GoldenCaseLister").url,
        arguments: [output.path, root.path] + files.map(\.path),
        inputFiles: files,
        outputFiles: [output])
    ]
  }
}

enum PluginError: Error, CustomStringConvertible {
  case unreadable(String)
  var description: String {
    switch self {
    case .unreadable(let path): "cannot read \(path)"
    }
  }
}
