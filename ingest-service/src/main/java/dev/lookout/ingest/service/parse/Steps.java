package dev.lookout.ingest.service.parse;

final class Steps {

    private Steps() {
    }

    static boolean isStep(double d) {
        return Double.isFinite(d) && d >= 0 && d == Math.rint(d) && d < 9.0e15;
    }

    static String shown(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Values.NotANumber n) {
            return n.shown;
        }
        double d = (Double) v;
        return d == Math.rint(d) && Double.isFinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
