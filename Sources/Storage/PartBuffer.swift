import Foundation

/// Memory for one part, mapped from the kernel and unmapped when its upload is done. With
/// malloc, glibc raises its mmap threshold after the first 8 MiB block is freed and serves later
/// parts from per-thread arenas, which keep the memory: a 1 GB upload then held about 200 MiB
/// instead of the few parts in flight.
enum PartBuffer {
    static func allocate(_ size: Int) -> UnsafeMutableRawBufferPointer {
        let pointer = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let pointer, pointer != MAP_FAILED else { fatalError("cannot map \(size >> 20) MiB for an upload part") }
        return UnsafeMutableRawBufferPointer(start: pointer, count: size)
    }

    static func release(_ buffer: UnsafeMutableRawBufferPointer) {
        munmap(buffer.baseAddress, buffer.count)
    }

    /// The part's bytes as `Data` without a copy; the mapping goes when the `Data` does.
    static func data(_ buffer: UnsafeMutableRawBufferPointer, count: Int) -> Data {
        let size = buffer.count
        return Data(bytesNoCopy: buffer.baseAddress!, count: count, deallocator: .custom { pointer, _ in munmap(pointer, size) })
    }
}
