import KeelCLI

Keel.main()
