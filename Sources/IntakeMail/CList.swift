import CEtpan

/// libetpan's linked list (`clist`) as a Swift array of typed element pointers.
enum CList {
    static func items<T>(_ list: UnsafeMutablePointer<clist>?, as: T.Type) -> [UnsafeMutablePointer<T>] {
        var result: [UnsafeMutablePointer<T>] = []
        var cell = list?.pointee.first
        while let current = cell {
            if let data = current.pointee.data { result.append(data.assumingMemoryBound(to: T.self)) }
            cell = current.pointee.next
        }
        return result
    }
}
