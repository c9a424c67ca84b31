// The shared test support (test data, seeded generator, process runner) for every file of this target.
@_exported import KeelTestSupport
