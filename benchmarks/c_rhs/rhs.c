/* A C99 port of hyperflight's compiled right-hand side, hyperflight.core.equations.rhs.

   Benchmark only (issue 15, "the limit"): how fast the same physics runs in plain C, on the
   same memory. Every function mirrors the Python function named in its comment, operation
   for operation and in the same order (so the results agree to the last bit or nearly; build
   with -ffp-contract=off, as numba does not fuse a * b + c either). The records, the codes
   and the constants come from hf_generated.h, which benchmarks/c_rhs/crhs_build.py writes from
   hyperflight.core.schema and the environment modules at every build.

   Covered: the paths of the boost-glide flight (tw-glide-8000): control laws constant,
   schedule, glide and dive (and cruise); aerodynamics none, constant and table; constant
   thrust (and the air-breather table); thrust along the velocity or by attitude; the lift
   limit; J2 gravity; WGS-84 geodetic altitude (one Bowring iteration); US 1976 through its
   table; the rotating atmosphere without wind. Like the numba rhs, it does not write
   aux[AUX_LAT] and aux[AUX_LON] (equations.latitude_longitude computes them where a row or
   the summary keeps them). Not covered (hf_rhs returns 1 and writes nothing):
   polynomial aerodynamics, the exponential and tabulated atmospheres, wind. */

#include <math.h>
#include <stdint.h>

#include "hf_generated.h"

/* HF_PROFILE: every helper a function of its own, so a profiler can split the time by part
   (benchmarks/c_rhs/perf_parts.py); otherwise the compiler inlines them as it likes. */
#ifdef HF_PROFILE
#define INLINE static __attribute__((noinline))
#else
#define INLINE static inline
#endif

typedef struct { double a, b; } pair;

/* Python's max(a, b) / min(a, b) for floats: the first argument unless the second is
   strictly greater / smaller. */
INLINE double py_max(double a, double b) { return b > a ? b : a; }
INLINE double py_min(double a, double b) { return b < a ? b : a; }

/* control.clamp */
INLINE double clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

/* core/trig.sin_cos: (sin x, cos x), Taylor series within pi/4 in the same order. */
INLINE pair sin_cos(double x) {
    pair r;
    if (fabs(x) <= 3.141592653589793 / 4.0) {
        double u = x * x;
        double s = -1.0 / 1307674368000.0 + u * (1.0 / 355687428096000.0);
        s = 1.0 / 6227020800.0 + u * s;
        s = -1.0 / 39916800.0 + u * s;
        s = 1.0 / 362880.0 + u * s;
        s = -1.0 / 5040.0 + u * s;
        s = 1.0 / 120.0 + u * s;
        s = -1.0 / 6.0 + u * s;
        double c = 1.0 / 20922789888000.0 + u * (-1.0 / 6402373705728000.0);
        c = -1.0 / 87178291200.0 + u * c;
        c = 1.0 / 479001600.0 + u * c;
        c = -1.0 / 3628800.0 + u * c;
        c = 1.0 / 40320.0 + u * c;
        c = -1.0 / 720.0 + u * c;
        c = 1.0 / 24.0 + u * c;
        c = -0.5 + u * c;
        r.a = x + x * u * s;
        r.b = 1.0 + u * c;
    } else {
        r.a = sin(x);
        r.b = cos(x);
    }
    return r;
}

/* core/trig.atan2: the angle of (x, y), one division and a degree-12 polynomial in u^2 by
   Estrin's scheme, in the same order; zeros, infinities, NaN and magnitudes outside
   (1e-150, 1e150) to libm. */
INLINE double hf_atan2(double y, double x) {
    double ax = fabs(x), ay = fabs(y), u, hi, lo;
    if (!(1e-150 < ax && ax < 1e150 && 1e-150 < ay && ay < 1e150)) return atan2(y, x);
    if (ay <= 0.5625 * ax) {
        u = ay / ax; hi = 0.0; lo = 0.0;
    } else if (ay < 2.0 * ax) {
        u = (ay - ax) / (ay + ax); hi = 3.141592653589793 / 4.0; lo = 3.061616997868383e-17;
    } else {
        u = -ax / ay; hi = 1.5707963267948966; lo = 6.123233995736766e-17;
    }
    double s = u * u, s2 = s * s, s4 = s2 * s2;
    double q0 = (-0.33333333333333326 + 0.19999999999993817 * s) + (-0.14285714284615242 + 0.11111111034072228 * s) * s2;
    double q1 = (-0.09090906273588693 + 0.07692246065252599 * s) + (-0.06665795596844228 + 0.05874025305356127 * s) * s2;
    double q2 = (-0.05207896427682391 + 0.04504390549683778 * s) + (-0.035048653504961474 + 0.020762834510706228 * s) * s2;
    double p = (q0 + q1 * s4) + (q2 + -0.00659730408340536 * s4) * (s4 * s4);
    double r = hi + (lo + (u + u * s * p));
    if (x < 0.0) r = 3.141592653589793 - r + 1.2246467991473532e-16;
    return y < 0.0 ? -r : r;
}

/* control.is_feedback */
INLINE int is_feedback(int64_t law) {
    return law == LAW_GLIDE || law == LAW_CRUISE || law == LAW_DIVE;
}

/* control.steers_to_target */
INLINE int steers_to_target(const hf_phase *ph) {
    return is_feedback(ph->law) && ph->n_reversals == 0;
}

/* ---- interpolate.py ------------------------------------------------------------------- */
typedef struct { int64_t i; double w; } interval;

/* interpolate.bracket */
INLINE interval bracket(double x, const double *data, int64_t start, int64_t n) {
    interval r;
    if (n == 1 || x <= data[start]) { r.i = 0; r.w = 0.0; return r; }
    if (x >= data[start + n - 1]) { r.i = n - 2; r.w = 1.0; return r; }
    int64_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int64_t mid = (lo + hi) / 2;
        if (data[start + mid] <= x) lo = mid; else hi = mid;
    }
    double x0 = data[start + lo];
    r.i = lo;
    r.w = (x - x0) / (data[start + lo + 1] - x0);
    return r;
}

/* interpolate.linear */
INLINE double linear(const double *data, int64_t start, int64_t n, int64_t i, double w) {
    int64_t j = n > 1 ? i + 1 : i;
    return (1 - w) * data[start + i] + w * data[start + j];
}

/* interpolate.bilinear */
INLINE double bilinear(const double *data, int64_t start, int64_t ny, int64_t nx, int64_t iy,
                       double wy, int64_t ix, double wx) {
    int64_t ix1 = nx > 1 ? ix + 1 : ix;
    int64_t iy1 = ny > 1 ? iy + 1 : iy;
    int64_t r0 = start + iy * nx;
    int64_t r1 = start + iy1 * nx;
    return (1 - wy) * ((1 - wx) * data[r0 + ix] + wx * data[r0 + ix1])
           + wy * ((1 - wx) * data[r1 + ix] + wx * data[r1 + ix1]);
}

/* ---- environment/geodesy.py -------------------------------------------------------------- */
typedef struct { double alt, sin_lat, cos_lat; } altsincos;

/* geodesy.bowring_altitude_sin_cos: one Bowring iteration, no trigonometric call, with the
   ellipsoid's constants k = sqrt(1 - e2) and ep2b = e2 / (1 - e2) b precomputed (rhs reads
   them from the environment record) */
INLINE altsincos bowring_altitude_sin_cos(double rho, double z, double a, double e2, double k,
                                          double ep2b) {
    double b = a * k;
    double e2a = e2 * a;
    /* Bowring's start: the parametric latitude of the point scaled onto a sphere. */
    double s = z * a;
    double c = rho * b;
    double r = 1.0 / sqrt(s * s + c * c);
    s *= r;
    c *= r;
    /* One iteration: the geodetic latitude's direction. */
    double num = z + ep2b * s * s * s;
    double den = rho - e2a * c * c * c;
    r = 1.0 / sqrt(num * num + den * den);
    altsincos g;
    g.sin_lat = num * r;
    g.cos_lat = den * r;
    g.alt = rho * g.cos_lat + z * g.sin_lat - a * sqrt(1.0 - e2 * g.sin_lat * g.sin_lat);
    return g;
}

/* geodesy.altitude_sin_cos: the same, computing the constants (geodesy.bowring_constants) */
INLINE altsincos altitude_sin_cos(double rho, double z, double a, double e2) {
    double one_e2 = 1.0 - e2;
    double b = a * sqrt(one_e2);
    return bowring_altitude_sin_cos(rho, z, a, e2, sqrt(one_e2), e2 / one_e2 * b);
}

/* geodesy.geodetic_latitude_altitude and geodesy.ecef_to_geodetic (Vermeille's closed form):
   no longer used by rhs; kept for the part loop hf_loop_geodetic (bench_batch.py's
   _loop_geo). */
typedef struct { double lat, alt, sin_lat, cos_lat; } latalt;

INLINE latalt geodetic_latitude_altitude(double rho, double z, double a, double e2) {
    latalt g;
    if (e2 == 0.0) {
        double r = sqrt(rho * rho + z * z);
        g.lat = atan2(z, rho); g.alt = r - a; g.sin_lat = z / r; g.cos_lat = rho / r;
        return g;
    }
    double e4 = e2 * e2;
    double p = rho * rho / (a * a);
    double q = (1.0 - e2) / (a * a) * z * z;
    double r = (p + q - e4) / 6.0;
    double s = e4 * p * q / (4.0 * r * r * r);
    double t = pow(1.0 + s + sqrt(s * (2.0 + s)), 1.0 / 3.0);
    double u = r * (1.0 + t + 1.0 / t);
    double v = sqrt(u * u + e4 * q);
    double w = e2 * (u + v - q) / (2.0 * v);
    double k = sqrt(u + v + w * w) - w;
    double d = k * rho / (k + e2);
    double dz = sqrt(d * d + z * z);
    g.lat = 2.0 * atan2(z, d + dz);
    g.alt = (k + e2 - 1.0) / k * dz;
    g.sin_lat = z / dz;
    g.cos_lat = d / dz;
    return g;
}

typedef struct { double lat, lon, alt; } geodetic;

INLINE geodetic ecef_to_geodetic(double x, double y, double z, double a, double e2) {
    latalt la = geodetic_latitude_altitude(sqrt(x * x + y * y), z, a, e2);
    geodetic g;
    g.lat = la.lat; g.lon = atan2(y, x); g.alt = la.alt;
    return g;
}

/* ---- environment/gravity.py: gravity_j2 --------------------------------------------------- */
typedef struct { double x, y, z; } vec3;

INLINE vec3 gravity_j2(double x, double y, double z, double mu, double re, double j2) {
    vec3 g;
    double r2 = x * x + y * y + z * z;
    double r = sqrt(r2);
    double k = -mu / (r2 * r);
    if (j2 == 0.0) { g.x = k * x; g.y = k * y; g.z = k * z; return g; }
    double c = 1.5 * j2 * (re * re) / r2;
    double zz = 5.0 * z * z / r2;
    double fxy = 1.0 + c * (1.0 - zz);
    double fz = 1.0 + c * (3.0 - zz);
    g.x = k * x * fxy; g.y = k * y * fxy; g.z = k * z * fz;
    return g;
}

/* ---- environment/atmosphere.py: us76_kernel ----------------------------------------------- */
typedef struct { double t, p, rho, a, mu; } us76_state;

static const double US76_M_RATIO[US76_N_M_RATIO] = US76_M_RATIO_VALUES;

/* atmosphere._sutherland */
INLINE double sutherland(double t_k) {
    return US76_SUTHERLAND_BETA * t_k * sqrt(t_k) / (t_k + US76_SUTHERLAND_S_K);
}

/* atmosphere._upper_temperature (the temperature only: the kernel drops the gradient) */
INLINE double upper_temperature(double z_m) {
    if (z_m <= US76_Z8_M) return US76_T7_K;
    if (z_m <= US76_Z9_M) {
        double u = (z_m - US76_Z8_M) / US76_A_ELL_M;
        double s = sqrt(1.0 - u * u);
        return US76_TC_K + US76_A_ELL_K * s;
    }
    if (z_m <= US76_Z10_M) return US76_T9_K + US76_LK9_K_M * (z_m - US76_Z9_M);
    double r = (US76_R0_M + US76_Z10_M) / (US76_R0_M + z_m);
    double e = exp(-US76_LAMBDA_1_M * (z_m - US76_Z10_M) * r);
    return US76_T_INF_K - (US76_T_INF_K - US76_T10_K) * e;
}

#define ATM(row, col) table[(row) * US76_N_COLS + (col)]

INLINE us76_state us76_kernel(double z_m, const double *table) {
    us76_state s;
    if (!(z_m == z_m)) {
        s.t = s.p = s.rho = s.a = s.mu = NAN;
        return s;
    }
    if (z_m < US76_Z7_M) {
        double h = US76_R0_M * z_m / (US76_R0_M + z_m);
        int64_t row = US76_ROW_LAYERS + 6;
        while (row > US76_ROW_LAYERS && h < ATM(row, 0)) row -= 1;
        double h_b = ATM(row, 0), l_b = ATM(row, 1), tm_b = ATM(row, 2), p_b = ATM(row, 3);
        double tm = tm_b + l_b * (h - h_b);
        double p;
        if (h >= 0.0) {
            /* The layer's piece of Taylor polynomial, Estrin's scheme (same operation order). */
            int64_t first = (int64_t)ATM(row, 4);
            int64_t j = (int64_t)((h - h_b) * (1.0 / US76_POLY_DH_M));
            int64_t last = (int64_t)ATM(row + 1, 4) - first - 1;
            int64_t r = US76_ROW_POLY + 2 * (first + (j < last ? j : last));
            double u = (h - ATM(r + 1, 4)) * (2.0 / US76_POLY_DH_M);
            double u2 = u * u;
            double u4 = u2 * u2;
            p = ((ATM(r, 0) + ATM(r, 1) * u) + (ATM(r, 2) + ATM(r, 3) * u) * u2)
                + (((ATM(r, 4) + ATM(r + 1, 0) * u) + (ATM(r + 1, 1) + ATM(r + 1, 2) * u) * u2)
                   + ATM(r + 1, 3) * u4) * u4;
        } else if (l_b == 0.0)
            p = p_b * exp(-G0_M_S2 * US76_M0_KG_KMOL * (h - h_b) / (US76_R_STAR_J_KMOL_K * tm_b));
        else
            p = p_b * pow(tm_b / tm, G0_M_S2 * US76_M0_KG_KMOL / (US76_R_STAR_J_KMOL_K * l_b));
        double rho = p * US76_M0_KG_KMOL / (US76_R_STAR_J_KMOL_K * tm);
        double t = tm;
        if (z_m > US76_M_RATIO_Z0_M) {
            double x = (z_m - US76_M_RATIO_Z0_M) / US76_M_RATIO_DZ_M;
            int64_t j = (int64_t)x;
            if (j > US76_N_M_RATIO - 2) j = US76_N_M_RATIO - 2;
            double w = x - j;
            t = tm * ((1.0 - w) * US76_M_RATIO[j] + w * US76_M_RATIO[j + 1]);
        }
        s.t = t; s.p = p; s.rho = rho;
        s.a = sqrt(US76_GAMMA_AIR * US76_R_STAR_J_KMOL_K * tm / US76_M0_KG_KMOL);
        s.mu = sutherland(tm);
        return s;
    }
    double z0 = ATM(0, 0), dz = ATM(0, 1);
    int64_t n = (int64_t)ATM(0, 2);
    if (z_m > US76_Z12_M) {
        int64_t last = US76_ROW_NODES + n - 1;
        s.t = US76_T_INF_K; s.p = 0.0; s.rho = 0.0;
        s.a = sqrt(US76_GAMMA_AIR) * exp(0.5 * (ATM(last, 1) - ATM(last, 2)));
        s.mu = sutherland(ATM(last, 3));
        return s;
    }
    double x = (z_m - z0) / dz;
    int64_t i = (int64_t)x;
    if (i > n - 2) i = n - 2;
    double w = x - i;
    int64_t r = US76_ROW_NODES + i;
    double ln_p = ATM(r, 1) + w * (ATM(r + 1, 1) - ATM(r, 1));
    double ln_rho = ATM(r, 2) + w * (ATM(r + 1, 2) - ATM(r, 2));
    double t = upper_temperature(z_m);
    s.t = t; s.p = exp(ln_p); s.rho = exp(ln_rho);
    s.a = sqrt(US76_GAMMA_AIR) * exp(0.5 * (ln_p - ln_rho));
    s.mu = sutherland(t);
    return s;
}
#undef ATM

/* ---- core/aerodynamics.py ------------------------------------------------------------------ */
/* aerodynamics._table (schema.aero_table_layout) */
INLINE pair aero_table(const double *tables, int64_t off, double mach, double alpha) {
    int64_t nm = (int64_t)tables[off], na = (int64_t)tables[off + 1];
    int64_t m0 = off + 3, a0 = m0 + nm, c0 = a0 + na, d0 = c0 + na * nm;
    int mirror = tables[off + 2] != 0.0;
    double sign = 1.0, a = alpha;
    if (mirror && a < 0.0) { sign = -1.0; a = -a; }
    interval m = bracket(mach, tables, m0, nm);
    interval al = bracket(a, tables, a0, na);
    pair r;
    r.a = sign * bilinear(tables, c0, na, nm, al.i, al.w, m.i, m.w);
    r.b = bilinear(tables, d0, na, nm, al.i, al.w, m.i, m.w);
    return r;
}

/* aerodynamics.coefficients (AERO_POLYNOMIAL is rejected before the call) */
INLINE pair coefficients(const hf_phase *ph, const double *tables, double mach, double alpha) {
    pair c;
    if (ph->aero_model == AERO_CONSTANT) { c.a = ph->cl; c.b = ph->cd; }
    else if (ph->aero_model == AERO_TABLE) c = aero_table(tables, ph->aero_table, mach, alpha);
    else { c.a = 0.0; c.b = 0.0; return c; }
    c.a = c.a * ph->lift_scale;
    c.b = c.b * ph->drag_scale;
    return c;
}

/* ---- core/propulsion.py -------------------------------------------------------------------- */
INLINE pair thrust_and_mass_flow(const hf_phase *ph, const double *tables, double mach, double alt,
                                 double throttle) {
    pair r;
    double thrust, mdot;
    if (ph->thrust_model == THRUST_TABLE) {
        /* propulsion._table (schema.thrust_table_layout) */
        int64_t off = ph->thrust_table;
        int64_t nm = (int64_t)tables[off], na = (int64_t)tables[off + 1];
        int64_t m0 = off + 4, h0 = m0 + nm, f0 = h0 + na, i0 = f0 + na * nm;
        double mach_min = tables[off + 2], mach_max = tables[off + 3];
        if (mach < mach_min || mach > mach_max || throttle <= 0.0) {
            thrust = 0.0; mdot = 0.0;
        } else {
            interval m = bracket(mach, tables, m0, nm);
            interval h = bracket(alt, tables, h0, na);
            thrust = throttle * bilinear(tables, f0, na, nm, h.i, h.w, m.i, m.w);
            mdot = thrust / (linear(tables, i0, nm, m.i, m.w) * G0_M_S2);
        }
    } else {
        thrust = ph->thrust_n; mdot = ph->mass_flow_kg_s;
    }
    if (thrust == 0.0 && mdot == 0.0) { r.a = 0.0; r.b = 0.0; return r; }
    double s = ph->thrust_scale;
    r.a = thrust * s;
    r.b = mdot * s / ph->isp_scale;
    return r;
}

/* ---- core/control.py ----------------------------------------------------------------------- */
typedef struct { double ang, east, north; } target_dir;

/* control.target_geometry and control.central_angle: the central angle, and the east and
   north components of the direction to the target (not normalised), from the sines and
   cosines */
INLINE target_dir target_geometry(double sin_lat, double cos_lat, double sin_lon,
                                  double cos_lon, const hf_phase *ph) {
    double st = ph->target_sin_lat, ct = ph->target_cos_lat;
    double sdl = ph->target_sin_lon * cos_lon - ph->target_cos_lon * sin_lon;
    double cdl = ph->target_cos_lon * cos_lon + ph->target_sin_lon * sin_lon;
    double east = ct * sdl;
    double north = cos_lat * st - sin_lat * ct * cdl;
    target_dir r;
    r.ang = hf_atan2(sqrt(east * east + north * north), sin_lat * st + cos_lat * ct * cdl);
    r.east = east;
    r.north = north;
    return r;
}

/* control._steer_bank */
INLINE double steer_bank(const hf_phase *ph, double tp, double bearing_error) {
    int64_t n_rev = ph->n_reversals;
    if (n_rev > 0) {
        double sign = 1.0;
        for (int64_t i = 0; i < n_rev; i++)
            if (tp >= ph->reversal_times_s[i]) sign = -sign;
        return sign * ph->bank_rad;
    }
    double bmax = ph->bank_max_rad;
    return clamp(ph->heading_gain * bearing_error, -bmax, bmax);
}

typedef struct { double alpha, bank, th_el, th_az, throttle; } control_out;

/* control.controls */
INLINE control_out controls(const hf_phase *ph, const double *tables, double tp, double alt,
                            double vrel, double vup, double mach, double tgt_dist,
                            double bearing_error) {
    control_out c;
    int64_t law = ph->law;
    double az_off = ph->thrust_azimuth_offset_rad;
    if (law == LAW_SCHEDULE) {
        /* schema.schedule_layout */
        int64_t off = ph->schedule_table;
        int64_t n = (int64_t)tables[off];
        int64_t t0 = off + 1;
        interval iv = bracket(tp, tables, t0, n);
        c.alpha = linear(tables, t0 + n, n, iv.i, iv.w);
        c.bank = linear(tables, t0 + 2 * n, n, iv.i, iv.w);
        c.th_el = linear(tables, t0 + 3 * n, n, iv.i, iv.w);
        c.th_az = linear(tables, t0 + 4 * n, n, iv.i, iv.w) + az_off;
        c.throttle = linear(tables, t0 + 5 * n, n, iv.i, iv.w);
        return c;
    }
    if (is_feedback(law)) {
        double bank = steer_bank(ph, tp, bearing_error);
        double throttle = 1.0, alpha;
        if (law == LAW_GLIDE) {
            double v = py_max(vrel, 1.0);
            alpha = ph->alpha_rad - ph->damping * vup / v;
        } else if (law == LAW_CRUISE) {
            alpha = ph->alpha_rad + ph->altitude_gain_rad_m * (ph->altitude_cmd_m - alt)
                    - ph->altitude_rate_gain_rad_m_s * vup;
            throttle = clamp(ph->throttle + ph->mach_gain * (ph->mach_cmd - mach), 0.0, 1.0);
        } else {
            double dist = py_max(tgt_dist, 1.0);
            double gamma_cmd = -hf_atan2(py_max(alt, 0.0), dist);
            double gamma = asin(clamp(vup / py_max(vrel, 1e-9), -1.0, 1.0));
            alpha = ph->alpha_rad + ph->gamma_gain * (gamma_cmd - gamma);
        }
        alpha = clamp(alpha, ph->alpha_min_rad, ph->alpha_max_rad);
        if (alpha < 0.0 && ph->n_reversals == 0) bank = -bank;
        c.alpha = alpha; c.bank = bank; c.th_el = ph->thrust_elevation_rad;
        c.th_az = ph->thrust_azimuth_rad + az_off; c.throttle = throttle;
        return c;
    }
    c.alpha = ph->alpha_rad; c.bank = ph->bank_rad; c.th_el = ph->thrust_elevation_rad;
    c.th_az = ph->thrust_azimuth_rad + az_off; c.throttle = ph->throttle;
    return c;
}

/* control.lift_limit */
INLINE double lift_limit(const hf_phase *ph, double qbar, double mass, double g0) {
    double nmax = ph->max_load_factor_g;
    if (!is_feedback(ph->law) || nmax <= 0.0 || qbar <= 0.0) return INFINITY;
    return nmax * g0 * mass / (qbar * ph->reference_area_m2);
}

/* ---- core/equations.py: rhs ---------------------------------------------------------------- */
/* 1 when the phase or the environment needs a model this port does not cover. */
INLINE int unsupported(const hf_phase *ph, const hf_env *env) {
    return ph->aero_model == AERO_POLYNOMIAL || env->atmosphere_model != ATMOSPHERE_US76
           || env->wind_table >= 0;
}

/* Writes dy/dt (NSTATE) and the derived quantities (NAUX, schema.AUX_*); returns 0, or 1
   (nothing written) for a model this port does not cover. */
int hf_rhs(double t, const double *y, double tp, const hf_phase *ph, const hf_env *env,
           const double *tables, const double *atm, double *dy, double *aux) {
    if (unsupported(ph, env)) return 1;
    double a_e = env->equatorial_radius_m, e2 = env->eccentricity_squared;
    double om = env->rotation_rate_rad_s;
    double x = y[0], yy = y[1], z = y[2], vx = y[3], vy = y[4], vz = y[5], m = y[6];
    pair sc = sin_cos(om * t);
    double c = sc.b, s = sc.a;
    double xe = c * x + s * yy;
    double ye = -s * x + c * yy;
    double rho_ax = sqrt(x * x + yy * yy);
    altsincos g = bowring_altitude_sin_cos(rho_ax, z, a_e, e2, env->axis_ratio, env->bowring_ep2b_m);
    double alt = g.alt, sphi = g.sin_lat, cphi = g.cos_lat;
    double gx_ = vx + om * yy, gy_ = vy - om * x, gz_ = vz;
    double speed = sqrt(gx_ * gx_ + gy_ * gy_ + gz_ * gz_);
    double clam, slam, clon_e, slon_e;
    if (rho_ax > 0.0) {
        clam = x / rho_ax; slam = yy / rho_ax; clon_e = xe / rho_ax; slon_e = ye / rho_ax;
    } else {
        clam = c; slam = s; clon_e = 1.0; slon_e = 0.0;
    }
    double ux = cphi * clam, uy = cphi * slam, uz = sphi;
    double nx = -sphi * clam, ny = -sphi * slam, nz = cphi;
    double ex = -slam, ey = clam, ez = 0.0;
    double vup = gx_ * ux + gy_ * uy + gz_ * uz;
    double w_e = 0.0, w_n = 0.0; /* no wind (a wind table is rejected above) */
    double wx = gx_ - w_e * ex - w_n * nx;
    double wy = gy_ - w_e * ey - w_n * ny;
    double wz = gz_ - w_n * nz;
    double vrel = sqrt(wx * wx + wy * wy + wz * wz);

    /* equations.atmosphere, US 1976 */
    us76_state at = us76_kernel(alt, atm);
    double temp = at.t, pres = at.p, rho = at.rho * env->density_scale, sos = at.a;
    double mach = sos > 0.0 ? vrel / sos : 0.0;
    double qbar = 0.5 * rho * vrel * vrel;

    target_dir tg = target_geometry(sphi, cphi, slon_e, clon_e, ph);
    double tgt_dist = tg.ang * env->mean_radius_m;
    double brg_err = 0.0;
    if (steers_to_target(ph)) {
        /* The target's bearing less the heading of the Earth-relative velocity, in
           [-pi, pi]: one arctangent of the two directions' cross and dot products. */
        double v_e = gx_ * ex + gy_ * ey;
        double v_n = gx_ * nx + gy_ * ny + gz_ * nz;
        brg_err = hf_atan2(tg.east * v_n - tg.north * v_e, tg.north * v_n + tg.east * v_e);
    }
    control_out u = controls(ph, tables, tp, alt, vrel, vup, mach, tgt_dist, brg_err);
    double alpha = u.alpha, bank = u.bank;

    double evx, evy, evz;
    if (vrel > 1e-9) { evx = wx / vrel; evy = wy / vrel; evz = wz / vrel; }
    else { evx = ux; evy = uy; evz = uz; }
    double d = ux * evx + uy * evy + uz * evz;
    double lx = ux - d * evx, ly = uy - d * evy, lz = uz - d * evz;
    double ln = sqrt(lx * lx + ly * ly + lz * lz);
    if (ln < 1e-9) {
        d = nx * evx + ny * evy + nz * evz;
        lx = nx - d * evx; ly = ny - d * evy; lz = nz - d * evz;
        ln = sqrt(lx * lx + ly * ly + lz * lz);
    }
    lx = lx / ln; ly = ly / ln; lz = lz / ln;
    double rx = evy * lz - evz * ly, ry = evz * lx - evx * lz, rz = evx * ly - evy * lx;
    double cb = 1.0, sb = 0.0;
    if (bank != 0.0) { pair b = sin_cos(bank); sb = b.a; cb = b.b; }
    double bx = cb * lx + sb * rx, by = cb * ly + sb * ry, bz = cb * lz + sb * rz;

    pair co = coefficients(ph, tables, mach, alpha);
    double cl = co.a, cd = co.b;
    double cl_lim = lift_limit(ph, qbar, m, G0_M_S2);
    if (cl != 0.0 && fabs(cl) > cl_lim) {
        if (ph->aero_model == AERO_CONSTANT) {
            cl = copysign(cl_lim, cl);
        } else {
            alpha = alpha * cl_lim / fabs(cl);
            co = coefficients(ph, tables, mach, alpha);
            cl = co.a; cd = co.b;
        }
    }
    double fa = qbar * ph->reference_area_m2 / m;
    double fx = fa * (cl * bx - cd * evx);
    double fy = fa * (cl * by - cd * evy);
    double fz = fa * (cl * bz - cd * evz);

    pair tm = thrust_and_mass_flow(ph, tables, mach, alt, u.throttle);
    double thrust = tm.a, mdot = tm.b;
    if (thrust != 0.0) {
        double tx, ty, tz;
        if (ph->thrust_direction == THRUST_ATTITUDE) {
            pair el = sin_cos(u.th_el), az = sin_cos(u.th_az);
            double ce = el.b;
            double tn = ce * az.b, te = ce * az.a, td = -el.a;
            tx = tn * nx + te * ex - td * ux;
            ty = tn * ny + te * ey - td * uy;
            tz = tn * nz + te * ez - td * uz;
        } else {
            pair al = sin_cos(alpha);
            double ca = al.b, sa = al.a;
            tx = ca * evx + sa * bx; ty = ca * evy + sa * by; tz = ca * evz + sa * bz;
        }
        double ft = thrust / m;
        fx += ft * tx; fy += ft * ty; fz += ft * tz;
    }

    vec3 gr = gravity_j2(x, yy, z, env->mu_m3_s2, a_e, env->j2);
    dy[0] = vx; dy[1] = vy; dy[2] = vz;
    dy[3] = gr.x + fx; dy[4] = gr.y + fy; dy[5] = gr.z + fz;
    dy[6] = -mdot;

    aux[AUX_ALT] = alt;
    /* AUX_LAT and AUX_LON are not written, as in equations.rhs. */
    aux[AUX_MACH] = mach;
    aux[AUX_QBAR] = qbar;
    aux[AUX_ALPHA] = alpha;
    aux[AUX_BANK] = bank;
    aux[AUX_CL] = cl;
    aux[AUX_CD] = cd;
    aux[AUX_THRUST] = thrust;
    aux[AUX_NLOAD] = sqrt(fx * fx + fy * fy + fz * fz) / G0_M_S2;
    aux[AUX_RHO] = rho;
    aux[AUX_P] = pres;
    aux[AUX_T] = temp;
    aux[AUX_A] = sos;
    aux[AUX_VREL] = vrel;
    aux[AUX_VUP] = vup;
    aux[AUX_THROTTLE] = u.throttle;
    aux[AUX_TGT_DIST] = tgt_dist;
    aux[AUX_HEATING] = sqrt(rho) * vrel * vrel * vrel;
    aux[AUX_WIND_EAST] = w_e;
    aux[AUX_WIND_NORTH] = w_n;
    aux[AUX_SPEED] = speed;
    return 0;
}

/* ---- entry points for ctypes -------------------------------------------------------------- */
/* dy[i], aux[i] = rhs(t[i], y[i], tp[i], phases[phase_index[i]], ...); the number of states
   not covered by this port. */
int64_t hf_rhs_many(int64_t n, const double *t, const double *y, const double *tp,
                    const int64_t *phase_index, const hf_phase *phases, const hf_env *env,
                    const double *tables, const double *atm, double *dy, double *aux) {
    int64_t bad = 0;
    for (int64_t i = 0; i < n; i++)
        bad += hf_rhs(t[i], y + i * NSTATE, tp[i], phases + phase_index[i], env, tables, atm,
                      dy + i * NSTATE, aux + i * NAUX);
    return bad;
}

/* hf_rhs_many, reps times (the timing loop: no Python between the evaluations). */
int64_t hf_rhs_loop(int64_t reps, int64_t n, const double *t, const double *y, const double *tp,
                    const int64_t *phase_index, const hf_phase *phases, const hf_env *env,
                    const double *tables, const double *atm, double *dy, double *aux) {
    int64_t bad = 0;
    for (int64_t r = 0; r < reps; r++)
        bad += hf_rhs_many(n, t, y, tp, phase_index, phases, env, tables, atm, dy, aux);
    return bad;
}

/* The parts alone, as benchmarks/bench_batch.py times them in numba (_loop_geo, _loop_atm,
   _loop_grav) and benchmarks/bench_rhs_c.py (_loop_alt, the altitude rhs uses): the same
   arguments, the same accumulation. */
double hf_loop_geodetic(int64_t n, double a, double e2) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; i++) acc += ecef_to_geodetic(6.4e6 + 1e-3 * i, 1.0e5, 2.0e5, a, e2).alt;
    return acc;
}

double hf_loop_altitude(int64_t n, double a, double e2) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; i++) acc += altitude_sin_cos(6.4e6 + 1e-3 * i, 2.0e5, a, e2).alt;
    return acc;
}

double hf_loop_us76(int64_t n, const double *atm) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; i++) acc += us76_kernel(40000.0 + 1e-3 * i, atm).rho;
    return acc;
}

double hf_loop_gravity(int64_t n, double mu, double a, double j2) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; i++) acc += gravity_j2(6.4e6 + 1e-3 * i, 1.0e5, 2.0e5, mu, a, j2).x;
    return acc;
}
