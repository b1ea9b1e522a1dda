"""The report's sections, one module each (reports/build.py assembles them)."""
