"""Generic, parametric defence layers and the kinematic engagement windows they leave.

Post-processing of trajectories (issue 12: "almost impossible to intercept?"). A layer is a
handful of assumed numbers (altitude band, ground reach, average fly-out speed, reaction and
track times), never a fielded system's; a window is a kinematic opportunity, never a kill,
and no kill probability is computed. One call per job:

- :func:`builtin_layers` / :func:`load_layers`: the built-in generic layers, or a user's
  layer file (safe reading, errors naming the file, the layer and the field);
- :func:`engagement_window` / :func:`engagement_windows`: when a layer could meet a flight;
- :func:`window_sensitivity`: how the window moves when each assumption moves.

The impact points a layer has a window against (flying a batch of flights) are an analysis:
:func:`hyperflight.analysis.defended_footprint.defended_footprint`.

Names are imported on first use (PEP 562): ``from hyperflight.defence import load_layers``
does not load numba.
"""

from __future__ import annotations

from hyperflight._lazy import lazy_exports

_EXPORTS = {
    "ALLOWED_RANGES": "hyperflight.defence.layers",
    "LAYER_PARAMETERS": "hyperflight.defence.layers",
    "InterceptorLayer": "hyperflight.defence.layers",
    "LayerFileError": "hyperflight.defence.layers",
    "builtin_layers": "hyperflight.defence.layers",
    "load_layers": "hyperflight.defence.layers",
    "parse_layers": "hyperflight.defence.layers",
    "DefenceFieldError": "hyperflight.defence._checks",
    "EngagementWindow": "hyperflight.defence.engagement",
    "cue_intervals": "hyperflight.defence.engagement",
    "engagement_window": "hyperflight.defence.engagement",
    "engagement_windows": "hyperflight.defence.engagement",
    "window_sensitivity": "hyperflight.defence.sensitivity",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports("hyperflight.defence", globals(), _EXPORTS)
