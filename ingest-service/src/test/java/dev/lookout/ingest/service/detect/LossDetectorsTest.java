package dev.lookout.ingest.service.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Divergence, plateau, overfitting, too-fast drop and grad-norm explosion on synthetic series. */
class LossDetectorsTest {

    final DivergenceDetector divergence = new DivergenceDetector(0.1, 100, 0.5, 0.1, 50, 100, 30);
    final PlateauDetector plateau = new PlateauDetector(400, 0.0, 100);
    final OverfittingDetector overfitting = new OverfittingDetector(0.01, 0.02, 2, 10);
    final TooFastDropDetector tooFast = new TooFastDropDetector(0.1, 0.02, 0.2, 5, 20, 0.6, 0.2, 100, 50, 2000);
    final GradNormDetector gradNorm = new GradNormDetector(50, 20, 100, 20, 10, 100);

    /** Healthy SFT loss: fast early drop, then a slow noisy decay that keeps improving (seeded). */
    static List<SeriesPoint> healthy(int n, long seed) {
        Random r = new Random(seed);
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double v = 0.8 + 1.7 * Math.exp(-i / 60.0) - 0.0004 * i + 0.03 * r.nextGaussian();
            out.add(new SeriesPoint((i + 1) * 10L, v));
        }
        return out;
    }

    static List<SeriesPoint> noisyDpo(int n, long seed) {
        Random r = new Random(seed);
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SeriesPoint(i + 1, Math.max(0.0, 0.69 + 0.18 * r.nextGaussian())));
        }
        return out;
    }

    static List<SeriesPoint> grpoNearZero(int n, long seed) {
        Random r = new Random(seed);
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SeriesPoint(i + 1, i % 7 == 0 ? 0.0 : 0.01 * r.nextGaussian()));
        }
        return out;
    }

    static List<Finding> all(Detector d, List<SeriesPoint> pts) {
        return d.detect("train/loss", List.of(), pts);
    }

    // ---- negative: healthy shapes raise nothing

    @Test
    void shouldStayQuietOnHealthyNoisyAndNearZeroLosses() {
        for (List<SeriesPoint> pts : List.of(healthy(800, 1), healthy(1500, 2), noisyDpo(600, 3), grpoNearZero(600, 4))) {
            assertTrue(all(divergence, pts).isEmpty(), "divergence");
            assertTrue(all(plateau, pts.size() > 700 && pts.get(0).value() > 1 ? pts : List.of()).isEmpty(), "plateau");
            assertTrue(all(tooFast, pts).isEmpty(), "too-fast-drop");
        }
    }

    // ---- divergence

    @Test
    void shouldCallASustainedRiseDivergenceFromWhereTheSmoothedLossBottomed() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(400, 5));
        double last = pts.get(pts.size() - 1).value();
        for (int i = 0; i < 120; i++) {
            pts.add(new SeriesPoint(4010 + i * 10L, last * (1 + i * 0.02)));
        }
        List<Finding> f = all(divergence, pts);
        assertEquals(1, f.size(), f.toString());
        assertEquals(DivergenceDetector.KIND, f.get(0).kind());
        assertTrue(f.get(0).fromStep() >= 3000 && f.get(0).fromStep() <= 4100, "starts where it bottomed: " + f.get(0).fromStep());
        assertTrue(f.get(0).message().contains("rose") && f.get(0).message().contains("diverging"), f.get(0).message());
    }

    @Test
    void shouldNotCallAShortSpikeDivergence() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(600, 6));
        for (int i = 400; i < 415; i++) {
            pts.set(i, new SeriesPoint(pts.get(i).step(), 4.0));
        }
        assertTrue(all(divergence, pts).isEmpty());
    }

    @Test
    void shouldNotRepeatADivergenceWhenAppendedInPieces() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(400, 7));
        for (int i = 0; i < 200; i++) {
            pts.add(new SeriesPoint(4010 + i * 10L, 1.0 + i * 0.03));
        }
        long whole = all(divergence, pts).get(0).fromStep();
        List<Finding> pieces = new ArrayList<>();
        for (int from = 0; from < pts.size(); from += 37) {
            List<SeriesPoint> history = pts.subList(Math.max(0, from - divergence.lookback()), from);
            pieces.addAll(divergence.detect("train/loss", history, pts.subList(from, Math.min(pts.size(), from + 37))));
        }
        assertEquals(1, pieces.size());
        assertEquals(whole, pieces.get(0).fromStep());
    }

    // ---- plateau

    @Test
    void shouldCallAFlatLossAPlateauOnce() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(300, 8));
        Random r = new Random(9);
        for (int i = 0; i < 900; i++) {
            pts.add(new SeriesPoint(3010 + i * 10L, 1.2 + 0.02 * r.nextGaussian()));
        }
        List<Finding> f = all(plateau, pts);
        assertEquals(1, f.size(), f.toString());
        assertEquals(Severity.info, f.get(0).severity());
        assertTrue(f.get(0).message().contains("plateaued"));
    }

    @Test
    void shouldNotCallSlowSteadyProgressAPlateau() {
        List<SeriesPoint> pts = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            pts.add(new SeriesPoint(200 + i, 2.0 - i * 0.0002));
        }
        assertTrue(all(plateau, pts).isEmpty());
    }

    // ---- overfitting

    static Map<String, List<SeriesPoint>> overfitRun(double evalRiseAfter) {
        List<SeriesPoint> train = new ArrayList<>();
        for (int s = 10; s <= 6500; s += 10) {
            train.add(new SeriesPoint(s, 1.9 - s * 0.00005));
        }
        List<SeriesPoint> eval = new ArrayList<>();
        double[] values = {1.70, 1.62, 1.59, 1.57, 1.565, 1.56, 1.558, 1.556, 1.5518};
        for (int k = 0; k < values.length; k++) {
            eval.add(new SeriesPoint(500L * (k + 1), values[k]));
        }
        for (int k = 1; k <= 4; k++) {
            eval.add(new SeriesPoint(4500 + 500L * k, 1.5518 * (1 + evalRiseAfter * k / 4)));
        }
        return Map.of("train/loss", train, "eval/loss", eval);
    }

    @Test
    void shouldCallEvalLossTurningUpOverfittingNamingWhereItBottomed() {
        Map<String, List<SeriesPoint>> run = overfitRun(0.0166);
        List<Finding> f = overfitting.detect("eval/loss", List.of(), run.get("eval/loss"), Detectors.lookup(run));
        assertEquals(1, f.size(), f.toString());
        assertEquals(4500, f.get(0).fromStep());
        assertTrue(f.get(0).message().startsWith("eval loss rose 1.") && f.get(0).message().contains("since step 4,500")
                && f.get(0).message().contains("while train loss fell") && f.get(0).message().contains("memorising"), f.get(0).message());
        assertEquals(4500, f.get(0).evidence().get(0).step());
    }

    @Test
    void shouldNotCallOverfittingWhenEvalKeepsImprovingOrTrainStalls() {
        Map<String, List<SeriesPoint>> improving = overfitRun(-0.02);
        assertTrue(overfitting.detect("eval/loss", List.of(), improving.get("eval/loss"), Detectors.lookup(improving)).isEmpty());
        Map<String, List<SeriesPoint>> run = overfitRun(0.05);
        List<SeriesPoint> flatTrain = new ArrayList<>();
        for (int s = 10; s <= 6500; s += 10) {
            flatTrain.add(new SeriesPoint(s, 1.6));
        }
        Map<String, List<SeriesPoint>> stalled = Map.of("train/loss", flatTrain, "eval/loss", run.get("eval/loss"));
        assertTrue(overfitting.detect("eval/loss", List.of(), stalled.get("eval/loss"), Detectors.lookup(stalled)).isEmpty());
    }

    @Test
    void shouldRaiseOverfittingOnceWhenEvalsArriveOneByOne() {
        Map<String, List<SeriesPoint>> run = overfitRun(0.04);
        List<SeriesPoint> eval = run.get("eval/loss");
        List<Finding> found = new ArrayList<>();
        for (int i = 0; i < eval.size(); i++) {
            found.addAll(overfitting.detect("eval/loss", eval.subList(0, i), eval.subList(i, i + 1), Detectors.lookup(run)));
        }
        assertEquals(1, found.size());
        assertEquals(4500, found.get(0).fromStep());
    }

    // ---- too-fast drop

    @Test
    void shouldCallALossCollapsingTowardsZeroMemorising() {
        List<SeriesPoint> pts = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            pts.add(new SeriesPoint(5L * (i + 1), 0.5 * Math.exp(-i / 150.0) + 1e-5));
        }
        List<Finding> f = all(tooFast, pts);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).message().contains("close to zero"), f.get(0).message());
    }

    @Test
    void shouldCallACollapseInFewStepsTooFast() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(300, 10));
        for (int i = 0; i < 100; i++) {
            pts.add(new SeriesPoint(3010 + i * 10L, 0.15));
        }
        List<Finding> f = all(tooFast, pts);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).message().contains("dropped"), f.get(0).message());
    }

    @Test
    void shouldNotCallTheRecoveryAfterASpikeACollapse() {
        List<SeriesPoint> pts = new ArrayList<>(healthy(600, 11));
        for (int i = 400; i < 420; i++) {
            pts.set(i, new SeriesPoint(pts.get(i).step(), 5.0));
        }
        assertTrue(all(tooFast, pts).isEmpty());
    }

    // ---- grad norm

    static List<SeriesPoint> gradNorms(int n, long seed) {
        Random r = new Random(seed);
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double warm = i < 10 ? 400 : 0; // grad norms start huge (ms-swift starts at 484)
            out.add(new SeriesPoint((i + 1) * 10L, warm + 1.0 + 0.3 * Math.abs(r.nextGaussian())));
        }
        return out;
    }

    @Test
    void shouldStayQuietOnHealthyGradNormsIncludingWarmUp() {
        assertTrue(gradNorm.detect("train/grad_norm", List.of(), gradNorms(800, 12)).isEmpty());
    }

    @Test
    void shouldCallAGradNormBurstOneExplosionEpisode() {
        List<SeriesPoint> pts = new ArrayList<>(gradNorms(600, 13));
        pts.set(300, new SeriesPoint(pts.get(300).step(), 80));
        pts.set(310, new SeriesPoint(pts.get(310).step(), 250));
        List<Finding> f = gradNorm.detect("train/grad_norm", List.of(), pts);
        assertEquals(1, f.size(), f.toString());
        assertEquals(3010, f.get(0).fromStep());
        assertEquals(3110, f.get(0).toStep());
        assertEquals(Severity.critical, f.get(0).severity());
        assertTrue(f.get(0).message().contains("exploded repeatedly from step 3,010 to 3,110"), f.get(0).message());
        // appended later, the same episode raises nothing new
        assertTrue(gradNorm.detect("train/grad_norm", pts.subList(150, 305), pts.subList(305, 320)).isEmpty());
    }
}
