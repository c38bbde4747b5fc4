package dev.deepprob.demos.plot;

import java.awt.Color;

/** A colour map: a number t in [0, 1] to a colour (values outside are clamped, NaN is transparent white). */
@FunctionalInterface
public interface ColorMap {
    /** The colour for t in [0, 1] as 0xRRGGBB. */
    int rgb(double t);

    /** The colour for t as a {@link Color}. */
    default Color color(double t) { return new Color(rgb(t)); }

    /**
     * Matplotlib's default map, viridis (perceptually uniform, readable in grey), as the degree-6 polynomial fit of
     * Matt Zucker (shadertoy WlfXRN), within about 1% of the table.
     */
    ColorMap VIRIDIS = t -> {
        double x = clamp(t);
        double r = 0.2777273272234177 + x * (0.1050930431085774 + x * (-0.3308618287255563 + x * (-4.634230498983486
                + x * (6.228269936347081 + x * (4.776384997670288 + x * -5.435455855934631)))));
        double g = 0.005407344544966578 + x * (1.404613529898575 + x * (0.214847559468213 + x * (-5.799100973351585
                + x * (14.17993336680509 + x * (-13.74514537774601 + x * 4.645852612178535)))));
        double b = 0.3340998053353061 + x * (1.384590162594685 + x * (0.09509516302823659 + x * (-19.33244095627987
                + x * (56.69055260068105 + x * (-65.35303263337234 + x * 26.3124352495832)))));
        return pack(r, g, b);
    };

    /** A diverging blue-white-red map (ColorBrewer RdBu reversed: low values blue, high values red), for probabilities. */
    ColorMap BLUE_RED = stops(new double[]{0, 0.25, 0.5, 0.75, 1},
            new int[]{0x2166ac, 0x92c5de, 0xf7f7f7, 0xf4a582, 0xb2182b});

    /** White to black. */
    ColorMap GREYS = t -> {
        double v = 1 - clamp(t);
        return pack(v, v, v);
    };

    /** Piecewise-linear interpolation between colour stops at increasing positions from 0 to 1. */
    static ColorMap stops(double[] at, int[] rgb) {
        if (at.length != rgb.length || at.length < 2) throw new IllegalArgumentException("ColorMap.stops: need at least two stops, "
                + "as many positions as colours, got " + at.length + " and " + rgb.length);
        double[] pos = at.clone();
        int[] col = rgb.clone();
        return t -> {
            double x = clamp(t);
            int k = 1;
            while (k < pos.length - 1 && x > pos[k]) k++;
            double f = (x - pos[k - 1]) / (pos[k] - pos[k - 1]);
            int a = col[k - 1], b = col[k];
            return pack(lerp(a >> 16 & 255, b >> 16 & 255, f) / 255, lerp(a >> 8 & 255, b >> 8 & 255, f) / 255,
                    lerp(a & 255, b & 255, f) / 255);
        };
    }

    private static double lerp(double a, double b, double f) { return a + (b - a) * f; }

    private static double clamp(double t) { return Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)); }

    private static int pack(double r, double g, double b) {
        int ri = (int) Math.round(255 * Math.max(0, Math.min(1, r)));
        int gi = (int) Math.round(255 * Math.max(0, Math.min(1, g)));
        int bi = (int) Math.round(255 * Math.max(0, Math.min(1, b)));
        return ri << 16 | gi << 8 | bi;
    }
}
