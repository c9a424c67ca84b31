import Foundation
import Testing

@testable import KeelCore

/// Issue 11: a document enters a state when it first had it, whatever path it had then, and
/// history, metrics and workflow/stale read every version's state the same way (`DocumentStates`).
@Suite struct StateEntryTests {
  /// A file moved into the kind's glob (`specs/**/*.md`) while in review: it entered review when the
  /// commit set it, not when the rename brought it into the glob.
  @Test func renamingIntoTheGlobKeepsWhenTheStateWasEntered() throws {
    var builder = HistoryBuilder()
    builder.commit("Draft", at: "2024-01-01", ["drafts/a.md": spec("draft")])
    builder.commit("Review", at: "2024-01-03", ["drafts/a.md": spec("review")])
    builder.commit("Move", at: "2024-01-20", ["drafts/a.md": nil, "specs/a.md": spec("review")])
    let timelines = try metricsTimelines(builder)
    #expect(timelines.count == 1)
    #expect(timelines[0].path == "specs/a.md")
    #expect(timelines[0].entries.map(\.change) == [.added, .modified, .renamed])
    let stale = StateHistory(timelines: timelines, now: HistoryBuilder.date("2024-02-01"))
    #expect(
      stale.entries["specs/a.md"] == StateHistory.Entry(state: "review", since: HistoryBuilder.date("2024-01-03")))
    let report = Metrics.compute(timelines: timelines, now: HistoryBuilder.date("2024-02-01"))
    #expect(report.documents.first?.enteredState == HistoryBuilder.date("2024-01-03"))
    // One transition (draft -> review), none at the move.
    #expect(report.transitions.map { "\($0.from)->\($0.to)x\($0.count)" } == ["draft->reviewx1"])

    let history = DocumentHistory.build(path: "specs/a.md", source: builder.source, state: statusState(builder.source))
    #expect(history.events.map(\.summary) == ["Move", "Review", "Draft"])
    #expect(
      history.events.map(\.state) == [
        nil, HistoryEvent.StateChange(from: "draft", to: "review"), HistoryEvent.StateChange(from: nil, to: "draft"),
      ])
  }

  /// A Markdown file with front matter that becomes a folder document (metadata file for the
  /// fields, the file itself as the body): the document keeps the states it had before the move.
  @Test func aFolderDocumentKeepsTheStatesOfTheFileItWasBefore() throws {
    let texts = [
      "keel.yaml": """
      version: 1
      kinds:
        kep:
          include: ["keps/*/"]
          metadata: kep.yaml
          body: README.md
          workflow: workflows/spec.yaml
      """,
      "workflows/spec.yaml": metricsConfig["workflows/spec.yaml"]!,
    ]
    let configuration = try HistoryConfiguration.load(from: MemorySnapshot(texts: texts))
    let body = (1...12).map { "Paragraph \($0) of the proposal, long enough to be the same file.\n" }.joined()
    func markdown(_ status: String) -> String { "---\ntitle: A\nstatus: \(status)\n---\n\n# A\n\n" + body }
    var builder = HistoryBuilder()
    builder.commit("Draft", at: "2024-01-01", ["keps/a.md": markdown("draft")])
    builder.commit("Review", at: "2024-01-05", ["keps/a.md": markdown("review")])
    builder.commit(
      "Folders", at: "2024-01-10",
      ["keps/a.md": nil, "keps/a/kep.yaml": "title: A\nstatus: review\n", "keps/a/README.md": "# A\n\n" + body])
    builder.commit("Approve", at: "2024-01-12", ["keps/a/kep.yaml": "title: A\nstatus: approved\n"])
    builder.commit("Edit", at: "2024-01-13", ["keps/a/README.md": "# A\n\n" + body + "More.\n"])
    let source = builder.source
    let timelines = TimelineBuilder(configuration: configuration).timelines(records: source.records, source: source)
    #expect(timelines.map(\.path) == ["keps/a/kep.yaml"])
    #expect(timelines[0].entries.map(\.stateAfter) == ["draft", "review", "review", "approved", "approved"])
    let report = Metrics.compute(timelines: timelines, now: HistoryBuilder.date("2024-02-01"))
    // In review from the 5th to the 12th, across the move into a folder.
    let review = try #require(report.transitions.first { $0.from == "review" })
    #expect(review.to == "approved" && review.median == 7 * 86_400)

    let states = DocumentStates(configuration: configuration)
    let workflow = try #require(states.kind(ofDocument: "keps/a/kep.yaml")).workflow
    func history(_ path: String) -> DocumentHistoryReport {
      DocumentHistory.build(
        path: path, source: source,
        state: { states.state(ofBlob: $0, at: $1, workflow: workflow, read: { try source.readBlob($0) }) },
        format: states.format(of:))
    }
    let merged = history("keps/a/kep.yaml").merged(with: history("keps/a/README.md"))
    #expect(merged.events.map(\.summary) == ["Edit", "Approve", "Folders", "Review", "Draft"])
    #expect(
      merged.events.map(\.state) == [
        nil, HistoryEvent.StateChange(from: "review", to: "approved"), nil,
        HistoryEvent.StateChange(from: "draft", to: "review"), HistoryEvent.StateChange(from: nil, to: "draft"),
      ])
  }
}
