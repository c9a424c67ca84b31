/// What the KPI rules share: the small repository their examples run in (a catalogue, people,
/// and specs whose `kpi` field names a KPI).
enum KPIRuleSupport {
  static let config = """
    version: 1
    people: people.yaml
    kpis: kpis.yaml
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
    """

  static let people = """
    people:
      - {id: alice, name: Alice Adams}
      - {id: bob, name: Bob Brown}
    """

  static let schema = """
    type: object
    properties:
      kpi: {type: string, x-keel-ref: kpi}
      kpis: {type: array, items: {type: string}, x-keel-ref: kpi}
    """

  /// A catalogue of two KPIs, `conversion` (the North Star) and `repeat-rate`.
  static let catalogue = """
    kpis:
      - id: conversion
        name: Checkout conversion
        definition: Orders over checkouts started.
        owner: alice
        unit: percent
        direction: up
        events: [checkout_started, order_placed]
        north-star: true
      - id: repeat-rate
        name: Repeat purchase rate
        definition: Customers ordering again within 90 days.
        owner: bob
        unit: percent
        direction: up
    """

  /// The example repository, with `catalogue` as kpis.yaml and `files` added.
  static func files(catalogue: String = catalogue, config: String = config, _ files: [String: String] = [:])
    -> [String: String]
  {
    [
      "keel.yaml": config, "people.yaml": people, "kpis.yaml": catalogue, "schemas/prd.yaml": schema,
      "specs/a.md": "---\nkpi: conversion\n---\n# A\n",
    ].merging(files) { _, new in new }
  }
}
