package dev.lookout.ingest.service.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Number formatting for alarm sentences ("step 4,500", "12 %", "1.552") and small series helpers. */
final class Texts {

    private Texts() {
    }

    static String step(long step) {
        return String.format(Locale.ROOT, "%,d", step);
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return NonFiniteDetector.describe(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    static String percent(double share) {
        double p = share * 100;
        return (p >= 10 || p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p)
                : String.format(Locale.ROOT, "%.1f", p)) + " %";
    }

    /** history then appended, finite values only; {@code appendedFrom} is set to the index of the first appended. */
    static List<SeriesPoint> finite(List<SeriesPoint> history, List<SeriesPoint> appended, int[] appendedFrom) {
        List<SeriesPoint> all = new ArrayList<>(history.size() + appended.size());
        for (SeriesPoint p : history) {
            if (Double.isFinite(p.value())) {
                all.add(p);
            }
        }
        appendedFrom[0] = all.size();
        for (SeriesPoint p : appended) {
            if (Double.isFinite(p.value())) {
                all.add(p);
            }
        }
        return all;
    }

    /** Exponential moving average of the values (alpha = weight of the newest point). */
    static double[] ema(List<SeriesPoint> points, double alpha) {
        double[] out = new double[points.size()];
        double e = 0;
        for (int i = 0; i < out.length; i++) {
            double v = points.get(i).value();
            e = i == 0 ? v : alpha * v + (1 - alpha) * e;
            out[i] = e;
        }
        return out;
    }

    /** At most n points spread evenly over from..to (inclusive), always with both ends. */
    static List<SeriesPoint> evidence(List<SeriesPoint> all, int from, int to, int n) {
        List<SeriesPoint> out = new ArrayList<>();
        int count = to - from + 1;
        if (count <= n) {
            return List.copyOf(all.subList(from, to + 1));
        }
        for (int k = 0; k < n; k++) {
            out.add(all.get(from + (int) Math.round((double) k * (count - 1) / (n - 1))));
        }
        return out;
    }
}
