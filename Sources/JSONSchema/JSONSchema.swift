/// JSON Schema (draft 2020-12 and draft-07): compile once, validate many.
/// Placeholder until the validator lands.
public enum JSONSchemaDraft: String, Sendable, CaseIterable {
  case draft2020_12 = "2020-12"
  case draft7 = "7"
}
