import Foundation
import XCTest

/// Runs the built `ppl` binary (it sits beside the test bundle).
struct PPLProcess {
  static let binary: URL = {
    var dir = Bundle.main.bundleURL
    if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
    for candidate in [dir, Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()] {
      let url = candidate.appendingPathComponent("ppl")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return dir.appendingPathComponent("ppl")
  }()

  final class Marker {}

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String], input: String = "", environment: [String: String]? = nil,
                  directory: URL? = nil) throws -> Result
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    // Standard error is drained beside standard output: a child that fills one pipe
    // while the test waits on the other would never finish.
    var err = Data()
    let drained = DispatchGroup()
    DispatchQueue.global().async(group: drained) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                  stderr: String(decoding: err, as: UTF8.self))
  }

  /// Writes a script into a fresh temporary directory.
  static func script(_ name: String, _ source: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ppl-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try source.write(to: url, atomically: true, encoding: .utf8)
    return url
  }
}
