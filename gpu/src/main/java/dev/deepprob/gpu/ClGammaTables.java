package dev.deepprob.gpu;

/**
 * The constant tables of the device's digamma, trigamma and polygamma (elementwise.cl), log Γ and the special
 * functions (special.cl) and the Poisson sampler (random.cl), computed here as engine/cpu/Special.java,
 * SpecialExtra.java and RngKernels.java compute their own (Bernoulli numbers, Euler–Maclaurin weights, the Taylor coefficients of
 * digamma at its positive root from the Hurwitz zeta function) and emitted as OpenCL C source with exact hexadecimal
 * literals, so both backends evaluate the same series with the same coefficients.
 */
final class ClGammaTables {
    private ClGammaTables() {}

    /** The positive root of digamma as hi + lo (Special.ROOT_HI, ROOT_LO). */
    static final double ROOT_HI = 1.4616321449683622, ROOT_LO = 9.549995429965697e-17;

    /** B_2, B_4, ..., B_34. */
    static final double[] BERNOULLI = {
        1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
        43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730, 8553103.0 / 6,
        -23749461029.0 / 870, 8615841276005.0 / 14322, -7709321041217.0 / 510, 2577687858367.0 / 6};

    static final double[] EM = new double[BERNOULLI.length];
    static final double[] PSI_ASYMP = new double[8];
    static final double[] PSI_ROOT = new double[24];
    /** B_{2k} / (2k (2k - 1)), Stirling's series for log Γ, k = 1..8 (Special.STIRLING). */
    static final double[] STIRLING = new double[8];
    /** (-1)^n (ζ(n) - 1) / n for n = 2..31, the Taylor coefficients of log Γ(2 + z) (Special.LGAMMA2). */
    static final double[] LGAMMA2 = new double[30];
    /** log(k!) for k = 0..31 summed as RngKernels sums it (the Poisson sampler's table). */
    static final double[] LOG_FACTORIAL = new double[32];
    /** RngKernels' ½ log 2π (from StrictMath.log, which the device's log need not match to the last bit). */
    static final double RNG_HALF_LOG_2PI = 0.5 * StrictMath.log(2.0 * Math.PI);

    static {
        double fact = 1;
        for (int j = 1; j <= BERNOULLI.length; j++) {
            fact *= (2 * j - 1) * (2.0 * j);
            EM[j - 1] = BERNOULLI[j - 1] / fact;
        }
        for (int k = 1; k <= PSI_ASYMP.length; k++) PSI_ASYMP[k - 1] = BERNOULLI[k - 1] / (2.0 * k);
        for (int k = 1; k <= PSI_ROOT.length; k++) {
            double z = hurwitz(k + 1, ROOT_HI);
            PSI_ROOT[k - 1] = (k & 1) == 1 ? z : -z;
        }
        for (int k = 1; k <= STIRLING.length; k++) STIRLING[k - 1] = BERNOULLI[k - 1] / (2.0 * k * (2 * k - 1));
        for (int n = 2; n < LGAMMA2.length + 2; n++) {
            double zm1 = hurwitz(n, 2.0);
            LGAMMA2[n - 2] = ((n & 1) == 0 ? zm1 : -zm1) / n;
        }
        double acc = 0.0;
        for (int i = 1; i < LOG_FACTORIAL.length; i++) {
            acc += StrictMath.log(i);
            LOG_FACTORIAL[i] = acc;
        }
    }

    /** ζ(s, a) as Special.hurwitz: direct sum up to max(10, s + 10), then the Euler–Maclaurin tail. */
    static double hurwitz(int s, double a) {
        double lim = Math.max(10.0, s + 10.0), sum = 0;
        int k = 0;
        for (; a + k < lim; k++) sum += Math.pow(a + k, -s);
        double w = a + k;
        double wi = 1 / w, wi2 = wi * wi, t = w / (s - 1) + 0.5, f = s * wi;
        for (int j = 1; j <= EM.length; j++) {
            double term = EM[j - 1] * f;
            t += term;
            if (Math.abs(term) < 1e-18 * t) break;
            f *= (s + 2.0 * j - 1) * (s + 2.0 * j) * wi2;
        }
        return sum + Math.pow(w, -s) * t;
    }

    /** The tables as OpenCL C: {@code __constant acc_t NAME[] = {...};}, float literals when the device lacks fp64. */
    static String source() {
        StringBuilder sb = new StringBuilder();
        sb.append("#define PSI_ROOT_HI ").append(lit(ROOT_HI, true)).append('\n');
        sb.append("#define PSI_ROOT_LO ").append(lit(ROOT_LO, true)).append('\n');
        // Special's and SpecialExtra's constants, with the bits their initialisers give them
        define(sb, "SX_EULER_GAMMA", 0.5772156649015329);
        define(sb, "SX_HALF_LOG_2PI_LIT", 0.9189385332046728);
        define(sb, "SX_LOG_PI", 1.1447298858494002);
        define(sb, "SX_SQRT_PI", Math.sqrt(Math.PI));
        define(sb, "SX_TWO_OVER_SQRT_PI", 1.1283791670955126);
        define(sb, "SX_TWO_OVER_SQRT_PI_LO", 1.5335459613165881e-17);
        define(sb, "SX_SQRT2", Math.sqrt(2));
        define(sb, "SX_LN2", Math.log(2));
        define(sb, "SX_HALF_LOG_2PI", 0.5 * Math.log(2 * Math.PI));
        define(sb, "SX_LOG_HALF_MIN_VALUE", Math.log(Double.MIN_VALUE) - Math.log(2));
        sb.append("#define RNG_HALF_LOG_2PI ").append(lit(RNG_HALF_LOG_2PI, true)).append('\n');
        sb.append("#ifdef USE_FP64\n");
        table(sb, "BERNOULLI", BERNOULLI, true);
        table(sb, "EM", EM, true);
        table(sb, "PSI_ASYMP", PSI_ASYMP, true);
        table(sb, "PSI_ROOT", PSI_ROOT, true);
        table(sb, "LOG_FACTORIAL", LOG_FACTORIAL, true);
        table(sb, "STIRLING", STIRLING, true);
        table(sb, "LGAMMA2", LGAMMA2, true);
        sb.append("#else\n");
        table(sb, "BERNOULLI", BERNOULLI, false);
        table(sb, "EM", EM, false);
        table(sb, "PSI_ASYMP", PSI_ASYMP, false);
        table(sb, "PSI_ROOT", PSI_ROOT, false);
        table(sb, "LOG_FACTORIAL", LOG_FACTORIAL, false);
        table(sb, "STIRLING", STIRLING, false);
        table(sb, "LGAMMA2", LGAMMA2, false);
        sb.append("#endif\n");
        return sb.toString();
    }

    private static void define(StringBuilder sb, String name, double v) {
        sb.append("#define ").append(name).append(' ').append(lit(v, true)).append('\n');
    }

    private static void table(StringBuilder sb, String name, double[] v, boolean dbl) {
        sb.append("__constant acc_t ").append(name).append('[').append(v.length).append("] = {");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(lit(v[i], dbl));
        sb.append("};\n");
    }

    private static String lit(double v, boolean dbl) {
        return dbl ? Double.toHexString(v) : Float.toHexString((float) v) + "f";
    }
}
