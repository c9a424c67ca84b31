import ArgumentParser
import KeelCore
import KeelEngine

// The core's own enums are the values of the options that choose them: no copies to keep in step.
extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension DocumentHistoryReport.Format: ExpressibleByArgument {}
extension ChangelogReport.Format: ExpressibleByArgument {}
extension MetricsReport.Format: ExpressibleByArgument {}
extension Ranking.Format: ExpressibleByArgument {}
extension RuleListing.Format: ExpressibleByArgument {}
extension SchemaValidation.Format: ExpressibleByArgument {}
extension ColourChoice: ExpressibleByArgument {}
extension ReferenceGraph.Format: ExpressibleByArgument {}
