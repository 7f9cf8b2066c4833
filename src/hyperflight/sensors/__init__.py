"""What a defender sees: generic radar and space-based infrared sensors, and timelines.

Post-processing of a :class:`~hyperflight.core.trajectory.Trajectory`. Sensors are parametric
(no real radar's or satellite's parameters, no real sites). One call per job:

- :func:`radar_view` and :func:`infrared_view`: row-by-row visibility of the target;
- :func:`infrared_intensity_w_sr`: the target's in-band intensity (plume and hot body);
- :func:`timeline`: first detection, track intervals, warning time, time in altitude bands;
- :func:`constellation_view`: row-by-row visibility from a Walker constellation of infrared
  satellites (:class:`WalkerConstellation`);
- :func:`custody`: the union of several sensors' tracks (a network), with warning time, custody
  fractions and the longest gap; :func:`track_network` runs every sensor and :func:`custody`.
"""

from hyperflight.sensors._checks import SensorFieldError
from hyperflight.sensors.constellation import (
    ConstellationView,
    WalkerConstellation,
    constellation_view,
)
from hyperflight.sensors.custody import (
    DEFAULT_LAST_S,
    Custody,
    SensorCustody,
    custody,
    merge_intervals_s,
    track_network,
)
from hyperflight.sensors.infrared import (
    DEFAULT_BAND_UM,
    DEFAULT_CUTOFF_ALTITUDE_M,
    DEFAULT_PLUME_INTENSITY_W_SR,
    GEO_RADIUS_M,
    InfraredSatellite,
    InfraredSignature,
    InfraredView,
    band_radiance_w_m2_sr,
    infrared_intensity_w_sr,
    infrared_view,
    sightline_min_altitude_m,
)
from hyperflight.sensors.radar import (
    STANDARD_REFRACTION_K,
    Radar,
    RadarView,
    radar_horizon_range_m,
    radar_view,
)
from hyperflight.sensors.timeline import (
    DEFAULT_ALTITUDE_BANDS_M,
    AltitudeBandTime,
    SensorTimeline,
    SensorView,
    time_in_altitude_band_s,
    timeline,
    track_intervals_s,
)

__all__ = [
    "DEFAULT_ALTITUDE_BANDS_M",
    "DEFAULT_BAND_UM",
    "DEFAULT_CUTOFF_ALTITUDE_M",
    "DEFAULT_PLUME_INTENSITY_W_SR",
    "GEO_RADIUS_M",
    "STANDARD_REFRACTION_K",
    "AltitudeBandTime",
    "InfraredSatellite",
    "InfraredSignature",
    "InfraredView",
    "Radar",
    "RadarView",
    "SensorFieldError",
    "SensorTimeline",
    "SensorView",
    "band_radiance_w_m2_sr",
    "infrared_intensity_w_sr",
    "infrared_view",
    "radar_horizon_range_m",
    "radar_view",
    "sightline_min_altitude_m",
    "time_in_altitude_band_s",
    "timeline",
    "track_intervals_s",
    "ConstellationView",
    "Custody",
    "DEFAULT_LAST_S",
    "SensorCustody",
    "WalkerConstellation",
    "constellation_view",
    "custody",
    "merge_intervals_s",
    "track_network",
]
