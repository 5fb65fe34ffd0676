package dev.lookout.systemtests;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The simulator's admin API (knobs and counters) for the fault tests; {@link #restore} undoes a test's knobs. */
final class SimulatorControl {

    private SimulatorControl() {
    }

    /** The current knobs, to hand back to {@link #restore} when the test ends. */
    static Map<String, Object> knobs() {
        return given().baseUri(SystemUnderTest.SIMULATOR_URL).when().get("/admin/config")
                .then().statusCode(200).extract().jsonPath().getMap("$");
    }

    /** Changes some knobs at once (e.g. latencyMs, jitterMs, modelFaults). */
    static void set(Map<String, Object> knobs) {
        given().baseUri(SystemUnderTest.SIMULATOR_URL).contentType(ContentType.JSON).body(knobs)
                .when().put("/admin/config").then().statusCode(200);
    }

    static void restore(Map<String, Object> knobs) {
        if (knobs != null) {
            set(knobs);
        }
    }

    static JsonPath stats() {
        return given().baseUri(SystemUnderTest.SIMULATOR_URL).when().get("/admin/stats")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Zeroes the totals; peaks restart from what is in flight now. */
    static void resetStats() {
        given().baseUri(SystemUnderTest.SIMULATOR_URL).when().post("/admin/stats/reset").then().statusCode(200);
    }

    /** The most requests ever in flight at once with this API key (one endpoint), since the last reset. */
    static int maxInFlight(String apiKey) {
        Object peak = stats().getMap("byApiKey").get(apiKey) instanceof Map<?, ?> m ? m.get("maxInFlight") : null;
        return peak == null ? 0 : ((Number) peak).intValue();
    }

    /** A counter of {@code model} (requests, inFlight, maxInFlight, errors500, hangs); 0 when it never came. */
    static long modelCounter(String model, String counter) {
        Object value = stats().getMap("byModel").get(model) instanceof Map<?, ?> m ? m.get(counter) : null;
        return value == null ? 0 : ((Number) value).longValue();
    }
}
