"""One module per item type; each returns candidate items, which `study.generate` checks before use."""
import hashlib
import random


def seeded(*parts) -> random.Random:
    """A random generator fixed by these parts (and so by the run's seed when it is one of them)."""
    return random.Random(int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16))
