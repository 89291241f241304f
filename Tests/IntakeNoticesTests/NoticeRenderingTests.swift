import XCTest

@testable import IntakeNotices
