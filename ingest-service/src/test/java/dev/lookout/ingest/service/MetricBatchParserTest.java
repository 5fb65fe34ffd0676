package dev.lookout.ingest.service;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming reader of POST /metrics bodies, without a server. */
class MetricBatchParserTest {

    record Got(String name, long step, double value, long wall) {
    }

    static List<Got> parse(String body, int max) {
        List<Got> out = new ArrayList<>();
        new MetricBatchParser(max).parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                (name, step, value, wall) -> out.add(new Got(name, step, value, wall)));
        return out;
    }

    static BadInputException fails(String body, int max) {
        return assertThrows(BadInputException.class, () -> parse(body, max));
    }

    @Test
    void shouldReadPointsNormalisingNamesAndAcceptingPythonsNumbers() {
        List<Got> got = parse("{\"points\": [{\"name\": \"loss\", \"step\": 1, \"value\": NaN},"
                + "{\"value\": \"-Infinity\", \"step\": \"2\", \"name\": \"eval_loss\", \"extra\": [1, {\"a\": 2}]},"
                + "{\"name\": \"grad_norm\", \"step\": 3.0, \"value\": 7, \"wallTime\": \"2000-01-01T00:00:01Z\"}], \"meta\": {}}", 10);
        assertEquals(3, got.size());
        assertEquals("train/loss", got.get(0).name());
        assertTrue(Double.isNaN(got.get(0).value()));
        assertEquals(new Got("eval/loss", 2, Double.NEGATIVE_INFINITY, PointSink.NO_WALL), got.get(1));
        assertEquals(new Got("train/grad_norm", 3, 7.0, 1_000_000L), got.get(2));
    }

    @Test
    void shouldAnswer413AsSoonAsTheLimitIsPassed() {
        StringBuilder sb = new StringBuilder("{\"points\": [");
        for (int i = 0; i < 6; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"name\": \"loss\", \"step\": ").append(i).append(", \"value\": 1}");
        }
        BadInputException e = fails(sb + ", this is never read", 5);
        assertEquals(413, e.status());
        assertEquals("points", e.problems().get(0).field());
    }

    @Test
    void shouldListAtMostFiftyBadPointsAndPassNoneOnAfterTheFirst() {
        StringBuilder sb = new StringBuilder("{\"points\": [{\"name\": \"loss\", \"step\": 0, \"value\": 1}");
        for (int i = 1; i <= 80; i++) {
            sb.append(",{\"name\": \"loss\", \"step\": -").append(i).append(", \"value\": 1}");
        }
        List<Got> got = new ArrayList<>();
        BadInputException e = assertThrows(BadInputException.class, () -> new MetricBatchParser(1000).parse(
                new ByteArrayInputStream((sb + "]}").getBytes(StandardCharsets.UTF_8)),
                (name, step, value, wall) -> got.add(new Got(name, step, value, wall))));
        assertEquals(422, e.status());
        assertEquals(MetricBatchParser.MAX_PROBLEMS, e.problems().size());
        assertEquals(1, e.problems().get(0).index());
        assertTrue(e.getMessage().contains("50 or more points are invalid"), e.getMessage());
        assertEquals(1, got.size()); // the sink saw only the point before the first bad one; the caller rolls it back
    }

    @Test
    void shouldNameTheFieldOfAWrongType() {
        BadInputException e = fails("{\"points\": [{\"name\": \"loss\", \"step\": 1, \"value\": 1}, {\"name\": \"loss\", \"step\": 2, \"value\": true}]}", 10);
        assertEquals(400, e.status());
        assertEquals("points[1].value", e.problems().get(0).field());
        assertEquals(1, e.problems().get(0).index());
        e = fails("{\"points\": [{\"name\": \"loss\", \"step\": 99999999999999999999, \"value\": 1}]}", 10);
        assertEquals("points[0].step", e.problems().get(0).field());
        e = fails("{\"points\": [{\"name\": \"loss\", \"step\": 1, \"value\": 1, \"wallTime\": \"yesterday\"}]}", 10);
        assertEquals("points[0].wallTime", e.problems().get(0).field());
        e = fails("{\"points\": [{\"name\": \"loss\", \"step\": 1, \"value\": 1, \"wallTime\": 1e15}]}", 10);
        assertEquals("points[0].wallTime", e.problems().get(0).field());
        e = fails("{\"points\": [{\"name\": \"loss\",\n \"step\": 1, \"value\": }]}", 10);
        assertEquals(400, e.status());
        assertEquals(2L, e.problems().get(0).line());
    }
}
