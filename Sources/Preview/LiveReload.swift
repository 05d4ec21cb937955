import Foundation

/// What `shots serve --watch` tells open pages: a version that grows with each rebuild, and the
/// last rebuild's one-line error while the site is broken (the last good pages stay served).
/// Pages learn it from `/_shots/live` through a small script injected into HTML, in this mode only.
public final class LiveReload: @unchecked Sendable {
    private let lock = NSLock()
    private var version = 0
    private var error: String?

    public init() {}

    public func rebuilt() { lock.withLock { version += 1; error = nil } }
    public func failed(_ reason: String) { lock.withLock { error = reason } }

    var state: (version: Int, error: String?) { lock.withLock { (version, error) } }

    static let path = "/_shots/live"

    /// The script added before `</body>`: polls the state, reloads on a new version, and shows the
    /// error in a banner while there is one.
    static let script = Data("""
        <script>/* shots serve --watch */(function(){var seen=null,banner=null;function tick(){fetch('\(path)',{cache:'no-store'}).then(function(r){return r.json()}).then(function(s){if(seen!==null&&s.version!==seen){location.reload();return}seen=s.version;if(s.error){if(!banner){banner=document.createElement('pre');banner.setAttribute('style','position:fixed;left:0;right:0;bottom:0;margin:0;padding:1em;background:#b00020;color:#fff;white-space:pre-wrap;z-index:99999');document.body.appendChild(banner)}banner.textContent='shots: the site does not build: '+s.error}else if(banner){banner.remove();banner=null}}).catch(function(){}).then(function(){setTimeout(tick,1000)})}tick()})();</script>
        """.utf8)

    /// `page` with the script before its last `</body>` (or at its end).
    static func inject(into page: Data) -> Data {
        guard let range = page.range(of: Data("</body>".utf8), options: .backwards) else { return page + script }
        var result = page
        result.replaceSubrange(range.lowerBound..<range.lowerBound, with: script)
        return result
    }
}
