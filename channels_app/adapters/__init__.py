"""One adapter per platform, all with the interface of ``base.PlatformAdapter``."""
