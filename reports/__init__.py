"""gelubench report generator.

Reads the result files the C++ harness writes (info.json, accuracy.json,
throughput.json) and renders one self-contained HTML page plus a Markdown
report with its PNGs beside it. Plots and tables come only from the files;
nothing here runs a kernel.
"""
