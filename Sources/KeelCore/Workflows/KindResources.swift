import Foundation
import JSONSchema

/// The templates and workflows of every kind, each file read and parsed once
/// per check however many kinds share it.
public struct KindResources: Sendable {
  /// Kind name → its template.
  public var templates: [String: Template] = [:]
  /// Kind name → its workflow.
  public var workflows: [String: Workflow] = [:]

  public init(templates: [String: Template] = [:], workflows: [String: Workflow] = [:]) {
    self.templates = templates
    self.workflows = workflows
  }

  /// Throws `KeelError` (exit 2) when a template or workflow named by keel.yaml
  /// is missing, or a workflow is invalid; the error is located in the file at fault.
  public init(config: KeelConfig, snapshot: Snapshot, limits: ParseLimits = .default) throws {
    var templatesByPath: [String: Template] = [:]
    var workflowsByPath: [String: Workflow] = [:]
    for kind in config.kinds {
      if let path = kind.template {
        // Kinds sharing a template file may mark optional headings differently.
        let key = ([path] + kind.optionalMarkers).joined(separator: "\u{0}")
        if templatesByPath[key] == nil {
          let data = try Self.read(path, of: kind, key: "template", config: config, snapshot: snapshot)
          templatesByPath[key] = Template.parse(data, path: path, optionalMarkers: kind.optionalMarkers)
        }
        templates[kind.name] = templatesByPath[key]
      }
      if let path = kind.workflow {
        if workflowsByPath[path] == nil {
          let data = try Self.read(path, of: kind, key: "workflow", config: config, snapshot: snapshot)
          workflowsByPath[path] = try Workflow.load(data, path: path, limits: limits)
        }
        workflows[kind.name] = workflowsByPath[path]
      }
    }
  }

  private static func read(
    _ path: String, of kind: KindConfig, key: String, config: KeelConfig, snapshot: Snapshot
  ) throws -> Data {
    // Templates and workflows: at most the size of a reference file (16 MiB by default).
    do { return try snapshot.read(path, maxBytes: ReferenceFiles.limits(.default).maxFileBytes) } catch {
      let pointer = "/kinds/\(JSONValue.escapePointerToken(kind.name))/\(key)"
      throw KeelError(
        "\(key) file \(path) of kind '\(kind.name)' \(PathRefusal.problem(reading: error))", path: KeelConfig.fileName,
        position: config.source.sourceMap.values[pointer])
    }
  }
}
