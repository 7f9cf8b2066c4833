"""Optimal control of unpowered hypersonic flight (CasADi + IPOPT, Hermite-Simpson).

Point mass over a non-rotating spherical Earth; Betts's shuttle benchmark; the maximum
range and the reachable footprint of the package's gliders. Layer: may import environment,
vehicle, core and analysis; never cli or report.
"""
