"""The `mlmath` command: one module per verb."""
