import Foundation
import PackagePlugin

/// Compiles the shipped themes (the package's `templates/`) into the target it is applied to, so
/// a `shots` binary needs no folder beside it; nothing generated is committed.
///
/// The command's inputs are every file and folder under `templates/`, so an edited theme file
/// runs it again. SwiftPM lists those inputs only when it plans a build, and plans again when a
/// target's folder gains or loses a file; `templates` in this plugin's folder is a link to the
/// package's `templates/`, which makes a theme file added or removed such a change. Without it,
/// an added file would be missed and a removed one would fail the build ("missing inputs").
@main
struct EmbedThemes: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        let templates = package.appending(path: "templates")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedThemeFiles.swift")
        var inputs = [templates]
        if let walk = FileManager.default.enumerator(at: templates, includingPropertiesForKeys: nil) {
            for case let url as URL in walk { inputs.append(url) }
        }
        // A POSIX shell script: it takes milliseconds and needs no tool compiled first.
        return [.buildCommand(
            displayName: "Embedding the themes of templates/",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: [package.appending(path: "Plugins/EmbedThemes/embed-themes.sh").path, templates.path, output.path],
            inputFiles: inputs + [package.appending(path: "Plugins/EmbedThemes/embed-themes.sh")],
            outputFiles: [output]
        )]
    }
}
