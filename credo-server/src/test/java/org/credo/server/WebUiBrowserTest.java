package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.credo.access.Role;
import org.credo.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser: Debian's headless Chromium driven through its chromedriver (nothing
 * is downloaded). Skipped only when Chromium is not installed; {@code .ci/run} installs it.
 *
 * <p>Screenshots of the three pages go to {@code target/screenshots}, or to the folder named by
 * {@code -Dcredo.screenshots=DIR} (the copies in {@code docs/} are made that way).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("credo.chromium", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("credo.chromedriver", "/usr/bin/chromedriver"));

  @TempDir static Path dir;
  static Fixture f;
  static ChromeDriver browser;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    f = new Fixture(Store.openFolder(dir, true), dir, Fixture.config(dir));
    base = "http://127.0.0.1:" + f.server.port();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1200,2000",
        "--lang=en-GB");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (f != null) {
      f.close();
    }
  }

  @BeforeEach
  void freshTab() {
    browser.get(base + "/index.html");
    js("sessionStorage.clear()");
  }

  @AfterEach
  void noStackTraceOnThePage() {
    String page = browser.getPageSource();
    assertThat(page).doesNotContain("Exception", "\tat org.", "internal_error");
  }

  @Test
  @Order(1)
  void aSubjectSeesTheirScoreGrantsConsentAndGetsACertificateTheVerifierAccepts()
      throws IOException {
    signInAsSubject(Fixture.GOOD, f.good);
    String score = visible(By.id("score-value")).getText();
    assertThat(score).matches("[0-9][0-9.,]*");
    assertThat(browser.findElement(By.id("score-grade")).getText()).isNotBlank();
    assertThat(browser.findElements(By.cssSelector("#history-chart canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#contrib-chart canvas"))).isNotEmpty();
    assertThat(browser.findElement(By.id("contributions")).getText()).contains("city-utilities");
    assertThat(drawnMs()).isPositive();
    // The due-process panels are filled from their endpoints.
    visible(By.cssSelector("#notifications table, #notifications p"));
    visible(By.cssSelector("#audit table"));
    assertThat(browser.findElement(By.id("main")).getText()).doesNotContain("not available");

    // Grant consent, clicking twice: one consent, not two.
    browser.findElement(By.id("consent-party")).sendKeys("landlord");
    browser.findElement(By.id("consent-purpose")).sendKeys("rental_deposit_waiver");
    js("document.getElementById('consent-until').value = '2027-06-30'");
    js(
        "const b = document.getElementById('consent-button');"
            + " b.form.requestSubmit(); b.form.requestSubmit(); b.click();");
    waitForText(By.id("consent-message"), "Consent granted");
    JsonNode consents =
        f.api.get("/v1/subjects/" + Fixture.GOOD + "/consents", f.good).is(200).json();
    assertThat(consents.get("consents")).hasSize(1);
    waitForText(By.id("consents"), "Revoke");

    // A party the server does not know: a clear message, nothing granted.
    browser.findElement(By.id("consent-party")).sendKeys("nobody");
    browser.findElement(By.id("consent-purpose")).sendKeys("rental_deposit_waiver");
    js("document.getElementById('consent-until').value = '2027-06-30'");
    browser.findElement(By.id("consent-button")).click();
    waitForText(By.id("consent-message"), "Nothing was granted");
    assertThat(
            f.api.get("/v1/subjects/" + Fixture.GOOD + "/consents", f.good).json().get("consents"))
        .hasSize(1);

    // A claim that does not hold: nothing signed, and the page says why.
    browser.findElement(By.id("claim-score")).click();
    WebElement min = browser.findElement(By.id("claim-score-value"));
    min.clear();
    min.sendKeys("1200");
    browser.findElement(By.id("cert-button")).click();
    waitForText(By.id("cert-message"), "No certificate was signed");
    browser.findElement(By.id("claim-score")).click();

    browser.findElement(By.id("cert-button")).click();
    waitForText(By.id("cert-message"), "signed, valid until");
    String certificate = browser.findElement(By.id("cert-text")).getAttribute("value");
    assertThat(certificate).contains("credo-certificate/1", "not on any black list");
    screenshot("ui-portal.png");

    // The verifier, opened from the portal, has the certificate ready.
    browser.findElement(By.id("cert-verify")).click();
    visible(By.id("certificate"));
    browser.findElement(By.id("verify-button")).click();
    waitForText(By.id("verdict"), "Valid");
    assertThat(browser.findElement(By.id("result")).getText())
        .contains(Fixture.GOOD, "not on any black list", "credo", "valid until");
    screenshot("ui-verifier.png");
  }

  @Test
  @Order(2)
  void theVerifierRejectsATamperedCertificateAndSaysWhatIsWrongWithGarbage() {
    String certificate =
        f.api
            .post(
                "/v1/subjects/" + Fixture.GOOD + "/certificates",
                f.good,
                "{\"claims\":[\"not on any black list\"]}")
            .is(201)
            .body();
    browser.get(base + "/verify.html");
    WebElement text = visible(By.id("certificate"));
    setValue("certificate", certificate.replace("not on any black list", "grade >= A"));
    browser.findElement(By.id("verify-button")).click();
    waitForText(By.id("verdict"), "Not valid");
    assertThat(browser.findElement(By.id("reason")).getText()).contains("altered or forged");

    setValue("certificate", "this is not a certificate");
    browser.findElement(By.id("verify-button")).click();
    waitForText(By.id("message"), "not JSON");

    setValue("certificate", "[1, 2]");
    browser.findElement(By.id("verify-button")).click();
    waitForText(By.id("message"), "That is not a certificate");
    assertThat(text.isDisplayed()).isTrue();
  }

  @Test
  @Order(3)
  void wrongExpiredAndMisplacedTokensGetAClearMessage() {
    browser.get(base + "/portal.html");
    signIn(Fixture.GOOD, "credo_not-a-real-token");
    waitForText(By.id("message"), "The token was not accepted");
    assertThat(browser.findElement(By.id("signin")).isDisplayed()).isTrue();

    String expired =
        f.server
            .tokens()
            .create(
                Role.SUBJECT,
                Optional.of(Fixture.GOOD),
                Optional.of(Fixture.START.minusSeconds(60)),
                Fixture.START.minusSeconds(120))
            .secret();
    signIn(Fixture.GOOD, expired);
    waitForText(By.id("message"), "The token was not accepted");

    signIn(Fixture.GOOD, f.operator);
    waitForText(By.id("message"), "not a subject token");

    signIn(Fixture.DEFAULTER, f.good);
    waitForText(By.id("message"), "another subject");

    browser.get(base + "/console.html");
    visible(By.id("token")).sendKeys(f.good);
    browser.findElement(By.id("signin-button")).click();
    waitForText(By.id("message"), "not an operator token");
  }

  @Test
  @Order(4)
  void anOperatorSeesTheScoreHistogramAndGradeCounts() throws IOException {
    browser.get(base + "/console.html");
    visible(By.id("token")).sendKeys(f.operator);
    browser.findElement(By.id("signin-button")).click();
    visible(By.cssSelector("#histogram canvas"));
    waitForText(By.id("dist-summary"), "subjects");
    assertThat(browser.findElement(By.id("grades")).getText()).contains("Subjects by grade");
    waitForText(By.id("active"), "rongcheng-style");
    assertThat(drawnMs()).isPositive();
    waitForText(By.id("disputes"), "No open dispute");
    waitForText(By.id("audit"), "The chain is intact");
    screenshot("ui-console.png");
  }

  @Test
  @Order(5)
  void thePortalWorksFromTheKeyboardAndFitsAPhoneScreen() {
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    try {
      browser.get(base + "/portal.html");
      visible(By.id("subject"));
      // Tab from the top of the page to the sign-in form, type, and press Enter.
      org.openqa.selenium.interactions.Actions keys =
          new org.openqa.selenium.interactions.Actions(browser);
      for (int i = 0; i < 10 && !"subject".equals(activeId()); i++) {
        keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
      }
      assertThat(activeId()).isEqualTo("subject");
      keys.sendKeys(Fixture.GOOD)
          .sendKeys(org.openqa.selenium.Keys.TAB)
          .sendKeys(f.good)
          .sendKeys(org.openqa.selenium.Keys.ENTER)
          .perform();
      visible(By.id("score-value"));
      waitForText(By.id("consents"), "landlord");
      Object overflow =
          js(
              "return document.documentElement.scrollWidth"
                  + " - document.documentElement.clientWidth");
      assertThat(((Number) overflow).longValue()).as("horizontal overflow in px").isLessThan(2);
    } finally {
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 2000));
    }
  }

  @Test
  @Order(6)
  void aSubjectDisputesARecordTheOperatorRejectsItAndTheSubjectSeesTheOutcome() throws IOException {
    String record = "court-enforcement/jd-1";
    String disputes = "/v1/subjects/" + Fixture.DEFAULTER + "/disputes";
    signInAsSubject(Fixture.DEFAULTER, f.defaulter);
    visible(By.cssSelector("button[data-record='" + record + "']")).click();
    WebElement statement = visible(By.id("dispute-statement"));
    assertThat(activeId()).isEqualTo("dispute-statement");

    // An empty statement, then one over the limit: a clear message, nothing sent.
    browser.findElement(By.id("dispute-button")).click();
    waitForText(By.id("dispute-message"), "Write what is wrong with the record");
    assertThat(browser.findElement(By.id("dispute-message")).getText())
        .contains("Nothing was sent");
    setValue("dispute-statement", "word ".repeat(100));
    statement.sendKeys("more");
    waitForText(By.id("dispute-count"), "101 of 100 words");
    browser.findElement(By.id("dispute-button")).click();
    waitForText(By.id("dispute-message"), "at most 100 words");
    assertThat(f.api.get(disputes, f.defaulter).is(200).json().get("disputes")).isEmpty();

    // A real statement, submitted three times at once: one dispute.
    statement.clear();
    statement.sendKeys("I performed the judgment in May; receipt 2026-05-14.");
    waitForText(By.id("dispute-count"), "8 of 100 words");
    js(
        "const b = document.getElementById('dispute-button');"
            + " b.form.requestSubmit(); b.form.requestSubmit(); b.click();");
    waitForText(By.id("dispute-message"), "opened on " + record);
    JsonNode mine = f.api.get(disputes, f.defaulter).is(200).json().get("disputes");
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).get("state").asText()).isEqualTo("open");
    String id = mine.get(0).get("id").asText();
    waitForText(By.id("disputes"), id);
    assertThat(browser.findElement(By.id("disputes")).getText())
        .contains("open", "I performed the judgment in May");
    waitForText(By.id("contributions"), "disputed");
    assertThat(browser.findElements(By.cssSelector("button[data-record='" + record + "']")))
        .isEmpty();
    waitForText(By.id("notifications"), "dispute");
    waitForText(By.id("audit"), "dispute.open");

    // Credit repair on the black-list entry: empty evidence is refused on the page.
    visible(By.cssSelector("button[data-list='judgment-defaulters']")).click();
    visible(By.id("repair-evidence"));
    browser.findElement(By.id("repair-button")).click();
    waitForText(By.id("repair-message"), "Nothing was sent");
    browser.findElement(By.id("repair-evidence")).sendKeys("Court receipt 2026-05-14, no. 42");
    browser.findElement(By.id("repair-button")).click();
    waitForText(By.id("repair-message"), "Application");
    JsonNode repairs =
        f.api
            .get("/v1/subjects/" + Fixture.DEFAULTER + "/repairs", f.defaulter)
            .is(200)
            .json()
            .get("repairs");
    assertThat(repairs).hasSize(1);
    waitForText(By.id("repairs"), "open");
    waitForText(By.id("lists"), "repair applied");
    js("document.getElementById('contrib-title').scrollIntoView()");
    screenshot("ui-portal-disputes.png");

    // The operator sees it in the queue, is refused a rejection without reason, then rejects.
    signInToConsole();
    waitForText(By.id("disputes"), record);
    assertThat(browser.findElement(By.id("disputes")).getText()).contains(id, "I performed");
    waitForText(By.id("sources"), "court-enforcement");
    waitForText(By.id("entries"), "judgment-defaulters");
    waitForText(By.id("repairs"), repairs.get(0).get("id").asText());
    waitForText(By.id("audit"), "The chain is intact");
    js("document.getElementById('disputes-title').scrollIntoView()");
    screenshot("ui-console-disputes.png");
    browser.findElement(By.cssSelector("button[data-resolve='" + id + "']")).click();
    waitForText(By.id("dispute-queue-message"), "needs a reason");
    assertThat(f.api.get("/v1/disputes/" + id, f.operator).json().get("state").asText())
        .isEqualTo("open");
    browser
        .findElement(By.cssSelector("input[data-dispute-reason='" + id + "']"))
        .sendKeys("The judgment is still unperformed.");
    browser.findElement(By.cssSelector("button[data-resolve='" + id + "']")).click();
    waitForText(By.id("dispute-queue-message"), "rejected");
    waitForText(By.id("disputes"), "No open dispute");
    JsonNode answered = f.api.get("/v1/disputes/" + id, f.operator).is(200).json();
    assertThat(answered.get("state").asText()).isEqualTo("rejected");
    assertThat(answered.get("reason").asText()).isEqualTo("The judgment is still unperformed.");
    assertThat(source("court-enforcement").get("rejected").asInt()).isEqualTo(1);

    // The repair is refused without reason on the page, then granted.
    String repair = repairs.get(0).get("id").asText();
    browser.findElement(By.cssSelector("button[data-refuse='" + repair + "']")).click();
    waitForText(By.id("repair-queue-message"), "needs a reason");
    browser.findElement(By.cssSelector("button[data-grant='" + repair + "']")).click();
    waitForText(By.id("repair-queue-message"), "granted");
    assertThat(
            f.api
                .get("/v1/subjects/" + Fixture.DEFAULTER + "/repairs", f.defaulter)
                .json()
                .at("/repairs/0/state")
                .asText())
        .isEqualTo("granted");

    // Back as the subject: the outcome and the reason.
    browser.get(base + "/index.html");
    js("sessionStorage.clear()");
    signInAsSubject(Fixture.DEFAULTER, f.defaulter);
    waitForText(By.id("disputes"), "rejected");
    assertThat(browser.findElement(By.id("disputes")).getText())
        .contains("The judgment is still unperformed.");
    waitForText(By.id("repairs"), "granted");
  }

  @Test
  @Order(7)
  void theOperatorSuspendsAndResumesASource() {
    signInToConsole();
    WebElement suspend = visible(By.cssSelector("button[data-suspend='city-bank']"));
    suspend.click();
    waitForText(By.id("source-message"), "Nothing was sent");
    browser
        .findElement(By.cssSelector("input[data-suspend-reason='city-bank']"))
        .sendKeys("Audit of its records under way");
    browser.findElement(By.cssSelector("button[data-suspend='city-bank']")).click();
    waitForText(By.id("source-message"), "city-bank suspended");
    assertThat(source("city-bank").get("suspended").asBoolean()).isTrue();
    waitForText(By.id("sources"), "Audit of its records under way");
    visible(By.cssSelector("button[data-resume='city-bank']")).click();
    waitForText(By.id("source-message"), "resumed");
    assertThat(source("city-bank").get("suspended").asBoolean()).isFalse();

    // The queues and tables scroll inside their panels on a phone; the page does not.
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    try {
      browser.navigate().refresh();
      waitForText(By.id("sources"), "city-bank");
      waitForText(By.id("entries"), "judgment-defaulters");
      Object overflow =
          js(
              "return document.documentElement.scrollWidth"
                  + " - document.documentElement.clientWidth");
      assertThat(((Number) overflow).longValue()).as("horizontal overflow in px").isLessThan(2);
    } finally {
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 2000));
    }
  }

  @Test
  @Order(8)
  void aSubjectTurnsScoreFreeModeOnAndOffInThePortal() {
    signInAsSubject(Fixture.GOOD, f.good);
    waitForText(By.id("scoring-state"), "You are scored");
    visible(By.id("scoring-button")).click();
    waitForText(By.id("scoring-message"), "no score or grade is computed about you");
    waitForText(By.id("score-value"), "Score-free");
    waitForText(By.id("no-score-reason"), "score-free mode");
    assertThat(
            f.api
                .get("/v1/subjects/" + Fixture.GOOD + "/scoring", f.good)
                .is(200)
                .json()
                .get("mode")
                .asText())
        .isEqualTo("score_free");
    visible(By.id("scoring-button")).click();
    waitForText(By.id("scoring-message"), "you are scored again");
    waitForText(By.id("scoring-state"), "You are scored");
    assertThat(browser.findElement(By.id("score-value")).getText()).doesNotContain("Score-free");
  }

  @Test
  @Order(9)
  void anOperatorRunsTheFairnessReportAndSeesSmallGroupsLeftUnjudged() {
    signInToConsole();
    visible(By.id("fairness-button")).click();
    waitForText(By.id("fairness-summary"), "by age band");
    waitForText(By.id("fairness"), "Purpose lending: selection rates");
    // The fixture's few subjects make every group too small to judge: never a ratio.
    assertThat(browser.findElement(By.id("fairness")).getText())
        .contains("too small to judge")
        .doesNotContain("most favoured: 25");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("fairness-dimension")))
        .selectByVisibleText("sex");
    waitForText(By.id("fairness-summary"), "by sex");
  }

  @Test
  @Order(10)
  void anOperatorSimulatesAChangeThenActivatesTheTextSimulated() throws IOException {
    signInToConsole();
    String v3 =
        Files.readString(Fixture.POLICIES.resolve("rongcheng-style.yaml"))
            .replace("version: 2", "version: 3")
            .replace("points: -50, expires: P5Y,", "points: -400, expires: P5Y,");
    setValue("simulate-yaml", "policy: [unclosed");
    browser.findElement(By.id("simulate-button")).click();
    waitForText(By.id("simulate-message"), "No simulation");
    setValue("simulate-yaml", v3);
    browser.findElement(By.id("simulate-button")).click();
    waitForText(By.id("simulate-message"), "Simulation sim-");
    waitForText(By.id("simulation-summary"), "rongcheng-style@3 against rongcheng-style@2");
    waitForText(By.id("simulation"), "Grades: before (rows)");
    assertThat(browser.findElement(By.id("simulation")).getText())
        .contains("Decisions that flip")
        .contains("court.breach_of_contract");
    screenshot("ui-console-simulation.png");
    visible(By.id("activate-button")).click();
    waitForText(By.id("simulate-message"), "resting on simulation sim-");
    waitForText(By.id("active"), "3");
    assertThat(f.api.get("/v1/policies", f.operator).is(200).json().get("active").toString())
        .contains("\"version\":3");
  }

  private static JsonNode source(String id) {
    for (JsonNode s : f.api.get("/v1/sources", f.operator).is(200).json().get("sources")) {
      if (s.get("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no source " + id);
  }

  private void signInToConsole() {
    browser.get(base + "/index.html");
    js("sessionStorage.clear()");
    browser.get(base + "/console.html");
    visible(By.id("token")).sendKeys(f.operator);
    browser.findElement(By.id("signin-button")).click();
    visible(By.cssSelector("#histogram canvas"));
  }

  private static String activeId() {
    Object id = js("return document.activeElement ? document.activeElement.id : null");
    return id == null ? null : id.toString();
  }

  // ---- helpers -----------------------------------------------------------------------------

  private void signInAsSubject(String subject, String token) {
    browser.get(base + "/portal.html");
    signIn(subject, token);
    visible(By.id("score-value"));
  }

  private void signIn(String subject, String token) {
    WebElement s = visible(By.id("subject"));
    s.clear();
    s.sendKeys(subject);
    WebElement t = browser.findElement(By.id("token"));
    t.clear();
    t.sendKeys(token);
    browser.findElement(By.id("signin-button")).click();
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static void setValue(String id, String value) {
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById(arguments[0]).value = arguments[1]", id, value);
  }

  private static long drawnMs() {
    Object v = js("return document.body.dataset.drawnMs");
    return v == null ? -1 : Long.parseLong(v.toString());
  }

  private static WebElement visible(By by) {
    return new WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(() -> "the page says: " + browser.findElement(By.tagName("main")).getText())
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void waitForText(By by, String text) {
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(
            () ->
                "waiting for '"
                    + text
                    + "' in "
                    + by
                    + "; the page says: "
                    + browser.findElement(By.tagName("main")).getText())
        .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  private static void screenshot(String name) throws IOException {
    Path folder =
        Path.of(System.getProperty("credo.screenshots", "target/screenshots")).toAbsolutePath();
    Files.createDirectories(folder);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
