"""What the notebooks and the build engine agree on, in one place (both import it; it imports nothing)."""

RESULTS_MIMETYPE = "application/vnd.chengguan.results+json"
"""The output mimetype of a run's key results (``chengguan.display.show_key_results`` writes it;
the engine reads it into ``outputs/<run>.results.json``)."""
