package dev.rollgate.local.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rollgate.local.api.Sessions;
import dev.rollgate.local.process.ProcessGroup;
import dev.rollgate.local.store.DaemonFiles;
import dev.rollgate.testkit.Loopback;
import dev.rollgate.testkit.Packages;
import dev.rollgate.view.ServiceView;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser (Debian's Chromium, driven by Selenium through Debian's
 * chromedriver): a canary under load, watched and aborted the way a person would do it.
 */
class DashboardBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    Path dir;

    private Daemon daemon;
    private WebDriver browser;
    private final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (browser != null) browser.quit();
        if (daemon == null) return;
        for (ServiceView v : daemon.list()) v.replicas().stream().filter(r -> r.pid() > 0 && !pids.contains(r.pid())).forEach(r -> pids.add(r.pid()));
        daemon.shutdown().get();
        for (long pid : pids) assertThat(ProcessGroup.members(pid)).as("process group " + pid + " left behind").isEmpty();
    }

    private static final String CANARY = """
              strategy:
                canary:
                  scaleDownDelaySeconds: 1
                  analysis: {templates: [{templateName: errors}], startingStep: 1}
                  steps: [{setWeight: 50}, {pause: {}}]
            """;

    private static final String JUDGE = Specs.judge("1s");

    @Test
    void aPersonLogsInWatchesACanaryUnderLoadAndAbortsIt() throws Exception {
        installChromium();
        daemon = Daemon.open(dir.resolve("state"), 0);
        String base = "http://127.0.0.1:" + daemon.adminPort();
        String token = Files.readString(DaemonFiles.tokenFile(dir.resolve("state"))).trim();
        int port = Loopback.freePort();
        daemon.apply(Specs.rollout("web", 2, port, "v1", CANARY) + JUDGE, dir.toString(), "web.yaml");
        waitForPhase("web", "Complete");
        LoadLoop load = LoadLoop.start(port);
        daemon.apply(Specs.rollout("web", 2, port, "v2", CANARY) + JUDGE, dir.toString(), "web.yaml");

        browser = chromium();
        // The login is required: the page sends a stranger to the form, and a wrong token is refused.
        browser.get(base + "/ui/");
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().equals(base + "/ui/login"));
        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("login")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#login-error").contains("not this daemon's token"));
        browser.manage().logs().get(LogType.BROWSER); // the 401 of that wrong login is expected; what follows must be clean
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("login")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().equals(base + "/ui/#service=web"));
        Cookie session = browser.manage().getCookieNamed(Sessions.COOKIE);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");

        // The canary pauses at 50 %: the table says so, and the charts get points for both revisions.
        await().atMost(Duration.ofSeconds(90)).until(() -> text("#services tbody tr[data-name=web]").contains("Paused"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<?, ?> counts = (Map<?, ?>) js("return window.rollgate.pointCounts()");
            return counts.size() == 2 && counts.values().stream().allMatch(n -> ((Number) n).intValue() >= 3);
        });
        // The charts are drawn from those points on the page's next redraw: wait for it, and say what the page had if it never comes.
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> text("#chart-rps").contains("rev 1 (v1)") && text("#chart-rps").contains("rev 2 (v2)")
                    && "rev 1 (v1),rev 2 (v2)".equals(js("return document.getElementById('chart-split').dataset.revisions")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(chartState(), e);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#analysis").contains("errors-vs-stable"));
        assertThat(text("#services tbody tr[data-name=web]")).contains("50%");
        assertThat(text("#replicas")).contains("Running", "readiness ok", "startup ok");
        assertThat(text("#diff")).contains("- ", "\"v1\"", "+ ", "\"v2\"");
        // The delivery figures: v1 deployed and done, v2 under way.
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#stats").contains("2 (1 in progress)"));
        assertThat(text("#stats")).contains("0% (0 of 1)");
        await().atMost(Duration.ofSeconds(60)).until(() -> ((Map<?, ?>) js("return window.rollgate.pointCounts()")).values().stream()
                .allMatch(n -> ((Number) n).intValue() >= 20));
        screenshot();

        // A request with the session but without its CSRF token changes nothing.
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/services/web/abort"))
                .header("Cookie", Sessions.COOKIE + "=" + session.getValue()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("X-CSRF-Token");
        assertThat(daemon.describe("web").phase()).isEqualTo("Paused");

        // Abort with its confirmation: the API shows it aborted, and a marker appears at the abort.
        click("#actions button[data-action=abort]");
        assertThat(text("#confirm-text")).contains("Abort the rollout of web");
        click("#confirm-ok");
        await().atMost(Duration.ofSeconds(20)).until(() -> text("#result").contains("abort: aborted"));
        assertThat(daemon.describe("web").phase()).isEqualTo("Aborted");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#markers li[data-reason=RolloutAborted]")).isEmpty());
        assertThat(String.valueOf(js("return window.rollgate.markers().map(m => m.reason).join(',')"))).contains("RolloutAborted");

        load.stop();
        assertThat(load.keys()).as("no client saw a failure while the dashboard watched").doesNotContain("500", "502", "503", "socket-error");
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("the browser console").isEmpty();
    }

    private void installChromium() throws Exception {
        if (Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER))) return;
        Packages.ensure("chromium", "chromium-driver");
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,2200");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * The rendered text of the first element matching {@code css}, read in one step in the page:
     * the page redraws its tables every second, so an element found first and read after may be
     * gone by then (a stale element).
     */
    private String text(String css) {
        Object t = js("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return t == null ? "" : t.toString();
    }

    /** Clicks the element matching {@code css}, finding it again if the page redrew it in between. */
    private void click(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                browser.findElement(By.cssSelector(css)).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                if (attempt == 5) throw redrawn;
            }
        }
    }

    /** What the page had drawn, and what its console said, for a chart that did not appear. */
    private String chartState() {
        Object page = js("return JSON.stringify({uPlot: typeof uPlot, points: window.rollgate.pointCounts(),"
                + " rps: document.getElementById('chart-rps').innerHTML.length, split: document.getElementById('chart-split').dataset.revisions})");
        List<String> console = browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
        return "the charts with both revisions; the page had " + page + ", its console " + console;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The README's picture of the dashboard during a canary: target/dashboard.png. */
    private void screenshot() throws Exception {
        Files.write(Path.of("target/dashboard.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private void waitForPhase(String name, String phase) {
        DaemonAwait.phase(daemon, name, phase, pids);
    }

}
