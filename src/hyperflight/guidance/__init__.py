"""Guidance: flight shapes as phases with control laws as data (law id + parameters).

The laws themselves are evaluated inside the compiled kernel (``core.control.controls``),
because numba cannot cache a kernel that receives a function argument; this room turns a
vehicle and a trajectory shape into the phases that use them.
"""
