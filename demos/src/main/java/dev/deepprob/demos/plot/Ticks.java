package dev.deepprob.demos.plot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** "Nice" axis ticks: steps of 1, 2, 2.5 or 5 times a power of ten, about {@code target} of them over the range. */
public final class Ticks {
    private Ticks() {}

    /** Tick positions inside [lo, hi]. */
    public static double[] of(double lo, double hi, int target) {
        double step = step(lo, hi, target);
        List<Double> t = new ArrayList<>();
        double first = Math.ceil(lo / step - 1e-9) * step;
        for (int i = 0; ; i++) {
            double v = first + i * step;
            if (v > hi + step * 1e-9) break;
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
            if (i > 1000) break;
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The tick step for the range. */
    public static double step(double lo, double hi, int target) {
        double range = hi - lo;
        if (!(range > 0) || !Double.isFinite(range)) return 1;
        double rough = range / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(rough)));
        double[] nice = {1, 2, 2.5, 5, 10};
        for (double n : nice) if (n * mag >= rough * 0.999) return n * mag;
        return 10 * mag;
    }

    /** A tick label with no more decimals than the step needs ("2", "0.5", "-1.25"). */
    public static String label(double v, double step) {
        if (v == 0) return "0";
        BigDecimal s = new BigDecimal(Double.toString(step)).stripTrailingZeros();
        int decimals = Math.max(0, s.scale());
        return new BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }
}
