"""Many flights: compare, claims, and the batch layer.

- :mod:`~hyperflight.analysis.batch`: fly N variations of one flight with the compiled
  kernel on all cores (``run_batch`` -> ``TrajectoryBatch``); parameters as data.
- :mod:`~hyperflight.analysis.montecarlo`: reproducible dispersions, statistics, plots.
- :mod:`~hyperflight.analysis.footprint`: the ground a glider can reach from a state.
- :mod:`~hyperflight.analysis.defended_footprint`: the impact points a generic defence layer
  has a kinematic window against.
- :mod:`~hyperflight.analysis.sweep`: resumable sweeps to partitioned Parquet, local or Dask.
"""
