package dev.lookout.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

/** Headless Debian Chromium through Playwright: a reviewer logs in through Keycloak, lands on the review page and votes. */
@ExtendWith(SystemExtension.class)
class BrowserIT {
    private static final double TIMEOUT_MS = 60_000;

    static final String XSS_SCRIPT = "<script>window.__xss=1</script>";
    static final String XSS_IMG = "<img src=x onerror=\"window.__xss=2\">";
    static final String XSS_PROMPT = XSS_SCRIPT + " " + XSS_IMG
            + " <<echo>> My parcel never arrived and the tracking page has shown nothing at all since last Monday.";

    static Playwright playwright;
    static BrowserContext browser;
    /** A second Chromium for other users (own cookie jars, one context each). */
    static Browser others;
    static Path screenshots;
    /** Run with a loss log and checkpoints 200/400/600 over eight probes (run and compare page screenshots). */
    static String showRun;
    static String showProbeRun600;
    /** Probe run whose outputs carry the script/img payload (candidate: full echo; baseline: cut to 8 tokens). */
    static String xssProbeRun;
    static String xssRun;
    static String fullEndpoint;
    static String browserSuite;

    @BeforeAll
    static void chromium() throws IOException {
        Seed.reviewTasksReady();
        seedRuns();
        Path chromium = Shell.chromium();
        screenshots = SystemUnderTest.get().targetDir().resolve("screenshots");
        Files.createDirectories(screenshots);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path profile = Files.createTempDirectory("lookout-chromium-");
        browser = playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync"))
                .setViewportSize(1280, 900));
        browser.setDefaultTimeout(TIMEOUT_MS);
        others = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        PlaywrightAssertions.setDefaultAssertionTimeout(TIMEOUT_MS);
    }

    /**
     * The XSS run first (its review batch is then older than the show run's, so the newest-first queue serves the show
     * run's items before it; rob pins the queue to the XSS run), then the show run: trainer_state.json, checkpoints
     * 200/400/600 over eight probes.
     */
    static void seedRuns() throws IOException {
        String job = Api.trainingJobToken();
        String full = Seed.unique("sim-browser");
        Seed.endpoint(job, "demo", full, 200);
        String cut = Seed.unique("sim-short");
        Seed.endpoint(job, "demo", cut, 8);

        // Seeded first, so its review batch is older than the show run's: the queue serves the newest work first, so
        // rita's keyboard and undo tests use up the show run's items, and rob pins the queue to this run to find it.
        String xssSuite = Seed.unique("xss");
        Seed.suite(job, "demo", xssSuite, List.of(Seed.probe("xss-echo",
                XSS_PROMPT, List.of("security", "en"))));
        xssRun = Seed.run(job, "demo", Seed.unique("xss-run"), cut, xssSuite);
        Seed.checkpoint(job, xssRun, 600, full);
        xssProbeRun = (String) Seed.awaitProbeRunsCompleted(xssRun, 1).get(0).get("id");
        Seed.awaitReviewBatch(null, "demo", xssProbeRun);

        String suite = Seed.unique("browser");
        Seed.suite(job, "demo", suite, Seed.eightProbes());
        fullEndpoint = full;
        browserSuite = suite;
        showRun = Seed.run(job, "demo", Seed.unique("sft-zh-en"), full, suite);
        byte[] trainerState = Files.readAllBytes(SystemUnderTest.get().repoFile("deploy/local/demo/trainer_state.json"));
        Api.gateway(job).contentType(io.restassured.http.ContentType.JSON).queryParam("format", "auto").body(trainerState)
                .when().post("/api/runs/" + showRun + "/logs").then().statusCode(200);
        String ckpt600 = null;
        for (int step : new int[] {200, 400, 600}) {
            String id = Seed.checkpoint(job, showRun, step, full);
            if (step == 600) {
                ckpt600 = id;
            }
        }
        for (Map<String, Object> p : Seed.awaitProbeRunsCompleted(showRun, 3)) {
            if (ckpt600.equals(p.get("checkpointId"))) {
                showProbeRun600 = (String) p.get("id");
            }
            Seed.awaitReviewBatch(null, "demo", (String) p.get("id"));
        }

    }

    /** Opens the gateway; signs in through Keycloak's form when the context has no session yet. */
    static Page signedIn(BrowserContext context, String user, String hash) {
        Page page = context.newPage();
        page.navigate(SystemUnderTest.GATEWAY_URL + "/" + hash);
        page.waitForURL(Pattern.compile("^(" + Pattern.quote(SystemUnderTest.REALM_URL) + "|"
                + Pattern.quote(SystemUnderTest.GATEWAY_URL) + ").*"));
        if (page.url().startsWith(SystemUnderTest.REALM_URL)) {
            page.locator("#username").fill(user);
            page.locator("#password").fill(user);
            page.locator("#kc-login").click();
            page.waitForURL(Pattern.compile("^" + Pattern.quote(SystemUnderTest.GATEWAY_URL) + "/.*"));
            PlaywrightAssertions.assertThat(page.getByTestId("user-name")).hasText(user);
            if (!hash.isEmpty() && !page.url().endsWith(hash)) {
                page.navigate(SystemUnderTest.GATEWAY_URL + "/" + hash); // the login round trip drops the fragment
            }
        }
        PlaywrightAssertions.assertThat(page.getByTestId("user-name")).hasText(user);
        return page;
    }

    static BrowserContext newContext() {
        BrowserContext context = others.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.setDefaultTimeout(TIMEOUT_MS);
        return context;
    }

    /** Language by the app's own switch: clicks lang-switch until the document has {@code wanted}. */
    static void language(Page page, String wanted) {
        for (int i = 0; i < 2 && !wanted.equals(page.evaluate("document.documentElement.lang")); i++) {
            page.getByTestId("lang-switch").click();
        }
        assertTrue(wanted.equals(page.evaluate("document.documentElement.lang")), "language " + wanted);
    }

    static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name)).setFullPage(true));
    }

    /**
     * Sum of votes over every verdict of every run in demo, as the API tells {@code token} (an engineer: a reviewer
     * sees no verdict of a batch that is still open).
     */
    static int votesInDemo(String token) {
        List<String> runs = Api.gateway(token).queryParam("project", "demo").when().get("/api/runs")
                .then().statusCode(200).extract().jsonPath().getList("id");
        int sum = 0;
        for (String run : runs) {
            List<Object> votes = Api.gateway(token).queryParam("run", run).when().get("/api/verdicts")
                    .then().statusCode(200).extract().jsonPath().getList("votes");
            sum += votes.stream().mapToInt(v -> v == null ? 0 : ((Number) v).intValue()).sum();
        }
        return sum;
    }

    @AfterAll
    static void close() {
        if (others != null) {
            others.close();
        }
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void ritaLogsInThroughKeycloakAndSeesTwoAnswersToReview() {
        // a fresh context: the shared one may already hold rita's session from another test
        BrowserContext fresh = newContext();
        Page page = fresh.newPage();
        page.navigate(SystemUnderTest.GATEWAY_URL + "/");

        // the gateway sends an anonymous browser to Keycloak's login form
        page.waitForURL(Pattern.compile("^" + Pattern.quote(SystemUnderTest.REALM_URL) + "/protocol/openid-connect/auth.*"));
        page.locator("#username").fill("rita");
        page.locator("#password").fill("rita");
        page.locator("#kc-login").click();

        // … and back to the gateway, with a session, on the review page
        page.waitForURL(Pattern.compile("^" + Pattern.quote(SystemUnderTest.GATEWAY_URL) + "/.*"));
        Locator review = page.getByTestId("review-page");
        PlaywrightAssertions.assertThat(review).isVisible();
        Locator a = page.getByTestId("answer-a");
        Locator b = page.getByTestId("answer-b");
        PlaywrightAssertions.assertThat(a).isVisible();
        PlaywrightAssertions.assertThat(b).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("answer-a-text")).hasText(Pattern.compile("\\S"));
        PlaywrightAssertions.assertThat(page.getByTestId("answer-b-text")).hasText(Pattern.compile("\\S"));
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("rita-review-page.png")).setFullPage(true));

        String html = page.content();
        assertFalse(html.contains("demo-ckpt") || html.contains("demo-base"), "the review page never names targets");
        assertTrue(page.url().startsWith(SystemUnderTest.GATEWAY_URL), page.url());

        // a vote from the browser (session cookie + CSRF token) is accepted and the next item (or "all done") follows
        String before = page.getByTestId("review-progress").innerText() + "|" + page.getByTestId("answer-a-text").innerText();
        page.getByTestId("vote-b").click();
        await("the review page moves on after the vote").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (page.getByTestId("error").count() > 0) {
                        throw new AssertionError("the vote failed in the UI: " + page.getByTestId("error").first().innerText());
                    }
                    if (page.getByTestId("review-empty").count() > 0) {
                        return true;
                    }
                    return page.getByTestId("answer-a-text").count() > 0 && page.getByTestId("review-progress").count() > 0
                            && !before.equals(page.getByTestId("review-progress").innerText() + "|"
                                    + page.getByTestId("answer-a-text").innerText());
                });
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("rita-after-vote.png")).setFullPage(true));
        fresh.close();
    }

    @Test
    void ritaReviewsThreeItemsWithTheKeyboardAndTheVerdictsChange() {
        String eve = Api.userToken("eve");
        int before = votesInDemo(eve);
        Page page = signedIn(browser, "rita", "#/review");
        language(page, "en");
        for (int i = 0; i < 3; i++) {
            PlaywrightAssertions.assertThat(page.getByTestId("answer-a-text")).hasText(Pattern.compile("\\S"));
            String taskShown = page.getByTestId("review-progress").innerText() + "|" + page.getByTestId("answer-a-text").innerText()
                    + "|" + page.getByTestId("answer-b-text").innerText();
            if (i == 0) {
                shot(page, "workbench-en.png");
            }
            page.evaluate("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()");
            page.keyboard().press(String.valueOf(i + 1)); // 1 = A, 2 = B, 3 = tie
            int vote = i + 1;
            await("keyboard vote " + vote + " moves the workbench on").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (page.getByTestId("error").count() > 0) {
                            throw new AssertionError("vote " + vote + " failed: " + page.getByTestId("error").first().innerText());
                        }
                        assertTrue(page.getByTestId("review-empty").count() == 0 || vote == 3,
                                "rita ran out of tasks after " + vote + " votes");
                        return page.getByTestId("review-empty").count() > 0 || (page.getByTestId("answer-a-text").count() > 0
                                && !taskShown.equals(page.getByTestId("review-progress").innerText() + "|"
                                        + page.getByTestId("answer-a-text").innerText() + "|"
                                        + page.getByTestId("answer-b-text").innerText()));
                    });
        }
        int after = await("three more votes in demo's verdicts").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> votesInDemo(eve), v -> v >= before + 3);
        assertTrue(after >= before + 3, "votes before " + before + ", after " + after);
        language(page, "zh-CN");
        PlaywrightAssertions.assertThat(page.getByTestId("nav-review")).hasText(Pattern.compile("[\\u4e00-\\u9fff]"));
        shot(page, "workbench-zh-CN.png");
        language(page, "en");
        page.close();
    }

    @Test
    void modelOutputWithScriptAndImgTagsShowsAsTextAndRunsNothing() {
        // the compare page of the probe run whose candidate and baseline both echo the payload (an engineer's: its
        // review batch is open, so a reviewer may not read it)
        BrowserContext engineer = newContext();
        Page compare = signedIn(engineer, "eve", "#/compare/" + xssProbeRun);
        Locator candidate = compare.getByTestId("compare-candidate").first();
        PlaywrightAssertions.assertThat(candidate).containsText(XSS_SCRIPT);
        PlaywrightAssertions.assertThat(candidate).containsText(XSS_IMG);
        PlaywrightAssertions.assertThat(compare.getByTestId("compare-baseline").first()).containsText(XSS_SCRIPT);
        assertNoXss(compare, "compare page");
        shot(compare, "xss-compare.png");
        engineer.close();

        // a reviewer reaches the item: rob pins the queue to the XSS run (votes tie on anything before it)
        String rob = Api.userToken("rob");
        boolean found = false;
        for (int i = 0; i < 300 && !found; i++) {
            io.restassured.response.Response next = Api.gateway(rob).queryParam("project", "demo")
                    .queryParam("run", xssRun).when().post("/api/reviews/next");
            assertTrue(next.statusCode() == 200, "rob has no task left before the XSS item (" + next.statusCode() + ")");
            if (next.asString().contains("window.__xss")) {
                found = true;
            } else {
                Api.gateway(rob).body(Map.of("choice", "TIE")).when()
                        .post("/api/reviews/" + next.jsonPath().getString("taskId") + "/vote").then().statusCode(200);
            }
        }
        assertTrue(found, "the XSS item never reached rob");
        try (BrowserContext context = newContext()) {
            // pinned like the API calls above: rob may hold older leases of other runs
            Page page = signedIn(context, "rob", "#/review?run=" + xssRun);
            PlaywrightAssertions.assertThat(page.getByTestId("review-question")).containsText(XSS_SCRIPT);
            PlaywrightAssertions.assertThat(page.getByTestId("answer-a-text")).containsText(XSS_SCRIPT);
            PlaywrightAssertions.assertThat(page.getByTestId("answer-b-text")).containsText(XSS_SCRIPT);
            PlaywrightAssertions.assertThat(page.locator(".answers")).containsText(XSS_IMG);
            assertNoXss(page, "review workbench");
            shot(page, "xss-workbench.png");
        }
    }

    static void assertNoXss(Page page, String where) {
        assertTrue((Boolean) page.evaluate("() => window.__xss === undefined"), where + ": the payload ran (window.__xss = "
                + page.evaluate("() => String(window.__xss)") + ")");
        assertTrue(page.locator("main script, main img[src='x'], main img[onerror]").count() == 0,
                where + ": the payload became elements");
    }

    @Test
    void aViewerSeesNoVoteControlsAndTheApiRefusesTheirVote() {
        try (BrowserContext context = newContext()) {
            Page page = signedIn(context, "vic", "#/review");
            PlaywrightAssertions.assertThat(page.getByTestId("review-readonly")).isVisible();
            assertTrue(page.getByTestId("vote-bar").count() == 0 && page.getByTestId("vote-a").count() == 0
                    && page.getByTestId("vote-b").count() == 0 && page.getByTestId("vote-tie").count() == 0
                    && page.getByTestId("vote-both-bad").count() == 0, "a viewer sees vote controls");
            shot(page, "viewer-workbench.png");
            // pressing the vote keys does nothing either
            page.keyboard().press("1");
            PlaywrightAssertions.assertThat(page.getByTestId("review-readonly")).isVisible();

            // trying anyway, from the page (session cookie + CSRF token), on a task leased to somebody else
            String task = SecurityMatrixIT.nextTask(Api.userToken("rita"), "demo");
            Object status = page.evaluate("""
                    async (task) => {
                      const csrf = document.cookie.split('; ').find(c => c.startsWith('lookout-csrf='))?.split('=')[1] ?? '';
                      const r = await fetch('/api/reviews/' + task + '/vote', {method: 'POST',
                        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                        body: JSON.stringify({choice: 'A'})});
                      return r.status;
                    }""", task);
            assertTrue(((Number) status).intValue() == 403, "a viewer's vote from the browser: " + status);
            Object next = page.evaluate("""
                    async () => {
                      const csrf = document.cookie.split('; ').find(c => c.startsWith('lookout-csrf='))?.split('=')[1] ?? '';
                      return (await fetch('/api/reviews/next?project=demo', {method: 'POST',
                        headers: {'X-CSRF-Token': csrf}})).status;
                    }""");
            assertTrue(((Number) next).intValue() == 403, "a viewer asking for a task: " + next);
            Object get = page.evaluate("async () => (await fetch('/api/reviews/next?project=demo')).status");
            assertTrue(((Number) get).intValue() == 405, "a GET never leases a task: " + get);
        }
        // and with vic's own bearer token
        Api.gateway(Api.userToken("vic")).body(Map.of("choice", "A"))
                .when().post("/api/reviews/" + SecurityMatrixIT.nextTask(Api.userToken("rita"), "demo") + "/vote")
                .then().statusCode(403);
    }

    @Test
    void runAndComparePagesInEnglishAndChinese() {
        // an engineer: the show run's review batches are open, so a reviewer may not read its comparisons
        BrowserContext engineer = newContext();
        Page page = signedIn(engineer, "eve", "#/runs/" + showRun);
        for (String lang : List.of("en", "zh-CN")) {
            language(page, lang);
            page.navigate(SystemUnderTest.GATEWAY_URL + "/#/runs/" + showRun);
            PlaywrightAssertions.assertThat(page.getByTestId("round-page")).isVisible();
            PlaywrightAssertions.assertThat(page.getByTestId("round-row")).hasCount(3);
            PlaywrightAssertions.assertThat(page.getByTestId("round-chart")).isVisible();
            PlaywrightAssertions.assertThat(page.locator("[data-testid=round-chart] canvas").first()).isVisible();
            shot(page, "run-page-" + lang + ".png");

            page.navigate(SystemUnderTest.GATEWAY_URL + "/#/compare/" + showProbeRun600);
            PlaywrightAssertions.assertThat(page.getByTestId("compare-page")).isVisible();
            PlaywrightAssertions.assertThat(page.getByTestId("compare-item").first()).isVisible();
            shot(page, "compare-page-" + lang + ".png");
        }
        language(page, "en");
        // the "vs previous checkpoint" column links to step 600's answers against step 400's on the compare page
        page.navigate(SystemUnderTest.GATEWAY_URL + "/#/runs/" + showRun);
        PlaywrightAssertions.assertThat(page.getByTestId("round-compare-previous-link")).hasCount(2);
        page.getByTestId("round-compare-previous-link").last().click();
        PlaywrightAssertions.assertThat(page.getByTestId("compare-item").first()).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("compare-page")).containsText("demo-ckpt-600 vs ");
        PlaywrightAssertions.assertThat(page.getByTestId("compare-page")).containsText("/demo-ckpt-400");
        engineer.close();
    }

    @Test
    void theRunPageUpdatesLiveWhenACheckpointIsRegisteredAndProbed() {
        String job = Api.trainingJobToken();
        String run = Seed.run(job, "demo", Seed.unique("live"), fullEndpoint, browserSuite);
        Page page = signedIn(browser, "rita", "#/runs/" + run);
        PlaywrightAssertions.assertThat(page.getByTestId("round-page")).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("round-live")).hasAttribute("data-state", "on");
        PlaywrightAssertions.assertThat(page.getByTestId("round-row")).hasCount(0);
        String url = page.url();

        Seed.checkpoint(job, run, 400, fullEndpoint);
        // no reload: the checkpoint appears, its probe run is probed, and the row links to its comparison
        PlaywrightAssertions.assertThat(page.getByTestId("round-row")).hasCount(1);
        PlaywrightAssertions.assertThat(page.getByTestId("round-compare-link")).isVisible();
        Seed.awaitProbeRunsCompleted(run, 1);
        PlaywrightAssertions.assertThat(page.getByTestId("probe-run-progress")).hasCount(0);
        PlaywrightAssertions.assertThat(page.getByTestId("round-row").first()).containsText("%");
        assertTrue(url.equals(page.url()), "the page stayed where it was");
        shot(page, "run-page-live.png");
        page.close();
    }

    /** The verdict of one review batch as the API tells {@code token}: {wins, ties, losses, bothBad, votes}. */
    static Map<String, Integer> verdictOfBatch(String token, String run, String batch) {
        List<Map<String, Object>> verdicts = Api.gateway(token).queryParam("run", run).when().get("/api/verdicts")
                .then().statusCode(200).extract().jsonPath().getList("$");
        for (Map<String, Object> v : verdicts) {
            if (batch.equals(v.get("batchId"))) {
                return counts(v);
            }
        }
        throw new AssertionError("no verdict for batch " + batch + " in " + verdicts);
    }

    private static Map<String, Integer> counts(Map<String, Object> verdict) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (String key : List.of("wins", "ties", "losses", "bothBad", "votes")) {
            Object value = verdict.get(key);
            counts.put(key, value == null ? 0 : ((Number) value).intValue());
        }
        return counts;
    }

    /** Votes per review batch over every run in demo, as an engineer sees them: batch id → run id + votes. */
    static Map<String, Map.Entry<String, Integer>> votesByBatchInDemo(String token) {
        Map<String, Map.Entry<String, Integer>> byBatch = new java.util.HashMap<>();
        List<String> runs = Api.gateway(token).queryParam("project", "demo").when().get("/api/runs")
                .then().statusCode(200).extract().jsonPath().getList("id");
        for (String run : runs) {
            List<Map<String, Object>> verdicts = Api.gateway(token).queryParam("run", run).when().get("/api/verdicts")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            for (Map<String, Object> v : verdicts) {
                byBatch.put((String) v.get("batchId"), Map.entry(run, counts(v).get("votes")));
            }
        }
        return byBatch;
    }

    /** The batch whose vote count went up by exactly one between two snapshots, or null while there is none. */
    static Map.Entry<String, String> batchWithOneMoreVote(Map<String, Map.Entry<String, Integer>> before,
                                                          Map<String, Map.Entry<String, Integer>> after) {
        for (Map.Entry<String, Map.Entry<String, Integer>> e : after.entrySet()) {
            Map.Entry<String, Integer> was = before.get(e.getKey());
            if (e.getValue().getValue() == (was == null ? 0 : was.getValue()) + 1) {
                return Map.entry(e.getKey(), e.getValue().getKey());
            }
        }
        return null;
    }

    /** Presses a key on the workbench and waits until it shows another task (or nothing left). */
    static void pressAndAwaitNextTask(Page page, String key, String taskShown) {
        page.evaluate("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()");
        page.keyboard().press(key);
        await("key " + key + " moves the workbench on").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (page.getByTestId("error").count() > 0) {
                        throw new AssertionError("key " + key + " failed: " + page.getByTestId("error").first().innerText());
                    }
                    return page.getByTestId("review-empty").count() > 0
                            || !taskShown.equals(page.getByTestId("review-page").getAttribute("data-task-id"));
                });
    }

    @Test
    void ritaUndoesAKeyboardVoteVotesAgainAndOnlyTheSecondChoiceCounts() {
        // a fresh batch, so that rita has an item whatever the other tests took
        String job = Api.trainingJobToken();
        String run = Seed.run(job, "demo", Seed.unique("undo"), fullEndpoint, browserSuite);
        Seed.checkpoint(job, run, 400, fullEndpoint);
        Seed.awaitReviewBatch(null, "demo", (String) Seed.awaitProbeRunsCompleted(run, 1).get(0).get("id"));

        // the task names no batch: an engineer finds it as the batch whose verdict gains rita's vote
        String eve = Api.userToken("eve");
        Map<String, Map.Entry<String, Integer>> snapshot = votesByBatchInDemo(eve);
        Page page = signedIn(browser, "rita", "#/review");
        language(page, "en");
        PlaywrightAssertions.assertThat(page.getByTestId("answer-a-text")).hasText(Pattern.compile("\\S"));
        Locator review = page.getByTestId("review-page");
        String task = review.getAttribute("data-task-id");
        assertTrue(review.getAttribute("data-batch-id") == null, "the workbench shows a batch id");

        // 1 = A with the keyboard: one more vote in that batch's verdict
        pressAndAwaitNextTask(page, "1", task);
        Map.Entry<String, String> voted = await("the A vote counts").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> batchWithOneMoreVote(snapshot, votesByBatchInDemo(eve)), java.util.Objects::nonNull);
        String batch = voted.getKey();
        String batchRun = voted.getValue();
        Map<String, Integer> withA = verdictOfBatch(eve, batchRun, batch);
        assertTrue(Api.gateway(Api.userToken("rita")).when().get("/api/review-batches/" + batch).statusCode() == 404,
                "rita reads the open batch of her task");

        // U: the same item again, the withdrawn choice marked, and the vote no longer counts
        PlaywrightAssertions.assertThat(page.getByTestId("review-undo")).isVisible();
        page.evaluate("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()");
        page.keyboard().press("u");
        PlaywrightAssertions.assertThat(page.getByTestId("review-undone")).isVisible();
        PlaywrightAssertions.assertThat(review).hasAttribute("data-task-id", task);
        PlaywrightAssertions.assertThat(page.getByTestId("vote-a")).hasAttribute("data-previous", "true");
        PlaywrightAssertions.assertThat(page.getByTestId("previous-choice")).hasCount(1);
        assertTrue(page.getByTestId("vote-b").getAttribute("data-previous") == null, "only A is marked");
        shot(page, "workbench-undo-en.png");
        Map<String, Integer> before = await("the withdrawn vote no longer counts").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> verdictOfBatch(eve, batchRun, batch), v -> v.get("votes") == withA.get("votes") - 1);
        assertTrue(withA.get("wins") + withA.get("losses") == before.get("wins") + before.get("losses") + 1,
                "the A vote was a win or a loss: " + withA + " -> " + before);

        // 4 = both bad: the verdict has exactly one more vote, a both-bad one, and nothing else changed
        pressAndAwaitNextTask(page, "4", task);
        Map<String, Integer> after = await("only the second choice counts").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> verdictOfBatch(eve, batchRun, batch), v -> v.get("votes") == before.get("votes") + 1);
        assertTrue(after.get("bothBad") == before.get("bothBad") + 1, "both-bad " + before + " -> " + after);
        assertTrue(after.get("wins").equals(before.get("wins")) && after.get("losses").equals(before.get("losses"))
                && after.get("ties").equals(before.get("ties")), "the withdrawn A still counts: " + before + " -> " + after);

        // the verdict page of that run: a reviewer sees no verdict of the open batch, and no export buttons
        page.navigate(SystemUnderTest.GATEWAY_URL + "/#/runs/" + batchRun + "/verdicts");
        PlaywrightAssertions.assertThat(page.getByTestId("verdicts-page")).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("verdicts-empty")).isVisible();
        PlaywrightAssertions.assertThat(page.getByTestId("verdict-row")).hasCount(0);
        assertTrue(page.getByTestId("export-buttons").count() == 0, "a reviewer sees export buttons");
        page.close();
    }

    @Test
    void verdictAndBradleyTerryViewsInEnglishAndChineseWithExportsForAnEngineer() throws IOException {
        // project other, so the votes cast here never take demo's review items from the other tests
        String otto = Api.userToken("otto");
        String endpoint = Seed.unique("sim-verdicts");
        Seed.endpoint(otto, "other", endpoint, 200);
        String suite = Seed.unique("verdicts");
        Seed.suite(otto, "other", suite, Seed.eightProbes());
        String run = Seed.run(otto, "other", Seed.unique("sft-verdicts"), endpoint, suite);
        for (int step : new int[] {200, 400, 600}) {
            Seed.checkpoint(otto, run, step, endpoint);
        }
        for (Map<String, Object> p : Seed.awaitProbeRunsCompleted(otto, "other", run, 3)) {
            Seed.awaitReviewBatch(otto, "other", (String) p.get("id"));
        }
        // otto votes through the API: a fixed mix of choices and rubric tags
        List<String> choices = List.of("A", "B", "A", "A", "TIE", "BOTH_BAD", "B", "A");
        for (int i = 0; i < 80; i++) {
            io.restassured.response.Response next = Api.gateway(otto).queryParam("project", "other").when()
                    .post("/api/reviews/next");
            if (next.statusCode() == 204) {
                break;
            }
            assertTrue(next.statusCode() == 200, "next task for otto: " + next.statusCode());
            List<String> rubric = next.jsonPath().getList("rubric.id"); // rubric tags are {id, label}; votes send ids
            Map<String, Object> vote = Map.of("choice", choices.get(i % choices.size()),
                    "tags", rubric == null || rubric.isEmpty() ? List.of() : List.of(rubric.get(i % rubric.size())));
            Api.gateway(otto).body(vote).when().post("/api/reviews/" + next.jsonPath().getString("taskId") + "/vote")
                    .then().statusCode(200);
        }

        try (BrowserContext context = others.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setAcceptDownloads(true))) {
            context.setDefaultTimeout(TIMEOUT_MS);
            Page page = signedIn(context, "otto", "#/runs/" + run + "/verdicts");
            for (String lang : List.of("en", "zh-CN")) {
                language(page, lang);
                page.navigate(SystemUnderTest.GATEWAY_URL + "/#/runs/" + run + "/verdicts");
                PlaywrightAssertions.assertThat(page.getByTestId("verdicts-page")).isVisible();
                // one verdict per checkpoint against the base, and 400 and 600 against the previous checkpoint
                PlaywrightAssertions.assertThat(page.getByTestId("verdict-row")).hasCount(5);
                PlaywrightAssertions.assertThat(page.getByTestId("verdict-whisker").first()).isVisible();
                PlaywrightAssertions.assertThat(page.locator("[data-testid=bt-chart] canvas").first()).isVisible();
                PlaywrightAssertions.assertThat(page.getByTestId("bt-row").first()).isVisible();
                assertTrue(page.getByTestId("bt-row").count() >= 2, "the base and at least one checkpoint");
                PlaywrightAssertions.assertThat(page.getByTestId("export-button")).hasCount(5);
                shot(page, "verdicts-page-" + lang + ".png");
            }
            language(page, "en");
            // an export downloads through the browser's session (no bearer token in the page)
            page.navigate(SystemUnderTest.GATEWAY_URL + "/#/runs/" + run + "/verdicts");
            com.microsoft.playwright.Download download = page.waitForDownload(() ->
                    page.locator("[data-testid=export-button][data-format=trl]").click());
            Path file = screenshots.resolveSibling("downloads").resolve("verdicts-trl.jsonl");
            Files.createDirectories(file.getParent());
            download.saveAs(file);
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            assertFalse(lines.isEmpty(), "the TRL export of the voted run is empty");
            for (String line : lines) {
                assertTrue(new io.restassured.path.json.JsonPath(line).getList("prompt") != null, "not a TRL row: " + line);
            }
        }
    }
}
