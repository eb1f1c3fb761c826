import Foundation

/// The program this process runs, as a path with symlinks resolved (Linux's `/proc/self/exe`):
/// what jsa-bench starts again as its own workers, children and helpers' neighbour.
public enum RunningExecutable {
    public static var url: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }
    public static var path: String { url.path }
}
