/// Fixtures the tests of more than one module build on.
public enum SharedFixtures {
  /// keel.yaml of the export tests (KeelCore's renderers and the `keel export` command): a people
  /// registry, a glossary, RACI matrices under `raci/`, and one kind.
  public static let exportKeelYAML = """
    version: 1
    people: people.yaml
    glossary: glossary.yaml
    raci: ["raci/*.yaml"]
    kinds:
      prd:
        include: ["specs/**/*.md"]
    """
}
