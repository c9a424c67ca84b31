import Foundation
import JSONSchema

/// The documents of a repository and the references between them (`keel graph`): one node per
/// document, one edge per value of an `x-keel-ref` field that names another document. References
/// to people, teams and terms, and values that name nothing (`ref/unknown`), are not edges.
public struct ReferenceGraph: Sendable, Equatable {
  public struct Node: Sendable, Hashable {
    /// What edges and `--around` call the document: its `id-field` value, else (no id, or one
    /// another document has too) its path.
    public var key: String
    /// The `id-field` value as written; nil without one.
    public var id: String?
    /// The document's path from keel.yaml's folder; a folder document's folder.
    public var path: String
    /// The file holding its fields: `path`, or a folder document's metadata file.
    public var file: String
    public var kind: String
    /// Its workflow field's value; nil without a workflow or a value.
    public var state: String?
    /// The state is a final one of its workflow (archived, superseded).
    public var isFinal: Bool
    /// The `title` field, else the first level-1 heading of the body; nil without either.
    public var title: String?
  }

  public struct Edge: Sendable, Hashable, Comparable {
    /// Node keys.
    public var from: String
    public var to: String
    /// The reference field (`depends-on`).
    public var field: String

    public static func < (lhs: Edge, rhs: Edge) -> Bool {
      (lhs.from, lhs.field, lhs.to) < (rhs.from, rhs.field, rhs.to)
    }
  }

  /// The commit the graph was read from; nil for the working tree.
  public var revision: String?
  /// Sorted by path.
  public var nodes: [Node]
  /// Sorted by referring node, field and target; one per distinct (from, to, field).
  public var edges: [Edge]

  public init(revision: String?, nodes: [Node], edges: [Edge]) {
    self.revision = revision
    self.nodes = nodes
    self.edges = edges
  }

  /// The graph of every document `context` holds, with the edges its reference index resolves.
  public static func build(context: CheckContext, revision: String?) -> ReferenceGraph {
    let config = context.config
    // Paths, not documents, are sorted: a `Document` is large, and copying it costs.
    let paths = context.documents.keys.sorted()
    var kinds: [String: KindConfig] = [:]
    for kind in config.kinds { kinds[kind.name] = kinds[kind.name] ?? kind }
    var idCount: [String: Int] = [:]
    for document in context.documents.values {
      guard let kind = document.kind.flatMap({ kinds[$0] }), let id = document.field(kind.idField), !id.isEmpty
      else { continue }
      idCount[id, default: 0] += 1
    }
    var keys: [String: String] = [:]
    keys.reserveCapacity(paths.count)
    var nodes: [Node] = []
    nodes.reserveCapacity(paths.count)
    for path in paths {
      guard let document = context.documents[path], let kindName = document.kind, let kind = kinds[kindName]
      else { continue }
      let id = document.field(kind.idField).flatMap { $0.isEmpty ? nil : $0 }
      let folder = kind.folder(ofMetadata: path) ?? path
      let key = id.flatMap { idCount[$0] == 1 ? $0 : nil } ?? folder
      keys[path] = key
      let workflow = context.kindResources.workflows[kindName]
      let state = workflow.flatMap { document.field($0.field) }
      nodes.append(
        Node(
          key: key, id: id, path: folder, file: path, kind: kindName, state: state,
          isFinal: state.flatMap { workflow?.state(named: $0)?.isFinal } ?? false, title: title(of: document)))
    }
    var edges = Set<Edge>()
    let index = context.references
    for path in paths {
      guard let document = context.documents[path], let kind = document.kind,
        let fields = index.fieldsByKind[kind], let from = keys[path]
      else { continue }
      for field in fields where field.namesDocuments {
        for (value, _) in field.values(in: document) {
          guard let target = index.documentTarget(value, field: field, from: path, config: config),
            let to = keys[target.path]
          else { continue }
          edges.insert(Edge(from: from, to: to, field: field.name))
        }
      }
    }
    return ReferenceGraph(revision: revision, nodes: nodes, edges: edges.sorted())
  }

  /// A node's title: the `title` field, else the first level-1 heading of the body.
  static func title(of document: Document) -> String? {
    document.field("title") ?? (document.format.isData ? nil : document.body.headings.first { $0.level == 1 }?.text)
  }

  /// Whether `build` needs the body of `document`, read for its fields only (`KindFields`): it has
  /// no `title` field, and a body (its front matter was cut from it, or it is a folder document).
  public static func needsBody(of document: Document, config: KeelConfig) -> Bool {
    guard document.field("title") == nil else { return false }
    return document.format == .frontMatter
      || document.kind.flatMap(config.kind(named:))?.bodyPath(ofDocument: document.path) != nil
  }

  /// The node `name` names: by id (or key), else by path (a folder document's folder, with or
  /// without a trailing `/`, or its metadata file; a leading `./` ignored).
  public func node(named name: String) -> Node? {
    if let found = nodes.first(where: { $0.key == name || $0.id == name }) { return found }
    var path = name.hasPrefix("./") ? String(name.dropFirst(2)) : name
    if path.hasSuffix("/") { path.removeLast() }
    return nodes.first { $0.path == path || $0.file == path }
  }

  /// Every id and path, for "did you mean".
  public var names: [String] { nodes.flatMap { [$0.key] + ($0.id.map { [$0] } ?? []) + [$0.path] } }

  /// The part of the graph within `depth` references of `center` (a node key), following edges
  /// both ways: the documents it names and those that name it, and so on.
  public func around(_ center: String, depth: Int) -> ReferenceGraph {
    var neighbours: [String: [String]] = [:]
    for edge in edges {
      neighbours[edge.from, default: []].append(edge.to)
      neighbours[edge.to, default: []].append(edge.from)
    }
    var kept: Set<String> = [center]
    var frontier = [center]
    for _ in 0..<max(0, depth) {
      var next: [String] = []
      for key in frontier {
        for neighbour in neighbours[key] ?? [] where kept.insert(neighbour).inserted { next.append(neighbour) }
      }
      if next.isEmpty { break }
      frontier = next
    }
    return ReferenceGraph(
      revision: revision, nodes: nodes.filter { kept.contains($0.key) },
      edges: edges.filter { kept.contains($0.from) && kept.contains($0.to) })
  }
}

// MARK: - Rendering

extension ReferenceGraph {
  public enum Format: String, CaseIterable, Sendable {
    case dot, mermaid, json, svg
  }

  public func render(_ format: Format) -> String {
    switch format {
    case .dot: dot
    case .mermaid: mermaid
    case .json: JSONText.render(json) + "\n"
    case .svg: ReferenceGraphSVG.render(self)
    }
  }

  /// `{"revision", "nodes": [{"id", "path", "kind", "state", "title"}], "edges": [{"from", "to", "field"}]}`;
  /// a node's `id` and an edge's ends are node keys (the id, or the path of a document without one).
  public var json: JSONValue {
    func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    return .object(
      JSONObject([
        ("revision", optional(revision)),
        (
          "nodes",
          .array(
            nodes.map { node in
              .object(
                JSONObject([
                  ("id", .string(node.key)), ("path", .string(node.path)), ("kind", .string(node.kind)),
                  ("state", optional(node.state)), ("title", optional(node.title)),
                ]))
            })
        ),
        (
          "edges",
          .array(
            edges.map { edge in
              .object(
                JSONObject([("from", .string(edge.from)), ("to", .string(edge.to)), ("field", .string(edge.field))]))
            })
        ),
      ]))
  }

  /// Graphviz: one box per document (id, title; filled with its state's colour), one arrow per
  /// reference, from the referring document, labelled with the field.
  public var dot: String {
    var text = "digraph keel {\n  rankdir=RL;\n"
    text += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
    text += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n"
    for node in nodes {
      let label = [node.key, node.title, node.state.map { "(\($0))" }].compactMap { $0 }.map(TextKit.dot)
      text += "  \"\(TextKit.dot(node.key))\" [label=\"\(label.joined(separator: "\\n"))\", "
      text +=
        "fillcolor=\"\(Self.colour(of: node))\"\(node.isFinal ? ", color=\"#888888\", fontcolor=\"#555555\"" : "")"
      text += ", tooltip=\"\(TextKit.dot(node.path))\"];\n"
    }
    for edge in edges {
      text += "  \"\(TextKit.dot(edge.from))\" -> \"\(TextKit.dot(edge.to))\" [label=\"\(TextKit.dot(edge.field))\"];\n"
    }
    return text + "}\n"
  }

  /// A Mermaid flowchart: nodes `n0`, `n1`, … in path order, labels entity-encoded
  /// (`TextKit.mermaid`), one class per state for its colour.
  public var mermaid: String {
    var text = "flowchart RL\n"
    var number: [String: Int] = [:]
    for (offset, node) in nodes.enumerated() {
      number[node.key] = offset
      let label = [node.key, node.title, node.state.map { "(\($0))" }].compactMap { $0 }.map(TextKit.mermaid)
      text += "  n\(offset)[\"\(label.joined(separator: "<br/>"))\"]\n"
    }
    for edge in edges {
      guard let from = number[edge.from], let to = number[edge.to] else { continue }
      text += "  n\(from) -->|\"\(TextKit.mermaid(edge.field))\"| n\(to)\n"
    }
    // One class per colour (states can be any text: classes are numbered, not named after them).
    var classes: [String: [Int]] = [:]
    for (offset, node) in nodes.enumerated() { classes[Self.colour(of: node), default: []].append(offset) }
    for (offset, colour) in classes.keys.sorted().enumerated() {
      text += "  classDef c\(offset) fill:\(colour),stroke:#555555\n"
      text += "  class \(classes[colour]!.map { "n\($0)" }.joined(separator: ",")) c\(offset)\n"
    }
    return text
  }

  /// The fill of a node: a fixed colour for the usual states (drafts grey, reviews amber, approved
  /// and accepted green, shipped blue), grey for final states, white without a state, and for any
  /// other state one of a few pastels chosen by its name (the same state always gets the same colour).
  public static func colour(of node: Node) -> String {
    guard let state = node.state else { return "#ffffff" }
    if node.isFinal { return "#d0d0d0" }
    if let known = stateColours[state.lowercased()] { return known }
    var hash: UInt32 = 2_166_136_261
    for byte in state.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
    return palette[Int(hash % UInt32(palette.count))]
  }

  static let stateColours: [String: String] = [
    "draft": "#eeeeee", "proposed": "#fdf3d0", "provisional": "#fdf3d0", "review": "#ffd98a",
    "in-review": "#ffd98a", "approved": "#b9e4c3", "accepted": "#b9e4c3", "active": "#b9e4c3",
    "implementable": "#b9e4c3", "shipped": "#a9cbf2", "implemented": "#a9cbf2", "done": "#a9cbf2",
  ]

  static let palette = ["#e8d5f2", "#d5e8f2", "#f2e0d5", "#d9f2d5", "#f2d5dd", "#e5f2d5"]
}

/// A self-contained SVG of a `ReferenceGraph`, with a layered layout of our own: documents that
/// name nothing on the left, each referring document one column right of the rightmost one it
/// names (references that close a cycle are drawn but do not place), documents in a column ordered
/// by the mean row of what they name, then by path. Deterministic: the same graph, the same bytes.
public enum ReferenceGraphSVG {
  static let nodeWidth = 210.0
  static let nodeHeight = 50.0
  static let columnGap = 110.0
  static let rowGap = 22.0
  static let margin = 24.0
  static let legendHeight = 34.0
  /// Titles longer than this many characters are cut, with `…`.
  static let titleLength = 30

  /// Column of each node (by index into `graph.nodes`): 0 for a node naming nothing, else one more
  /// than the largest column among the nodes it names. Edges that close a cycle (found by a
  /// depth-first walk in path order) are left out; iterative, so a chain of 10,000 does not exhaust the stack.
  static func columns(_ graph: ReferenceGraph) -> [Int] {
    let count = graph.nodes.count
    var index: [String: Int] = [:]
    for (offset, node) in graph.nodes.enumerated() { index[node.key] = offset }
    var out = [[Int]](repeating: [], count: count)
    for edge in graph.edges {
      guard let from = index[edge.from], let to = index[edge.to], from != to else { continue }
      out[from].append(to)
    }
    // 0: not seen, 1: on the walk's path, 2: done.
    var mark = [UInt8](repeating: 0, count: count)
    var column = [Int](repeating: 0, count: count)
    for root in 0..<count where mark[root] == 0 {
      var stack: [(node: Int, next: Int)] = [(root, 0)]
      mark[root] = 1
      while let top = stack.last {
        if top.next < out[top.node].count {
          stack[stack.count - 1].next += 1
          let target = out[top.node][top.next]
          if mark[target] == 0 {
            mark[target] = 1
            stack.append((target, 0))
          }
          continue
        }
        // Every target is done (or on the path: a cycle, not counted).
        var value = 0
        for target in out[top.node] where mark[target] == 2 { value = max(value, column[target] + 1) }
        column[top.node] = value
        mark[top.node] = 2
        stack.removeLast()
      }
    }
    return column
  }

  /// Each column's nodes, top to bottom. Column by column from the left, each node goes by the
  /// mean row of the nodes it names in earlier columns; then from the right, by the mean row of the
  /// nodes naming it in later columns; then from the left again (the barycentre heuristic, three
  /// sweeps). A node with no neighbour on that side keeps its place after those that have one; ties
  /// keep the order they had (path order at the start).
  static func rows(_ graph: ReferenceGraph, columns: [Int]) -> [[Int]] {
    let width = (columns.max() ?? -1) + 1
    var layers = [[Int]](repeating: [], count: width)
    for (offset, column) in columns.enumerated() { layers[column].append(offset) }
    var index: [String: Int] = [:]
    for (offset, node) in graph.nodes.enumerated() { index[node.key] = offset }
    var targets = [[Int]](repeating: [], count: graph.nodes.count)
    var sources = [[Int]](repeating: [], count: graph.nodes.count)
    for edge in graph.edges {
      guard let from = index[edge.from], let to = index[edge.to], columns[from] != columns[to] else { continue }
      targets[from].append(to)
      sources[to].append(from)
    }
    var row = [Int](repeating: 0, count: graph.nodes.count)
    func place(_ column: Int) { for (position, node) in layers[column].enumerated() { row[node] = position } }
    func sort(_ column: Int, by neighbours: [[Int]]) {
      let weights = layers[column].map { node -> Double in
        let placed = neighbours[node]
        guard !placed.isEmpty else { return .infinity }
        return Double(placed.map { row[$0] }.reduce(0, +)) / Double(placed.count)
      }
      layers[column] = zip(layers[column], weights).enumerated().sorted {
        ($0.element.1, $0.offset) < ($1.element.1, $1.offset)
      }.map(\.element.0)
      place(column)
    }
    for column in layers.indices { place(column) }
    for column in layers.indices.dropFirst() { sort(column, by: targets) }
    for column in layers.indices.reversed().dropFirst() { sort(column, by: sources) }
    for column in layers.indices.dropFirst() { sort(column, by: targets) }
    return layers
  }

  public static func render(_ graph: ReferenceGraph) -> String {
    let columns = columns(graph)
    let layers = rows(graph, columns: columns)
    var origin = [(x: Double, y: Double)](repeating: (0, 0), count: graph.nodes.count)
    for (column, layer) in layers.enumerated() {
      for (row, node) in layer.enumerated() {
        origin[node] = (
          margin + Double(column) * (nodeWidth + columnGap),
          margin + legendHeight + Double(row) * (nodeHeight + rowGap)
        )
      }
    }
    let tallest = layers.map(\.count).max() ?? 0
    // The legend: each state once (a final one in grey), "no state" for documents without one.
    var legend: [String: String] = [:]
    for node in graph.nodes { legend[node.state.map(cut) ?? "no state"] = ReferenceGraph.colour(of: node) }
    let states = legend.sorted { $0.key < $1.key }
    let legendWidth = states.map { 30 + Double($0.key.count) * 7 }.reduce(0, +)
    let width = max(
      2 * margin + Double(layers.count) * nodeWidth + Double(max(0, layers.count - 1)) * columnGap,
      2 * margin + legendWidth, 320)
    let height = 2 * margin + legendHeight + Double(tallest) * nodeHeight + Double(max(0, tallest - 1)) * rowGap
    func fmt(_ value: Double) -> String {
      value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
      viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
      <title>Documents and references\(graph.revision.map { " at " + TextKit.xml($0) } ?? "")</title>
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" \
      orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555555"/></marker></defs>
      <rect width="100%" height="100%" fill="#ffffff"/>

      """
    // Every node and edge writes a few hundred bytes: one allocation for the whole picture.
    svg.reserveCapacity(svg.utf8.count + 64 * states.count + 480 * graph.nodes.count + 300 * graph.edges.count)
    // The legend: one swatch per state.
    var legendX = margin
    for (name, colour) in states {
      svg += "<rect x=\"\(fmt(legendX))\" y=\"\(fmt(margin))\" width=\"14\" height=\"14\" rx=\"3\" fill=\"\(colour)\" "
      svg +=
        "stroke=\"#555555\"/><text x=\"\(fmt(legendX + 20))\" y=\"\(fmt(margin + 11))\">\(TextKit.xml(name))</text>\n"
      legendX += 30 + Double(name.count) * 7
    }
    var index: [String: Int] = [:]
    for (offset, node) in graph.nodes.enumerated() { index[node.key] = offset }
    // Edges under the nodes: from the referring document's left side to the named one's right side.
    for edge in graph.edges {
      guard let from = index[edge.from], let to = index[edge.to] else { continue }
      let start = (x: origin[from].x, y: origin[from].y + nodeHeight / 2)
      let end = (x: origin[to].x + nodeWidth, y: origin[to].y + nodeHeight / 2)
      let path: String
      if from == to {
        path =
          "M \(fmt(start.x)) \(fmt(start.y - 8)) C \(fmt(start.x - 40)) \(fmt(start.y - 50)) "
          + "\(fmt(end.x + 40)) \(fmt(end.y - 50)) \(fmt(end.x)) \(fmt(end.y - 8))"
      } else if end.x < start.x {
        let bend = max(30, (start.x - end.x) / 2)
        path =
          "M \(fmt(start.x)) \(fmt(start.y)) C \(fmt(start.x - bend)) \(fmt(start.y)) "
          + "\(fmt(end.x + bend)) \(fmt(end.y)) \(fmt(end.x)) \(fmt(end.y))"
      } else {
        // Against the layout (a cycle, or a column to the right): around the right and left sides.
        path =
          "M \(fmt(start.x)) \(fmt(start.y)) C \(fmt(start.x - 60)) \(fmt(start.y + 40)) "
          + "\(fmt(end.x + 60)) \(fmt(end.y + 40)) \(fmt(end.x)) \(fmt(end.y))"
      }
      svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\">"
      svg += "<title>\(TextKit.xml("\(edge.from) \(edge.field) \(edge.to)"))</title></path>\n"
      let label = (x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 - 4)
      svg += "<text x=\"\(fmt(label.x))\" y=\"\(fmt(label.y))\" text-anchor=\"middle\" font-size=\"10\" "
      svg += "fill=\"#555555\">\(TextKit.xml(cut(edge.field)))</text>\n"
    }
    for (offset, node) in graph.nodes.enumerated() {
      let (x, y) = origin[offset]
      let stroke = node.isFinal ? " stroke-dasharray=\"4 3\"" : ""
      svg += "<g><title>\(TextKit.xml(node.path + (node.state.map { " (\($0))" } ?? "")))</title>"
      svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(nodeWidth))\" height=\"\(fmt(nodeHeight))\" rx=\"6\" "
      svg += "fill=\"\(ReferenceGraph.colour(of: node))\" stroke=\"#555555\"\(stroke)/>"
      svg += "<text x=\"\(fmt(x + 10))\" y=\"\(fmt(y + 20))\" font-weight=\"bold\">\(TextKit.xml(cut(node.key)))</text>"
      if let title = node.title {
        svg += "<text x=\"\(fmt(x + 10))\" y=\"\(fmt(y + 38))\">\(TextKit.xml(cut(title)))</text>"
      }
      svg += "</g>\n"
    }
    return svg + "</svg>\n"
  }

  /// At most `titleLength` characters on one line (line breaks as spaces), `…` when cut.
  static func cut(_ text: String) -> String {
    // Short and printable ASCII (no line break): as it is, without counting characters.
    if text.utf8.count <= titleLength, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
    let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return line.count <= titleLength ? line : String(line.prefix(titleLength - 1)) + "…"
  }
}
