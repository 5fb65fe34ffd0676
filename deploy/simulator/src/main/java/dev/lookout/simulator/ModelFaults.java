package dev.lookout.simulator;

import java.util.HashMap;
import java.util.Map;

/**
 * The knob {@code modelFaults}: failure and hang rates of single models, e.g. {@code demo-ckpt-777:0.2:0.02} (that
 * model answers 500 to 20 % of its calls and never answers 2 %), so that one target of a probe run fails while the
 * other stays healthy. Decided after the body is read (the model is in it), only for calls the global rates spared.
 */
final class ModelFaults {

    /** One model's rates: share answered 500, share never answered. */
    record Rates(double rate500, double rateHang) {
    }

    private ModelFaults() {
    }

    /** {@code "model:rate500:rateHang[,…]"} → rates by model; "" → {}; anything else → IAE. */
    static Map<String, Rates> parse(String spec) {
        Map<String, Rates> rates = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return rates;
        }
        for (String entry : spec.split(",")) {
            String[] parts = entry.strip().split(":");
            Rates r = parts.length == 3 && !parts[0].isBlank() ? rates(parts[1], parts[2]) : null;
            if (r == null || r.rate500() < 0 || r.rateHang() < 0 || r.rate500() + r.rateHang() > 1) {
                throw new IllegalArgumentException("modelFaults must be model:rate500:rateHang[,…] with rates in "
                        + "0..1 summing to <= 1, got: " + spec);
            }
            rates.put(parts[0].strip(), r);
        }
        return rates;
    }

    private static Rates rates(String rate500, String rateHang) {
        try {
            return new Rates(Double.parseDouble(rate500.strip()), Double.parseDouble(rateHang.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
