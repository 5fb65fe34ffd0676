package dev.lookout.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.gateway.client.UpstreamViews.AlarmView;
import dev.lookout.gateway.client.UpstreamViews.CheckpointView;
import dev.lookout.gateway.client.UpstreamViews.ComparisonView;
import dev.lookout.gateway.client.UpstreamViews.ProbeRunView;
import dev.lookout.gateway.client.UpstreamViews.RunView;
import dev.lookout.gateway.client.UpstreamViews.StrengthView;
import dev.lookout.gateway.client.UpstreamViews.Target;
import dev.lookout.gateway.client.UpstreamViews.VerdictView;
import dev.lookout.gateway.service.RoundReport.BehaviourTag;
import dev.lookout.gateway.service.RoundReport.CheckpointRow;
import dev.lookout.gateway.service.RoundReport.Flag;
import dev.lookout.gateway.service.RoundReportComposer.RowComparisons;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The round report's recommendation, behaviours and flag consistency, composed from JSON shaped as the backends
 * answer it, and from a real LLaMA-Factory log (test resource loss-logs/llamafactory-medical, MIT).
 */
class RoundReportTruthTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final Target BASE = new Target("sim", "demo-base");
    private static final RunView RUN = new RunView("r", "demo", "demo-sft", BASE, "demo-cs", "running");

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json.replace('\'', '"'), type);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static <T> List<T> readList(String json, Class<T> type) {
        try {
            return JSON.readerForListOf(type).readValue(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static CheckpointView ckpt(long step, Double train, Double delta, Double eval) {
        return new CheckpointView("c" + step, "r", step, "checkpoint-" + step, new Target("sim", "demo-ckpt-" + step),
                train, eval, delta, null);
    }

    private static ProbeRunView completed(long step) {
        return read("{'id':'p" + step + "','runId':'r','checkpointId':'c" + step + "','step':" + step
                + ",'suiteVersionId':'sv','status':'completed','total':24,'createdAt':'2026-12-05T10:00:00Z',"
                + "'comparison':{'total':24,'changed':12,'identical':12,'shareChanged':0.5},"
                + "'failureReason':null,'warnings':[],'reused':{'candidate':0,'baseline':24}}", ProbeRunView.class);
    }

    private static VerdictView verdict(long step, String against, int wins, int losses, boolean decided,
            Integer needed) {
        Double rate = wins + losses == 0 ? null : wins / (double) (wins + losses);
        double[] ci = rate == null ? null : RoundStatistics.wilson(rate, wins + losses);
        return read("{'checkpointId':'c" + step + "','step':" + step + ",'against':'" + against + "',"
                + "'baselineStep':" + ("previous".equals(against) ? step - 200 : null) + ",'wins':" + wins
                + ",'ties':0,'losses':" + losses + ",'bothBad':0,'votes':" + (wins + losses) + ",'winRate':" + rate
                + ",'low':" + (ci == null ? null : ci[0]) + ",'high':" + (ci == null ? null : ci[1])
                + ",'decided':" + decided + ",'votesNeeded':" + needed + ",'stopping':null,'stopped':null,"
                + "'tags':{},'probeTags':{}}", VerdictView.class);
    }

    private static final String STRENGTHS = "[{'target':{'endpoint':'sim','model':'demo-base'},'strength':0.0,"
            + "'low':0.0,'high':0.0,'votes':30,'checkpointId':null,'step':null,'linked':true},"
            + "{'target':{'endpoint':'sim','model':'demo-ckpt-200'},'strength':0.4,'low':-0.3,'high':1.1,'votes':20,"
            + "'checkpointId':'c200','step':200,'linked':true},"
            + "{'target':{'endpoint':'sim','model':'demo-ckpt-400'},'strength':1.2,'low':0.5,'high':1.9,'votes':30,"
            + "'checkpointId':'c400','step':400,'linked':true},"
            + "{'target':{'endpoint':'sim','model':'demo-ckpt-600'},'strength':2.6,'low':2.0,'high':3.4,'votes':20,"
            + "'checkpointId':'c600','step':600,'linked':true}]";

    private static RoundReport threeCheckpoints(String strengths, List<ProbeRunView> probeRuns) {
        List<CheckpointView> checkpoints = List.of(ckpt(200, 1.2, -0.3, null), ckpt(400, 1.0, -0.2, null),
                ckpt(600, 0.9, -0.1, null));
        List<VerdictView> verdicts = List.of(verdict(200, "base", 6, 4, false, 85),
                verdict(400, "base", 9, 1, true, 0), verdict(400, "previous", 7, 3, false, 14),
                verdict(600, "base", 10, 0, true, 0), verdict(600, "previous", 9, 1, true, 0));
        return RoundReportComposer.compose(RUN, checkpoints, Optional.of(probeRuns), Optional.of(verdicts),
                Optional.of(List.of()), RowComparisons.NONE, Optional.of(readList(strengths, StrengthView.class)));
    }

    @Test
    void shouldRecommendTheStrongestLinkedCheckpointWithItsEvidence() {
        RoundReport report = threeCheckpoints(STRENGTHS, List.of(completed(200), completed(400), completed(600)));
        RoundReport.Recommendation r = report.recommendation();
        assertEquals(600L, r.step());
        assertEquals("c600", r.checkpoint());
        // 600's interval (2.0–3.4) clears the base and the runner-up 400 (up to 1.9)
        assertEquals("high", r.confidence());
        assertEquals(4, r.reasons().size(), r.reasons().toString());
        assertTrue(r.reasons().get(0).contains("strength 2.60"), r.reasons().get(0));
        assertTrue(r.reasons().get(1).contains("step 400"), r.reasons().get(1));
        assertTrue(r.reasons().get(3).contains("previous checkpoint (step 400)"), r.reasons().get(3));
        // undecided verdicts say how many more votes would decide them
        assertEquals(List.of("Step 200 vs base: about 85 more votes would likely decide it (win rate 60 %, 95 % 31 %–83 %).",
                "Step 400 vs step 200: about 14 more votes would likely decide it (win rate 70 %, 95 % 40 %–89 %)."),
                r.blockers());
        assertEquals(4, report.strengths().size());
        assertNull(report.strengths().get(0).checkpointId());
        assertEquals(List.of(200L, 400L, 600L), report.strengths().subList(1, 4).stream()
                .map(RoundReport.Strength::step).toList());
        CheckpointRow row600 = report.checkpoints().get(2);
        assertEquals(2, row600.verdicts().size());
        assertEquals("previous", row600.verdicts().get(1).against());
        assertEquals(400L, row600.verdicts().get(1).baselineStep());
        assertEquals(85, report.checkpoints().get(0).verdict().votesNeeded());
    }

    @Test
    void shouldSayNotEnoughEvidenceAndListWhatIsMissing() {
        String unlinked = "[{'target':{'endpoint':'sim','model':'demo-base'},'strength':0.0,'low':0.0,'high':0.0,"
                + "'votes':10,'linked':true},{'target':{'endpoint':'sim','model':'demo-ckpt-200'},'strength':null,"
                + "'low':null,'high':null,'votes':0,'checkpointId':'c200','step':200,'linked':false}]";
        ProbeRunView failed = read("{'id':'p600','runId':'r','checkpointId':'c600','step':600,'status':'failed',"
                + "'createdAt':'2026-12-05T10:00:00Z','failureReason':'every call to the candidate (endpoint \\u0027sim\\u0027,"
                + " model \\u0027demo-ckpt-600\\u0027) failed (24 of 24)','warnings':['model \\u0027demo-ckpt-600\\u0027 is"
                + " not listed by endpoint \\u0027sim\\u0027'],'reused':{'candidate':0,'baseline':0}}", ProbeRunView.class);
        ProbeRunView running = read("{'id':'p400','runId':'r','checkpointId':'c400','step':400,'status':'running',"
                + "'createdAt':'2026-12-05T10:00:00Z'}", ProbeRunView.class);
        RoundReport report = threeCheckpoints(unlinked, List.of(completed(200), running, failed));
        RoundReport.Recommendation r = report.recommendation();
        assertNull(r.checkpoint());
        assertNull(r.step());
        assertEquals("none", r.confidence());
        assertTrue(r.blockers().get(0).startsWith("No checkpoint is linked"), r.blockers().toString());
        assertTrue(r.blockers().contains("Step 400: the probe run is running."), r.blockers().toString());
        assertTrue(r.blockers().stream().anyMatch(b -> b.startsWith("Step 600: the probe run failed: every call")));
        assertTrue(r.blockers().contains("Step 200 is not linked to the base model by any vote, so it is not ranked."));
        assertTrue(r.blockers().stream().anyMatch(b -> b.startsWith("Step 200 vs base: about 85 more votes")));

        CheckpointRow row600 = report.checkpoints().get(2);
        assertTrue(row600.failureReason().startsWith("every call to the candidate"), row600.failureReason());
        assertEquals(1, row600.warnings().size());
        assertTrue(row600.warnings().get(0).contains("not listed"));
        assertTrue(row600.missing().stream().anyMatch(m -> m.startsWith("The probe run failed: every call")),
                row600.missing().toString());
        assertFalse(row600.missing().stream().anyMatch(m -> m.contains("known once it completes")));
    }

    @Test
    void shouldSayPlainlyThatARunWithoutSuiteIsNotProbed() {
        RunView noSuite = new RunView("r", "demo", "no-suite", BASE, null, "running");
        RoundReport report = RoundReportComposer.compose(noSuite, List.of(ckpt(200, 1.2, -0.3, null)),
                Optional.of(List.of()), Optional.of(List.of()), Optional.of(List.of()), RowComparisons.NONE,
                Optional.of(List.of()));
        assertEquals(1, report.notices().size());
        assertEquals("no-suite", report.notices().get(0).code());
        assertTrue(report.notices().get(0).message().contains("will not be probed"));
        assertTrue(report.notices().get(0).message().contains("PATCH /api/runs/{run}"));
        assertTrue(report.checkpoints().get(0).missing().contains(RoundReportComposer.NOT_PROBED_NO_SUITE));
        assertTrue(report.recommendation().blockers().contains(RoundReportComposer.NO_SUITE));
        assertTrue(RoundReportComposer.compose(RUN, List.of(), Optional.of(List.of()), Optional.of(List.of()),
                Optional.of(List.of())).notices().isEmpty());
    }

    @Test
    void shouldCountReusedAnswersAndNameBrokenChecks() {
        ComparisonView comparison = read("{'suiteVersionId':'sv','probeRunId':'p200','total':24,'changed':6,"
                + "'shareChanged':0.25,'reused':{'candidate':3,'baseline':24},'checks':{'evaluated':10,"
                + "'candidatePassRate':0.6,'baselinePassRate':0.8,'passRateChange':-0.2,'fixed':0,'broken':2,"
                + "'brokenChecks':[{'probeId':'zh-refund-time','index':0,'type':'contains','name':'contains \\\"退款\\\"',"
                + "'count':1},{'probeId':'en-order-status','index':1,'type':'regex','name':'matches /order/','count':1}]},"
                + "'stockPhrases':[],'items':[]}", ComparisonView.class);
        RowComparisons fetched = new RowComparisons(Map.of("c200", Fetched.of(comparison)), Map.of());
        CheckpointRow row = RoundReportComposer.row(ckpt(200, 1.2, -0.3, null), null,
                Optional.of(List.of(completed(200))), Optional.of(List.of()), Optional.of(List.of()), fetched);
        assertEquals(3, row.reused().candidate());
        assertEquals(24, row.reused().baseline());
        assertTrue(row.missing().contains("3 of this checkpoint's answers were reused from an earlier probe run, not"
                + " asked afresh."), row.missing().toString());
        assertEquals(2, row.behaviour().checks().brokenChecks().size());
        assertEquals("contains \"退款\"", row.behaviour().checks().brokenChecks().get(0).name());
        assertEquals("zh-refund-time", row.behaviour().checks().brokenChecks().get(0).probeId());
    }

    @Test
    void shouldGiveEverySuiteAndRubricTagADirectionWithItsEvidence() {
        ComparisonView comparison = read("{'total':6,'changed':4,'shareChanged':0.67,'items':["
                + "{'probeId':'a','tags':['caution','zh'],'changed':true},{'probeId':'b','tags':['caution'],'changed':true},"
                + "{'probeId':'c','tags':['caution','format'],'changed':false},{'probeId':'d','tags':['format'],'changed':true},"
                + "{'probeId':'e','tags':['facts'],'changed':true},{'probeId':'f','tags':['facts'],'changed':false}],"
                + "'checks':{'evaluated':6,'passRateChange':0.0,'byTag':[{'tag':'format','evaluated':4,"
                + "'passRateChange':-0.25},{'tag':'facts','evaluated':2,'passRateChange':0.5}]},'stockPhrases':[]}",
                ComparisonView.class);
        VerdictView verdict = read("{'checkpointId':'c200','against':'base','wins':14,'ties':0,'losses':2,'bothBad':0,"
                + "'votes':16,'decided':true,'probeTags':{'caution':{'wins':12,'ties':0,'losses':1,'bothBad':0},"
                + "'facts':{'wins':1,'ties':0,'losses':1,'bothBad':0}},'tags':{'more-cautious':{'wins':7,'ties':0,"
                + "'losses':2,'bothBad':0},'wrong-facts':{'wins':0,'ties':0,'losses':9,'bothBad':1}},"
                + "'tagLabels':{'more-cautious':{'en':'more cautious','zh':'更谨慎'}}}", VerdictView.class);
        List<BehaviourTag> tags = RoundBehaviours.of(comparison, verdict);
        Map<String, BehaviourTag> byTag = new TreeMap<>();
        tags.forEach(t -> byTag.put(t.source() + ":" + t.tag(), t));
        assertEquals(List.of("rubric:more-cautious", "rubric:wrong-facts", "suite:caution", "suite:facts",
                "suite:format", "suite:zh"), List.copyOf(byTag.keySet()));
        BehaviourTag caution = byTag.get("suite:caution");
        assertEquals("toward", caution.direction());          // humans: 12 of 13, interval above 50 %
        assertEquals(3, caution.evidence().probes());
        assertEquals(2, caution.evidence().changed());
        assertEquals(13, caution.evidence().votes());
        assertTrue(caution.evidence().low() > 0.5);
        assertEquals("away", byTag.get("suite:format").direction());   // no votes; checks −25 pts over 4
        assertEquals(-0.25, byTag.get("suite:format").evidence().passRateChange());
        assertEquals("unclear", byTag.get("suite:facts").direction()); // 1–1 votes; +50 pts but only 2 checks
        assertEquals("unclear", byTag.get("suite:zh").direction());
        BehaviourTag cautious = byTag.get("rubric:more-cautious");
        assertEquals(7, cautious.evidence().taggedWins());
        assertEquals(9, cautious.evidence().taggedVotes());
        assertEquals("更谨慎", cautious.label().get("zh"));
        assertEquals("unclear", cautious.direction());           // 7 of 9: interval 45–94 %, not decided
        assertEquals("away", byTag.get("rubric:wrong-facts").direction());
        assertNull(byTag.get("rubric:wrong-facts").label());
    }

    @Test
    void shouldEstimateVotesNeededFromTheWilsonInterval() {
        double[] ci = RoundStatistics.wilson(0.7, 10);   // textbook: 0.3968–0.8922
        assertEquals(0.3968, ci[0], 1e-4);
        assertEquals(0.8922, ci[1], 1e-4);
        assertEquals(0, RoundStatistics.votesNeeded(10, 0, 0));
        assertNull(RoundStatistics.votesNeeded(5, 0, 5));
        assertNull(RoundStatistics.votesNeeded(0, 0, 0));
        Integer needed = RoundStatistics.votesNeeded(7, 0, 3);
        assertNotNull(needed);
        // at 70 %, 10 + needed votes decide it and one fewer does not
        assertTrue(RoundStatistics.decided(RoundStatistics.wilson(0.7, 10 + needed)));
        assertFalse(RoundStatistics.decided(RoundStatistics.wilson(0.7, 9 + needed)));
    }

    // ---- flags that agree with each other and with their alarms ----

    @Test
    void shouldMapAlarmRangesToIntervalsWithBothEnds() {
        List<AlarmView> alarms = List.of(new AlarmView("spike", "warning", 150L, 200L, "at 150–200"),
                new AlarmView("spike", "warning", 201L, 260L, "after 200"),
                new AlarmView("nan-loss", "critical", 0L, 0L, "at the start"));
        assertEquals(List.of("at the start", "at 150–200"),
                RoundReportComposer.alarmsIn(null, 200L, alarms).stream().map(RoundReport.Alarm::message).toList());
        assertEquals(List.of("after 200"),
                RoundReportComposer.alarmsIn(200L, 400L, alarms).stream().map(RoundReport.Alarm::message).toList());
    }

    @Test
    void shouldNotFlagTheFirstCheckpointAsMemorisingWhenTheOverfittingAlarmNamesItBest() {
        // demo shape: eval loss bottomed at the first checkpoint (step 200) and rose afterwards
        List<AlarmView> alarms = List.of(new AlarmView("overfitting", "warning", 200L, 600L,
                "eval loss rose 3.0 % since step 200 ...: the checkpoint at step 200 generalises best so far."));
        RoundReport report = composeWithPhrases(List.of(ckpt(200, 1.2, -0.3, 1.5), ckpt(400, 1.0, -0.2, 1.52),
                ckpt(600, 0.9, -0.1, 1.55)), alarms);
        CheckpointRow first = report.checkpoints().get(0);
        assertEquals(1, first.alarms().size());
        assertEquals(List.of("generalises-best"), kinds(first));
        assertEquals(List.of("memorising"), kinds(report.checkpoints().get(1)));
        assertEquals(List.of("memorising"), kinds(report.checkpoints().get(2)));
        assertConsistent(report);
    }

    @Test
    void shouldKeepTheFlagsOfTheRealLlamaFactoryMedicalLogConsistent() throws IOException {
        MedicalLog log = MedicalLog.read();
        assertEquals(4500L, log.bottomStep());
        AlarmView overfitting = log.overfittingAlarm();
        assertEquals(4500L, overfitting.fromStep());
        assertEquals(5500L, overfitting.toStep());
        List<CheckpointView> checkpoints = log.checkpoints();
        assertEquals(13, checkpoints.size());

        RoundReport report = composeWithPhrases(checkpoints, List.of(overfitting));
        assertEquals(13, report.checkpoints().size());
        for (CheckpointRow row : report.checkpoints()) {
            List<String> kinds = kinds(row);
            if (row.step() == 4500L) {
                assertEquals(List.of("generalises-best"), kinds, "step 4500");
                assertEquals(1, row.alarms().size());
                assertTrue(row.alarms().get(0).message().contains("generalises best"));
            } else if (row.step() == 5000L || row.step() == 5500L) {
                assertEquals(List.of("memorising"), kinds, "step " + row.step());
            } else {
                assertFalse(kinds.contains("memorising"), "step " + row.step() + ": " + kinds);
                assertFalse(kinds.contains("generalises-best"), "step " + row.step() + ": " + kinds);
            }
        }
        assertConsistent(report);

        // a too-fast-drop alarm over the best checkpoint would flag memorising there: the eval-loss flag wins
        List<AlarmView> both = List.of(overfitting, new AlarmView("too-fast-drop", "warning", 4400L, 4500L, "fast"));
        CheckpointRow best = composeWithPhrases(checkpoints, both).checkpoints().stream()
                .filter(r -> r.step() == 4500L).findFirst().orElseThrow();
        assertEquals(List.of("generalises-best"), kinds(best));
        assertTrue(best.missing().contains("Not flagged memorising: it would contradict generalises-best on this row."),
                best.missing().toString());
    }

    /** Every row with a comparison whose stock phrases rose (the worst case for memorising flags). */
    private static RoundReport composeWithPhrases(List<CheckpointView> checkpoints, List<AlarmView> alarms) {
        List<ProbeRunView> runs = new ArrayList<>();
        Map<String, Fetched<ComparisonView>> base = new HashMap<>();
        Map<String, Fetched<ComparisonView>> previous = new HashMap<>();
        for (CheckpointView c : checkpoints) {
            runs.add(completed(c.step()));
            ComparisonView withPhrase = read("{'total':24,'changed':12,'shareChanged':0.5,'checks':null,"
                    + "'stockPhrases':[{'phrase':'请您放心','candidateCount':9,'baselineCount':1}]}",
                    ComparisonView.class);
            base.put(c.id(), Fetched.of(withPhrase));
            previous.put(c.id(), Fetched.of(withPhrase));
        }
        return RoundReportComposer.compose(RUN, checkpoints, Optional.of(runs), Optional.of(List.of()),
                Optional.of(alarms), new RowComparisons(base, previous), Optional.of(List.of()));
    }

    private static List<String> kinds(CheckpointRow row) {
        return row.flags().stream().map(Flag::kind)
                .filter(k -> k.equals("memorising") || k.equals("generalises-best")).toList();
    }

    private static void assertConsistent(RoundReport report) {
        for (CheckpointRow row : report.checkpoints()) {
            List<String> kinds = row.flags().stream().map(Flag::kind).toList();
            for (List<String> pair : RoundReportComposer.CONTRADICTING) {
                assertFalse(kinds.containsAll(pair), "step " + row.step() + " carries " + pair);
            }
        }
    }

    /** The LLaMA-Factory log: train loss rows, and eval_loss rows every 500 steps (save_steps 500). */
    private record MedicalLog(TreeMap<Long, Double> train, TreeMap<Long, Double> eval) {

        static MedicalLog read() throws IOException {
            TreeMap<Long, Double> train = new TreeMap<>();
            TreeMap<Long, Double> eval = new TreeMap<>();
            try (InputStream in = RoundReportTruthTest.class.getResourceAsStream(
                    "/loss-logs/llamafactory-medical/trainer_log.jsonl");
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    JsonNode row = JSON.readTree(line);
                    long step = row.get("current_steps").asLong();
                    if (row.hasNonNull("loss")) {
                        train.put(step, row.get("loss").asDouble());
                    }
                    if (row.hasNonNull("eval_loss")) {
                        eval.put(step, row.get("eval_loss").asDouble());
                    }
                }
            }
            return new MedicalLog(train, eval);
        }

        long bottomStep() {
            return eval.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }

        /**
         * The overfitting alarm ingest raises on this log (its documented rule: after eval loss bottomed, two later
         * evals all above it, the latest at least 1 % above; the train-loss fall is checked by ingest's own tests).
         */
        AlarmView overfittingAlarm() {
            long bottom = bottomStep();
            double low = eval.get(bottom);
            int after = 0;
            for (Map.Entry<Long, Double> e : eval.tailMap(bottom, false).entrySet()) {
                after++;
                if (after >= 2 && (e.getValue() - low) / low >= 0.01) {
                    return new AlarmView("overfitting", "warning", bottom, e.getKey(), "eval loss rose since step "
                            + bottom + ": the model is memorising the training set; the checkpoint at step "
                            + String.format("%,d", bottom) + " generalises best so far.");
                }
            }
            throw new AssertionError("no overfitting in the log");
        }

        /** One checkpoint per eval step, with the last train loss at or before it and ingest's deltas. */
        List<CheckpointView> checkpoints() {
            List<CheckpointView> out = new ArrayList<>();
            Double before = null;
            for (Map.Entry<Long, Double> e : eval.entrySet()) {
                Double trainLoss = train.floorEntry(e.getKey()).getValue();
                out.add(ckpt(e.getKey(), trainLoss, before == null ? null : trainLoss - before, e.getValue()));
                before = trainLoss;
            }
            return out;
        }
    }
}
