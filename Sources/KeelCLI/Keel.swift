import ArgumentParser
import KeelCore

public struct Keel: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "keel",
    abstract: "Validate and report on a Git repository of product-operations documents."
  )
  public init() {}
}
