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

    static Playwright playwright;
    static BrowserContext browser;
    static Path screenshots;

    @BeforeAll
    static void chromium() throws IOException {
        Seed.reviewTasksReady();
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
        PlaywrightAssertions.setDefaultAssertionTimeout(TIMEOUT_MS);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void ritaLogsInThroughKeycloakAndSeesTwoAnswersToReview() {
        Page page = browser.newPage();
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
    }
}
