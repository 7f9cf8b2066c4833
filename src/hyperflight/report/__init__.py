"""Reports for people: figures of flights, tables, exports and interactive HTML reports.

The report layer only reads results; it computes no physics. Maps use the coastline data the
package ships (Natural Earth 1:110m, public domain; :mod:`hyperflight.report.coastlines`);
nothing is downloaded.
"""

from hyperflight.report.interactive import Provenance, render_report, write_report
from hyperflight.report.plots import align_longitudes, plot_ground_track, plot_profiles

__all__ = [
    "Provenance",
    "align_longitudes",
    "plot_ground_track",
    "plot_profiles",
    "render_report",
    "write_report",
]
