package dev.deepprob.demos;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formatting for logs, checks and the report: six significant digits, no trailing zeros. */
public final class Fmt {
    private Fmt() {}

    /** v with up to 6 significant digits: {@code 8}, {@code 6.93054}, {@code 1.2e-07}, {@code NaN}. */
    public static String num(double v) { return num(v, 6); }

    /** v with up to {@code digits} significant digits, trailing zeros dropped. */
    public static String num(double v, int digits) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e9) {
            String s = String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
            String mant = s.substring(0, s.indexOf('e')), exp = s.substring(s.indexOf('e') + 1);
            if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
            int e = Integer.parseInt(exp);
            return mant + "e" + (e < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(e));
        }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** Seconds as {@code 0.84 s}, {@code 12.3 s} or {@code 2 min 05 s}. */
    public static String seconds(double s) {
        if (s < 10) return String.format(Locale.ROOT, "%.2f s", s);
        if (s < 120) return String.format(Locale.ROOT, "%.1f s", s);
        long t = Math.round(s);
        return String.format(Locale.ROOT, "%d min %02d s", t / 60, t % 60);
    }
}
