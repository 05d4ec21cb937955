import Foundation
import Testing

@testable import Daemon

@Suite("daemon parts: the browser guard, the job's process group")
struct DaemonPartsTests {
    @Test("what a browser sends is refused; what curl sends, to a loopback name, is not")
    func browserGuard() {
        func refused(origin: String? = nil, fetchSite: String? = nil, accept: String? = "*/*", host: String? = "127.0.0.1:8080", checkHost: Bool = true) -> Bool {
            BrowserGuard.refusal(origin: origin, fetchSite: fetchSite, accept: accept, host: host, checkHost: checkHost) != nil
        }
        #expect(!refused())
        for host in ["localhost:8080", "LOCALHOST", "[::1]:8080", "[::1]", "127.0.0.1"] { #expect(!refused(host: host), "\(host)") }
        for host in ["evil.example:8080", "127.0.0.1.evil.example", "[::2]:80", "0.0.0.0:8080", "[::1"] { #expect(refused(host: host), "\(host)") }
        #expect(!refused(host: "evil.example", checkHost: false), "with a token, any Host")
        #expect(refused(origin: "http://127.0.0.1:8080"), "even a page on loopback: the daemon serves none")
        #expect(!refused(fetchSite: "none"), "typed into the address bar")
        #expect(refused(fetchSite: "same-site"))
        #expect(refused(accept: "image/avif,image/webp,*/*"))
        #expect(refused(accept: "text/html,application/xhtml+xml"))
        #expect(!refused(accept: nil))
        #expect(BrowserGuard.isLoopback(name: "::1") && BrowserGuard.isLoopback(name: "[::1]") && !BrowserGuard.isLoopback(name: "0.0.0.0"))
    }

    @Test("a /proc/PID/stat line is read after the command's last parenthesis; zombies do not count")
    func procStat() {
        func line(_ text: String) -> Data { Data(text.utf8) }
        #expect(ProcessGroup.isRunning(stat: line("4242 (sh) S 1 4242 4242 0 -1 4194560"), inGroup: 4242))
        #expect(!ProcessGroup.isRunning(stat: line("4242 (sh) S 1 4243 4243 0 -1 4194560"), inGroup: 4242))
        #expect(!ProcessGroup.isRunning(stat: line("4250 (python3) Z 1 4242 4242 0 -1 4194560"), inGroup: 4242))
        #expect(ProcessGroup.isRunning(stat: line("4251 (odd) S (name) R 1 4242 4242 0"), inGroup: 4242), "a name holding \") \"")
        var cut = Data("4252 (".utf8) + Data([0xE2, 0x82]) + Data(") S 1 4242 4242 0".utf8)  // a name cut inside a UTF-8 character
        #expect(ProcessGroup.isRunning(stat: cut, inGroup: 4242))
        cut = Data("garbage".utf8)
        #expect(!ProcessGroup.isRunning(stat: cut, inGroup: 4242))
    }
}
