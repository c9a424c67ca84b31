import Foundation

/// Reads many objects of the packs at once, inflating each object of their delta chains once.
///
/// Read one by one, the versions of a document cost a walk down their delta chain each: the object
/// itself is the end of a chain, and a base cache only keeps the bases it met on the way, so nearly
/// every read inflates its base's delta again. Here every wanted object's chain is followed through
/// the object headers first (no inflating), giving a forest of deltas: each tree is then read from
/// its root down, depth first, each delta applied to its base's bytes once, and the trees are shared
/// among threads (each with its own inflate stream). Every wanted object is hashed and compared
/// with its id before it is handed over, as `PackReader.object` does.
///
/// Whatever this cannot read (an object not in a pack, a chain through another pack, damage, a
/// subtree that would hold more than the memory budget) is left to the caller, which reads it one
/// by one (and through libgit2 when the packs cannot give it).
enum PackBatch {
  /// Bytes one thread may hold for the bases of the objects it has still to produce: beyond it, a
  /// subtree is left to the one-by-one reader.
  static let memoryBudget = 64 << 20

  /// One object of a chain: where it is, and its base (`parent`, -1 for an object that is no delta).
  private struct Node {
    var pack: Int
    var offset: Int
    var header: PackReader.Header
    /// Where a delta's instructions start (after the base's distance or id).
    var deltaStart: Int
    var parent: Int
  }

  /// Calls `deliver(index, object)` for each id of `ids` read from the packs whose bytes hash to it,
  /// from up to `threads` threads at once, in no particular order; returns the indices of the ids it
  /// did not deliver or that `deliver` refused (returned false for).
  ///
  /// - Parameter budget: bytes one thread may hold for bases (`memoryBudget`; smaller in tests).
  static func read(
    _ ids: [ObjectID], packs packSet: PackSet, threads: Int, budget: Int = memoryBudget,
    deliver: (Int, PackedObject) -> Bool
  ) -> [Int] {
    withoutActuallyEscaping(deliver) { deliver in
      read(ids, packSet: packSet, threads: threads, budget: budget, deliver: deliver)
    }
  }

  private static func read(
    _ ids: [ObjectID], packSet: PackSet, threads: Int, budget: Int, deliver: @escaping (Int, PackedObject) -> Bool
  ) -> [Int] {
    let packs = packSet.packs
    guard packSet.enabled, !packs.isEmpty, !ids.isEmpty else { return Array(ids.indices) }
    // 1. The chains, from each wanted object's header to a base that is no delta.
    var nodes: [Node] = []
    var nodeAt: [UInt64: Int] = [:]
    var wanted: [[Int]] = []  // node → indices of `ids`
    var wantedNodes: [Int] = []
    nodeAt.reserveCapacity(ids.count * 2)
    for (index, id) in ids.enumerated() {
      guard
        let (pack, offset) = withUnsafeBytes(
          of: id.raw,
          { raw in
            packs.indices.lazy.compactMap { pack in packs[pack].offset(of: raw.baseAddress!).map { (pack, $0) } }.first
          })
      else { continue }
      guard let node = chain(pack: pack, offset: offset, packs: packs, nodes: &nodes, nodeAt: &nodeAt) else {
        continue
      }
      while wanted.count < nodes.count { wanted.append([]) }
      if wanted[node].isEmpty { wantedNodes.append(node) }
      wanted[node].append(index)
    }
    while wanted.count < nodes.count { wanted.append([]) }
    // 2. The forest: children of each node, and the cost of each subtree (bytes to inflate).
    var children = [[Int]](repeating: [], count: nodes.count)
    var roots: [Int] = []
    for (number, node) in nodes.enumerated() {
      if node.parent >= 0 {
        children[node.parent].append(number)
      } else if node.header.type <= 4 {
        roots.append(number)
      }
    }
    var weight = nodes.map { $0.header.size + 64 }
    // Parents come after their children in `nodes` (a chain is recorded from the object down to
    // its root), except when a chain joins one recorded earlier: sum in an order that puts every
    // child before its parent.
    for number in postOrder(roots: roots, children: children) where nodes[number].parent >= 0 {
      weight[nodes[number].parent] += weight[number]
    }
    // 3. Tasks: whole trees, the heaviest split into their node and its subtrees (each derived
    // again from its root) until no task holds much more than its share of the work.
    struct Task {
      var node: Int
      var selfOnly: Bool
      var weight: Int
    }
    var tasks = roots.map { Task(node: $0, selfOnly: false, weight: weight[$0]) }
    let total = tasks.reduce(0) { $0 + $1.weight }
    if threads > 1 {
      let share = max(1, total / (threads * 4))
      var splits = 0
      while splits < threads * 64, let heaviest = tasks.indices.max(by: { tasks[$0].weight < tasks[$1].weight }),
        tasks[heaviest].weight > share, !tasks[heaviest].selfOnly, !children[tasks[heaviest].node].isEmpty
      {
        let task = tasks.remove(at: heaviest)
        if !wanted[task.node].isEmpty { tasks.append(Task(node: task.node, selfOnly: true, weight: 0)) }
        for child in children[task.node] { tasks.append(Task(node: child, selfOnly: false, weight: weight[child])) }
        splits += 1
      }
    }
    tasks.sort { $0.weight > $1.weight }
    // 4. Each thread takes the next task, derives its node and reads its subtree depth first.
    let delivered = DeliveredFlags(count: ids.count)
    let queue = TaskQueue(count: tasks.count)
    let frozenNodes = nodes
    let frozenChildren = children
    let frozenWanted = wanted
    let frozenTasks = tasks
    let work = { (reader: PackReader) in
      let walker = Walker(
        reader: reader, nodes: frozenNodes, children: frozenChildren, wanted: frozenWanted, ids: ids,
        delivered: delivered, budget: budget, deliver: deliver)
      while let next = queue.next() {
        let task = frozenTasks[next]
        walker.run(from: task.node, selfOnly: task.selfOnly)
      }
    }
    let count = max(1, min(threads, tasks.count))
    if count == 1 {
      work(PackReader(packs: packSet))
    } else {
      nonisolated(unsafe) let shared = work
      DispatchQueue.concurrentPerform(iterations: count) { _ in shared(PackReader(packs: packSet)) }
    }
    return ids.indices.filter { !delivered[$0] }
  }

  /// Records the chain from the object at `offset` down to a base that is no delta (or to a node
  /// already recorded); returns the object's node, or nil when its header or a base's cannot be read.
  private static func chain(
    pack: Int, offset start: Int, packs: [Pack], nodes: inout [Node], nodeAt: inout [UInt64: Int]
  ) -> Int? {
    func key(_ pack: Int, _ offset: Int) -> UInt64 { UInt64(pack) << 48 | UInt64(offset) }
    guard start < 1 << 48, pack < 1 << 15 else { return nil }
    if let known = nodeAt[key(pack, start)] { return known }
    let file = packs[pack].data.bytes
    let end = file.count - 20
    var offset = start
    var previous = -1
    var first: Int?
    var length = 0
    while true {
      if let known = nodeAt[key(pack, offset)] {
        if previous >= 0 { nodes[previous].parent = known }
        break
      }
      guard length < PackReader.maximumChain, let header = PackReader.header(file, at: offset, end: end) else {
        return nil
      }
      length += 1
      var node = Node(pack: pack, offset: offset, header: header, deltaStart: header.dataStart, parent: -1)
      var base: Int?
      switch header.type {
      case 1...4:
        break
      case 6:
        guard let (found, instructions) = PackReader.offsetDeltaBase(file, header: header, at: offset, end: end)
        else { return nil }
        node.deltaStart = instructions
        base = found
      case 7:
        // A base by id: followed only in the same pack (elsewhere the one-by-one reader finds it).
        guard header.dataStart + 20 <= end, let found = packs[pack].offset(of: file.baseAddress! + header.dataStart)
        else { return nil }
        node.deltaStart = header.dataStart + 20
        base = found
      default:
        return nil
      }
      let number = nodes.count
      nodes.append(node)
      nodeAt[key(pack, offset)] = number
      if previous >= 0 { nodes[previous].parent = number }
      if first == nil { first = number }
      previous = number
      guard let base else { break }
      offset = base
    }
    return first
  }

  /// Every node reachable from `roots`, children before their parents.
  private static func postOrder(roots: [Int], children: [[Int]]) -> [Int] {
    var order: [Int] = []
    var stack: [(node: Int, next: Int)] = roots.map { ($0, 0) }
    while let top = stack.last {
      if top.next < children[top.node].count {
        stack[stack.count - 1].next += 1
        stack.append((children[top.node][top.next], 0))
      } else {
        order.append(top.node)
        stack.removeLast()
      }
    }
    return order
  }

  /// One thread's reading: derives a task's node from its root, then produces its subtree depth first.
  private struct Walker {
    let reader: PackReader
    let nodes: [Node]
    let children: [[Int]]
    let wanted: [[Int]]
    let ids: [ObjectID]
    let delivered: DeliveredFlags
    let budget: Int
    let deliver: (Int, PackedObject) -> Bool

    func run(from start: Int, selfOnly: Bool) {
      guard let object = derive(start) else { return }
      hand(object, of: start)
      if selfOnly { return }
      // Depth first; a base is kept only while it has children left to produce.
      var stack: [(node: Int, object: PackedObject, next: Int)] = []
      var held = 0
      if !children[start].isEmpty {
        stack.append((start, object, 0))
        held += object.count
      }
      while let top = stack.last {
        let child = children[top.node][top.next]
        if top.next + 1 == children[top.node].count {
          stack.removeLast()
          held -= top.object.count
        } else {
          stack[stack.count - 1].next += 1
        }
        guard let produced = apply(child, to: top.object) else { continue }
        hand(produced, of: child)
        if !children[child].isEmpty && held + produced.count <= budget {
          stack.append((child, produced, 0))
          held += produced.count
        }
      }
    }

    /// Hands the object to every index that wants it, once its bytes hash to the id.
    private func hand(_ object: PackedObject, of node: Int) {
      for index in wanted[node] {
        if object.verifiedID != ids[index] {
          guard ObjectHash.id(kind: object.kind, content: object.bytes) == ids[index] else { continue }
          object.verifiedID = ids[index]
        }
        if deliver(index, object) { delivered.set(index) }
      }
    }

    /// The node's object, from its root down its chain.
    private func derive(_ node: Int) -> PackedObject? {
      var path = [node]
      while nodes[path.last!].parent >= 0 { path.append(nodes[path.last!].parent) }
      let root = nodes[path.last!]
      guard root.header.type <= 4, let kind = PackedObject.Kind(rawValue: root.header.type) else { return nil }
      let file = reader.packs[root.pack].data.bytes
      guard
        var current = reader.inflate(
          file, from: root.header.dataStart, end: file.count - 20, count: root.header.size, kind: kind)
      else { return nil }
      for step in path.dropLast().reversed() {
        guard let next = apply(step, to: current) else { return nil }
        current = next
      }
      return current
    }

    /// The delta `node` applied to its base's bytes.
    private func apply(_ node: Int, to base: PackedObject) -> PackedObject? {
      let delta = nodes[node]
      let file = reader.packs[delta.pack].data.bytes
      guard
        let instructions = reader.inflate(
          file, from: delta.deltaStart, end: file.count - 20, count: delta.header.size, kind: .blob)
      else { return nil }
      return Delta.apply(instructions.bytes, to: base)
    }
  }
}

/// Which ids were delivered: one flag per id, each set by the one thread that delivers it.
private final class DeliveredFlags: @unchecked Sendable {
  private let flags: UnsafeMutablePointer<Bool>
  private let count: Int

  init(count: Int) {
    self.count = count
    flags = .allocate(capacity: max(count, 1))
    flags.initialize(repeating: false, count: max(count, 1))
  }

  deinit { flags.deallocate() }

  func set(_ index: Int) { flags[index] = true }
  /// Read after every thread has finished (the join publishes the writes).
  subscript(index: Int) -> Bool { flags[index] }
}

/// Hands out task numbers, one at a time, under a lock.
private final class TaskQueue: @unchecked Sendable {
  private let lock = NSLock()
  private var position = 0
  private let count: Int

  init(count: Int) { self.count = count }

  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard position < count else { return nil }
    position += 1
    return position - 1
  }
}
