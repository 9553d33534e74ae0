"""Drawing helpers and view models for the tabs (pure-Python models are testable without pygame)."""
