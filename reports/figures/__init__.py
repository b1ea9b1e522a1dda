"""The report's figures, one module per section of the report (reports.plots
re-exports them)."""
