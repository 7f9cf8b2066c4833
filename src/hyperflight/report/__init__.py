"""Reports for people: figures of flights (and, later, tables and exports).

The report layer only reads results; it computes no physics. Maps use the coastline data the
package ships (Natural Earth 1:110m, public domain; :mod:`hyperflight.report.coastlines`);
nothing is downloaded.
"""

from hyperflight.report.plots import align_longitudes, plot_ground_track, plot_profiles

__all__ = [
    "align_longitudes",
    "plot_ground_track",
    "plot_profiles",
]
