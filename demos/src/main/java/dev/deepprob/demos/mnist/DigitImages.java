package dev.deepprob.demos.mnist;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Grids of 28 x 28 grey-level digits (ink dark on white, as on paper), enlarged, under a title. */
final class DigitImages {
    private DigitImages() {}

    static final int SIDE = 28, GAP = 2, HEAD = 44;

    /**
     * @param pixels one row of 784 values in [0, 1] per image (1 = ink), row-major, {@code rows * cols} of them
     * @param scale  screen pixels per digit pixel
     * @param gapRows rows after which a wider gap is drawn (e.g. every second row to pair originals and
     *                reconstructions), 0 for none
     */
    static BufferedImage grid(String title, float[] pixels, int rows, int cols, int scale, int gapRows) {
        int cell = SIDE * scale + GAP;
        int extra = gapRows > 0 ? (rows - 1) / gapRows * 8 : 0;
        int w = Math.max(cols * cell + GAP, 420), h = HEAD + rows * cell + GAP + extra;
        BufferedImage img = new BufferedImage(w, Math.max(h, 320), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.setColor(new Color(0x222222));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, img.getWidth() / 2 - fm.stringWidth(title) / 2, 28);
        int x0 = (img.getWidth() - cols * cell - GAP) / 2 + GAP;
        for (int r = 0; r < rows; r++) {
            int y0 = HEAD + r * cell + (gapRows > 0 ? r / gapRows * 8 : 0);
            for (int c = 0; c < cols; c++) {
                int base = (r * cols + c) * SIDE * SIDE;
                if (base >= pixels.length) continue;
                g.setColor(new Color(0xbbbbbb));
                g.drawRect(x0 + c * cell - 1, y0 - 1, SIDE * scale + 1, SIDE * scale + 1);
                for (int py = 0; py < SIDE; py++) {
                    for (int px = 0; px < SIDE; px++) {
                        float v = Math.max(0, Math.min(1, pixels[base + py * SIDE + px]));
                        int grey = Math.round(255 * (1 - v));
                        int rgb = grey << 16 | grey << 8 | grey;
                        for (int dy = 0; dy < scale; dy++) {
                            for (int dx = 0; dx < scale; dx++) img.setRGB(x0 + c * cell + px * scale + dx, y0 + py * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        g.dispose();
        return img;
    }
}
