package dev.lookout.gateway;

import io.smallrye.jwt.build.Jwt;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Real signed access tokens for the Quarkus OIDC WireMock server (kid 1, privateKey.jwk). */
public final class GatewayFixtures {

    public static final String RUN_ID = "6a1f2f0e-0000-4000-8000-000000000001";
    public static final String CKPT_200 = "6a1f2f0e-0000-4000-8000-000000000200";
    public static final String CKPT_400 = "6a1f2f0e-0000-4000-8000-000000000400";

    private GatewayFixtures() {
    }

    public static String token(String user, List<String> roles, Set<String> groups) {
        return token(user, roles, groups, "https://service.example.com");
    }

    /** A token signed like the others but minted for {@code audience} (the gateway expects its own in %test). */
    public static String token(String user, List<String> roles, Set<String> groups, String audience) {
        return Jwt.preferredUserName(user)
                .claim("realm_access", Map.of("roles", roles))
                .groups(groups)
                .issuer("https://server.example.com")
                .audience(audience)
                .expiresIn(600)
                .jws().keyId("1").sign("privateKey.jwk");
    }

    public static String eve() {
        return token("eve", List.of("engineer"), Set.of("/projects/demo"));
    }

    public static String rita() {
        return token("rita", List.of("reviewer"), Set.of("/projects/demo"));
    }

    public static String runJson() {
        return """
                {"id":"%s","project":"demo","name":"sft-round-3","labels":{},
                 "baseline":{"endpoint":"local-vllm","model":"demo-base"},"suite":"support-zh","status":"running",
                 "createdAt":"2026-05-01T10:00:00Z"}""".formatted(RUN_ID);
    }

    public static String checkpointsJson() {
        // deliberately out of step order: the report sorts
        return """
                [{"id":"%s","runId":"%s","step":400,"label":"ckpt-400",
                  "target":{"endpoint":"local-vllm","model":"demo-ckpt-400"},
                  "trainLoss":0.9,"evalLoss":1.1,"trainLossDelta":-0.3,"evalLossDelta":-0.1},
                 {"id":"%s","runId":"%s","step":200,"label":"ckpt-200",
                  "target":{"endpoint":"local-vllm","model":"demo-ckpt-200"},
                  "trainLoss":1.2,"evalLoss":1.2,"trainLossDelta":null,"evalLossDelta":null}]"""
                .formatted(CKPT_400, RUN_ID, CKPT_200, RUN_ID);
    }

    public static String probeRunsJson() {
        return """
                [{"id":"aaaaaaaa-0000-4000-8000-000000000200","project":"demo","runId":"%s","checkpointId":"%s",
                  "step":200,"suiteVersionId":"bbbbbbbb-0000-4000-8000-000000000001","status":"completed","total":40,
                  "counts":{"pending":0,"done":80,"error":0},"targets":[],"createdAt":"2026-05-01T11:00:00Z",
                  "completedAt":"2026-05-01T11:05:00Z",
                  "comparison":{"total":40,"changed":10,"identical":30,"shareChanged":0.25}},
                 {"id":"aaaaaaaa-0000-4000-8000-000000000400","project":"demo","runId":"%s","checkpointId":"%s",
                  "step":400,"suiteVersionId":"bbbbbbbb-0000-4000-8000-000000000001","status":"running","total":40,
                  "counts":{"pending":20,"done":60,"error":0},"targets":[],"createdAt":"2026-05-01T12:00:00Z",
                  "completedAt":null,"comparison":null}]""".formatted(RUN_ID, CKPT_200, RUN_ID, CKPT_400);
    }

    public static String verdictsJson() {
        return """
                [{"checkpointId":"%s","probeRunId":"aaaaaaaa-0000-4000-8000-000000000200",
                  "candidate":{"endpoint":"local-vllm","model":"demo-ckpt-200"},
                  "baseline":{"endpoint":"local-vllm","model":"demo-base"},
                  "wins":6,"ties":1,"losses":2,"bothBad":1,"votes":10,"winRate":0.65,"low":0.36,"high":0.86,
                  "decided":false}]""".formatted(CKPT_200);
    }

    public static String alarmsJson() {
        return """
                [{"id":"cccccccc-0000-4000-8000-000000000001","kind":"too-fast-drop","severity":"warning",
                  "fromStep":250,"toStep":300,"message":"train loss fell 40 % in 50 steps"}]""";
    }

    /** probe-runner GET /api/comparisons (items left out: the gateway reads only the aggregates). */
    public static String comparisonJson(String candidate, String baseline, double share, double passRateChange,
            String... phrases) {
        StringBuilder list = new StringBuilder();
        for (String phrase : phrases) {
            list.append(list.isEmpty() ? "" : ",").append("""
                    {"phrase":"%s","candidateCount":9,"baselineCount":0,"candidateShare":0.22,"baselineShare":0.0,
                     "probes":["p1"]}""".formatted(phrase));
        }
        return """
                {"suiteVersionId":"bbbbbbbb-0000-4000-8000-000000000001","probeRunId":null,"project":"demo",
                 "candidate":{"endpoint":"local-vllm","model":"%s"},"baseline":{"endpoint":"local-vllm","model":"%s"},
                 "total":40,"changed":%d,"errors":0,"shareChanged":%s,"identicalToBaseline":false,"items":[],
                 "checks":{"evaluated":30,"notEvaluated":0,"candidatePassRate":0.6,"baselinePassRate":0.6,
                           "passRateChange":%s,"fixed":2,"broken":3,"byTag":[]},
                 "stockPhrases":[%s]}""".formatted(candidate, baseline, Math.round(share * 40), share, passRateChange,
                list);
    }
}
