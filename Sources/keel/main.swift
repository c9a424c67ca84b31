import KeelCLI

Keel.runMain()
