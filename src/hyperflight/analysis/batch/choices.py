"""Per-member choice of environment models: each member its own atmosphere or wind.

``variations={"atmosphere": [None, ExponentialAtmosphere(...), TabulatedAtmosphere(...)]}``
(``None``: US 1976) or ``{"wind": [None, WindProfile(...), ...]}``: the models are checked,
each distinct one packed once (its tables appended to the base flight's), and the variation
becomes a choice :class:`~hyperflight.analysis.batch.parameters.Parameter` that copies the
chosen model's ENVIRONMENT fields into each member's record. Scales (``density_scale``,
``wind_scale``) still act on top of the chosen model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from hyperflight.analysis.batch.packed import MemberArrays, PackedFlight
from hyperflight.analysis.batch.parameters import Parameter
from hyperflight.checks import shown as _shown
from hyperflight.core import schema as S
from hyperflight.core.world import check_environment, environment_record
from hyperflight.environment.atmospheres import ExponentialAtmosphere, TabulatedAtmosphere
from hyperflight.environment.wind import WindProfile

#: ENVIRONMENT fields each kind of choice sets.
FIELDS = {
    "atmosphere": (
        "atmosphere_model",
        "density_sea_level_kg_m3",
        "scale_height_m",
        "temperature_k",
        "atmosphere_table",
    ),
    "wind": ("wind_table",),
}
_KINDS = {
    "atmosphere": (ExponentialAtmosphere, TabulatedAtmosphere),
    "wind": (WindProfile,),
}


def _label(kind: str, model: Any) -> str:
    if model is None:
        return "US 1976" if kind == "atmosphere" else "no wind"
    if isinstance(model, ExponentialAtmosphere):
        return (
            f"exponential (rho0 {model.density_sea_level_kg_m3:g} kg/m^3, "
            f"H {model.scale_height_m:g} m)"
        )
    if isinstance(model, TabulatedAtmosphere):
        return f"tabulated ({len(model.altitude_m)} rows)"
    return f"wind profile ({len(model.altitude_m)} rows)"


def _models(kind: str, value: Any) -> list[Any]:
    items = list(value) if isinstance(value, list | tuple | np.ndarray) else [value]
    if not items:
        raise ValueError(f"variation {kind!r}: give one model per member (the list is empty)")
    for i, m in enumerate(items):
        if m is not None and not isinstance(m, _KINDS[kind]):
            allowed = " or ".join(["None", *(k.__name__ for k in _KINDS[kind])])
            raise ValueError(
                f"variation {kind!r}: member {i} is {_shown(m)}; each value must be {allowed}"
            )
    return items


def environment_choices(
    base: PackedFlight, values: Mapping[Any, Any] | None
) -> tuple[PackedFlight, dict[Any, Any] | None, dict[str, Parameter]]:
    """Turn model-valued ``atmosphere``/``wind`` variations into choice parameters.

    Returns the base flight with every chosen model's tables appended, the variations with
    each model list replaced by indices, and the choice parameters by name.
    """
    if not values or not any(k in FIELDS for k in values if isinstance(k, str)):
        return base, dict(values) if values else values, {}
    out = dict(values)
    writer = S.TableWriter(base.tables)
    params: dict[str, Parameter] = {}
    for kind, fields in FIELDS.items():
        if kind not in out:
            continue
        items = _models(kind, out[kind])
        distinct: list[Any] = []
        index = np.empty(len(items))
        for i, m in enumerate(items):
            same = [k for k, d in enumerate(distinct) if d is m]
            if not same:
                same = [len(distinct)]
                distinct.append(m)
            index[i] = same[0]
        records = []
        for m in distinct:
            atmosphere = m if kind == "atmosphere" else base.atmosphere
            wind = m if kind == "wind" else base.wind
            check_environment(f"variation {kind!r}", base.earth, atmosphere, wind)
            records.append(environment_record(base.earth, writer, atmosphere=atmosphere, wind=wind))
        chosen = np.array(records, dtype=S.ENVIRONMENT)

        def apply(a: MemberArrays, v: np.ndarray, mask: np.ndarray, chosen=chosen, fields=fields):
            k = v.astype(np.int64)
            for f in fields:
                a.env[f] = chosen[f][k]

        labels = tuple(_label(kind, m) for m in distinct)
        params[kind] = Parameter(
            name=kind,
            unit="",
            nominal=math.nan,
            description=f"the member's {kind} model: "
            + "; ".join(f"{k} = {lab}" for k, lab in enumerate(labels)),
            apply=apply,
            valid=(0.0, float(len(distinct) - 1)),
            labels=labels,
        )
        out[kind] = index if len(items) > 1 else float(index[0])
    return replace(base, tables=writer.array()), out, params
