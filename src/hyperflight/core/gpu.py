"""The flight kernel compiled for NVIDIA GPUs (numba.cuda): one thread per batch member.

The same scalar functions as the CPU kernel (equations of motion, control laws, atmosphere,
geodesy, events) are compiled for the device; only the driver loop differs: it keeps no time
series (local arrays of fixed size, no allocation) and writes the per-member summary of
:mod:`hyperflight.core.batch` (``S_*`` layout). Terminal events end phases exactly as on the
CPU; non-terminal events are not recorded. Importing this module needs numba's CUDA support;
:func:`gpu_available` says whether a device can be used.
"""

from __future__ import annotations

import math

import numpy as np
from numba import cuda, float64

from hyperflight.core import batch as B
from hyperflight.core import kernel as K
from hyperflight.core import layout as L

rhs = K.rhs
dp_step = K.dp_step
event_value = K.event_value
dense_eval = K.dense_eval
crossed = K._crossed
locate = K._locate


# Local array sizes must be literal for CUDA: they are the layout's sizes.
assert L.NSTATE == 7 and L.NAUX == 19 and L.MAX_EVENTS == 8


def gpu_available() -> bool:
    """True when numba.cuda finds a usable GPU."""
    try:
        return bool(cuda.is_available())
    except Exception:  # pragma: no cover - no CUDA driver at all
        return False


if True:  # the kernel body is indented as in a builder; compiled lazily on first launch

    @cuda.jit
    def _gpu_kernel(
        y0s, pint_all, preals, datas, envs, atm, t_max, rtol, atol, max_step, max_steps, out
    ):
        i = cuda.grid(1)
        if i >= y0s.shape[0]:
            return
        k = cuda.local.array((7, 7), float64)
        y = cuda.local.array(7, float64)
        ynew = cuda.local.array(7, float64)
        ytmp = cuda.local.array(7, float64)
        dtmp = cuda.local.array(7, float64)
        aux = cuda.local.array(19, float64)
        auxnew = cuda.local.array(19, float64)
        auxtmp = cuda.local.array(19, float64)
        g_prev = cuda.local.array(8, float64)
        g_new = cuda.local.array(8, float64)
        data = datas[i]
        env = envs[i]
        for j in range(L.NSTATE):
            y[j] = y0s[i, j]
        t = 0.0
        steps = 0
        status = L.STATUS_OK
        h = 0.0
        n_phase = pint_all.shape[0]
        phase = 0
        alt_max = -1e300
        t_alt_max = 0.0
        v_max = 0.0
        m_max = 0.0
        q_max = 0.0
        n_max = 0.0
        while phase < n_phase:
            pint = pint_all[phase]
            preal = preals[i, phase]
            y[6] -= preal[L.PR_JETTISON]
            tp0 = t
            rhs(t, y, 0.0, pint, preal, data, env, atm, k[0], aux)
            start_ok = True
            for j in range(7):
                if not (math.isfinite(k[0, j]) and math.isfinite(y[j])):
                    start_ok = False
            if not start_ok:
                status = L.STATUS_NONFINITE
                break
            nev = pint[L.PI_NEV]
            for e in range(nev):
                g_prev[e] = event_value(pint[L.PI_EV0 + 3 * e], preal[L.PR_EV0 + e], t, 0.0, y, aux)
            done = False
            for e in range(nev):
                kind = pint[L.PI_EV0 + 3 * e]
                if (
                    pint[L.PI_EV0 + 3 * e + 2] != 0
                    and (kind == L.EV_TARGET_DISTANCE or kind == L.EV_BURNOUT)
                    and g_prev[e] <= 0.0
                ):
                    done = True
            if h <= 0.0:
                h = min(1e-3, max_step)
            impact = False
            while not done:
                if steps >= max_steps:
                    status = L.STATUS_MAX_STEPS
                    break
                if t >= t_max:
                    status = L.STATUS_MAX_TIME
                    break
                h = min(h, max_step, t_max - t)
                hmin = 1e-12 * max(1.0, abs(t))
                if h < hmin:
                    h = hmin
                tp = t - tp0
                err, finite = dp_step(
                    t,
                    tp,
                    h,
                    y,
                    k,
                    ynew,
                    ytmp,
                    auxtmp,
                    auxnew,
                    pint,
                    preal,
                    data,
                    env,
                    atm,
                    rtol,
                    atol,
                )
                steps += 1
                if not finite or not math.isfinite(err):
                    if h <= hmin * 1.0000001:
                        status = L.STATUS_NONFINITE
                        break
                    h = max(h * 0.1, hmin)
                    continue
                if err > 1.0:
                    if h <= hmin * 1.0000001:
                        status = L.STATUS_STEP_TOO_SMALL
                        break
                    h = max(h * max(0.2, 0.9 * err**-0.2), hmin)
                    continue
                theta_stop = 2.0
                stop_e = -1
                for e in range(nev):
                    kind = pint[L.PI_EV0 + 3 * e]
                    g_new[e] = event_value(kind, preal[L.PR_EV0 + e], t + h, tp + h, ynew, auxnew)
                    if pint[L.PI_EV0 + 3 * e + 2] != 0 and crossed(
                        g_prev[e], g_new[e], pint[L.PI_EV0 + 3 * e + 1]
                    ):
                        r = locate(
                            kind,
                            preal[L.PR_EV0 + e],
                            g_prev[e],
                            g_new[e],
                            t,
                            tp,
                            h,
                            y,
                            k,
                            pint,
                            preal,
                            data,
                            env,
                            atm,
                            ytmp,
                            dtmp,
                            auxtmp,
                        )
                        if r < theta_stop:
                            theta_stop = r
                            stop_e = e
                if stop_e >= 0:
                    dense_eval(theta_stop, h, y, k, ytmp)
                    t = t + theta_stop * h
                    for j in range(L.NSTATE):
                        y[j] = ytmp[j]
                    rhs(t, y, t - tp0, pint, preal, data, env, atm, dtmp, aux)
                    impact = pint[L.PI_EV0 + 3 * stop_e] == L.EV_IMPACT
                    done = True
                else:
                    t = t + h
                    for j in range(L.NSTATE):
                        y[j] = ynew[j]
                        k[0, j] = k[6, j]
                    for j in range(L.NAUX):
                        aux[j] = auxnew[j]
                    for e in range(nev):
                        g_prev[e] = g_new[e]
                    h = h * (5.0 if err == 0.0 else min(5.0, max(0.2, 0.9 * err**-0.2)))
                if aux[L.AUX_ALT] > alt_max:
                    alt_max = aux[L.AUX_ALT]
                    t_alt_max = t
                v_max = max(v_max, aux[L.AUX_VREL])
                m_max = max(m_max, aux[L.AUX_MACH])
                q_max = max(q_max, aux[L.AUX_QBAR])
                n_max = max(n_max, aux[L.AUX_NLOAD])
            if not done:
                break
            phase = n_phase if impact else phase + 1
        o = out[i]
        o[B.S_T_END] = t
        o[B.S_LAT_END] = aux[L.AUX_LAT]
        o[B.S_LON_END] = aux[L.AUX_LON]
        o[B.S_ALT_END] = aux[L.AUX_ALT]
        o[B.S_SPEED_END] = aux[L.AUX_VREL]
        o[B.S_ALT_MAX] = alt_max
        o[B.S_T_ALT_MAX] = t_alt_max
        o[B.S_SPEED_MAX] = v_max
        o[B.S_MACH_MAX] = m_max
        o[B.S_Q_MAX] = q_max
        o[B.S_NLOAD_MAX] = n_max
        o[B.S_MASS_END] = y[6]
        o[B.S_STATUS] = status
        o[B.S_LAST_PHASE] = min(phase, n_phase - 1)


def run_packed_gpu(
    y0s,
    pint,
    preals,
    datas,
    envs,
    *,
    max_time_s=20_000.0,
    rtol=1e-8,
    atol=1e-6,
    max_step_s=60.0,
    max_steps=2_000_000,
    threads_per_block=64,
) -> np.ndarray:
    """GPU twin of :func:`hyperflight.core.batch.run_packed` (summaries only)."""
    from hyperflight.environment.atmosphere import us76_table

    n = y0s.shape[0]
    d = [
        cuda.to_device(np.ascontiguousarray(a))
        for a in (y0s, pint, preals, datas, envs, np.array(us76_table()))
    ]
    out = cuda.device_array((n, B.S_SIZE))
    blocks = (n + threads_per_block - 1) // threads_per_block
    _gpu_kernel[blocks, threads_per_block](
        *d, float(max_time_s), float(rtol), float(atol), float(max_step_s), int(max_steps), out
    )
    cuda.synchronize()
    return out.copy_to_host()
