"""Adapters that plug the repair into data-processing engines (optional dependencies)."""
