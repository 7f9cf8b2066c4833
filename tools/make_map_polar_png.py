"""Make docs/map-polar.png: a generic glider across the Arctic on the azimuthal map.

Run from the repository root: ``PYTHONPATH=src python tools/make_map_polar_png.py``. The glider
is the README's point-mass example (55 km, Mach ~15, L/D 2.9) started at 72 N 150 E heading
north; it ends over the sea east of Greenland. The PNG is reduced to 64 colours (< 100 KB).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from hyperflight import Aerodynamics, Controls, Event, InitialState, Phase, fly
from hyperflight.report import plot_ground_track

OUT = Path("docs/map-polar.png")


def main() -> None:
    start = InitialState(
        latitude_deg=72.0,
        longitude_deg=150.0,
        altitude_m=55_000,
        mass_kg=907.186,
        speed_m_s=5_000.0,
        flight_path_angle_deg=0,
        heading_deg=0.0,
    )
    glide = Phase(
        name="glide",
        aerodynamics=Aerodynamics(reference_area_m2=0.48387, cl=0.40, cd=0.14),
        controls=Controls(alpha_deg=10, bank_deg=0),
        events=(Event(kind="impact"),),
    )
    traj = fly(start, [glide], output_step_s=5.0)
    with tempfile.TemporaryDirectory() as tmp:
        png = plot_ground_track(
            [("glider from 72°N 150°E, heading 0°", traj)],
            Path(tmp) / "map.png",
            points=[("North Pole", 90.0, 0.0)],
            title="A glide across the Arctic: azimuthal equidistant map",
        )
        image = Image.open(png).convert("RGB").quantize(colors=64)
        image.save(OUT, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
