import CLibgit2
import KeelCore
