import XCTest

@testable import Runtime

/// Hand-written machine code names its jump targets; the listing shows where they land.
final class AssemblerTests: XCTestCase {
  func testUnfoldLoopJumpsResolveToTheirLabels() {
    let listing = CodePrinter.print(Unfold.code) { "global \($0)" }
    XCTAssertTrue(listing.contains("0005    -  jumpUnlessLessInt r4 < r2 else -> 0012"), listing)
    XCTAssertTrue(listing.contains("0011    -  loop              -> 0005"), listing)
    XCTAssertTrue(listing.contains("0012    -  ret               r3"), listing)
  }
}
