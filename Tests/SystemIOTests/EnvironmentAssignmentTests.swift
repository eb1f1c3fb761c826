import Foundation
import SystemIO
import Testing

@Suite struct EnvironmentAssignmentTests {
    @Test func parsesNameAndEverythingAfterTheFirstEquals() throws {
        let forced = try EnvironmentAssignment(parsing: "JSA_AVX2_VARIANT=lane-permute")
        #expect(forced.name == "JSA_AVX2_VARIANT" && forced.value == "lane-permute")
        #expect(forced.description == "JSA_AVX2_VARIANT=lane-permute")
        let withEquals = try EnvironmentAssignment(parsing: "_X1=a=b")
        #expect(withEquals.name == "_X1" && withEquals.value == "a=b")
        #expect(try EnvironmentAssignment(parsing: "EMPTY=").value == "")
    }

    @Test func refusesWhatIsNoAssignmentInOneLine() {
        for (text, message) in [
            ("NAME", "'NAME' is not NAME=VALUE"),
            ("=value", "'' is not a variable name (letters, digits and _, not starting with a digit)"),
            ("1X=2", "'1X' is not a variable name (letters, digits and _, not starting with a digit)"),
            ("A-B=2", "'A-B' is not a variable name (letters, digits and _, not starting with a digit)"),
            ("É=1", "'É' is not a variable name (letters, digits and _, not starting with a digit)")
        ] {
            let error = #expect(throws: EnvironmentAssignment.ParseError.self) { try EnvironmentAssignment(parsing: text) }
            #expect(error?.description == message)
        }
    }

    @Test func changesSetEachVariableOnceAndRefuseTwice() throws {
        let changes = try EnvironmentAssignment.changes([.init(name: "A", value: "1"), .init(name: "B", value: "")])
        #expect(changes == ["A": "1", "B": ""])
        let error = #expect(throws: EnvironmentAssignment.ParseError.self) {
            try EnvironmentAssignment.changes([.init(name: "A", value: "1"), .init(name: "A", value: "2")])
        }
        #expect(error?.description == "A is assigned twice")
    }

    /// The changes reach the child: set, and left as inherited otherwise.
    @Test func aChildStartsWithTheChanges() throws {
        let changes = try EnvironmentAssignment.changes([try EnvironmentAssignment(parsing: "JSA_TEST_ASSIGNED=x=1")])
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo \"$JSA_TEST_ASSIGNED|$HOME\""], environment: changes)
        #expect(try child.readLine(timeout: 10) == "x=1|\(ProcessInfo.processInfo.environment["HOME"] ?? "")")
        #expect(child.wait() == .exited(0))
    }
}
