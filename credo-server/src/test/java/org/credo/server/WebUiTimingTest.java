package org.credo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * First-render times of the three pages against a running server (BENCHMARKS.md, issue 6): each
 * page is loaded afresh {@code credo.ui.rounds} times in headless Chromium and the time from the
 * start of navigation to the {@code credo:drawn} performance mark (set when the page's data is
 * drawn) is read in the browser. Runs only when {@code -Dcredo.ui.base=http://host:port} is given,
 * with {@code credo.ui.subject}, {@code credo.ui.subjectToken} and {@code credo.ui.operatorToken}
 * (what {@code credo demo} prints).
 */
class WebUiTimingTest {
  @Test
  void firstRenderOfEachPage() {
    String base = System.getProperty("credo.ui.base");
    Assumptions.assumeTrue(base != null, "set -Dcredo.ui.base to time a running server");
    int rounds = Integer.getInteger("credo.ui.rounds", 11);
    String subject = System.getProperty("credo.ui.subject");
    String subjectToken = System.getProperty("credo.ui.subjectToken");
    String operatorToken = System.getProperty("credo.ui.operatorToken");
    System.setProperty("webdriver.chrome.driver", WebUiBrowserTest.DRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(WebUiBrowserTest.CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,2000");
    ChromeDriver browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(WebUiBrowserTest.DRIVER.toFile())
                .build(),
            options);
    try {
      List<String> lines = new ArrayList<>();
      lines.add(
          time(
              browser,
              "portal",
              base + "/portal.html#subject=" + subject + "&token=" + subjectToken,
              rounds));
      lines.add(time(browser, "console", base + "/console.html#token=" + operatorToken, rounds));
      lines.add(time(browser, "verifier", base + "/verify.html", rounds));
      lines.forEach(System.out::println);
    } finally {
      browser.quit();
    }
  }

  private static String time(ChromeDriver browser, String page, String url, int rounds) {
    long[] drawn = new long[rounds];
    long[] loaded = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      browser.get("about:blank");
      browser.get(url);
      Object ms =
          new WebDriverWait(browser, Duration.ofSeconds(30))
              .until(
                  d ->
                      ((JavascriptExecutor) d)
                          .executeScript("return document.body.dataset.drawnMs"));
      drawn[i] = Long.parseLong(ms.toString());
      Object dcl =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "return Math.round(performance.getEntriesByType('navigation')[0]"
                      + ".domContentLoadedEventEnd)");
      loaded[i] = ((Number) dcl).longValue();
      assertThat(browser.findElement(org.openqa.selenium.By.id("message")).getText())
          .as(page)
          .isEmpty();
    }
    String folder = System.getProperty("credo.screenshots");
    if (folder != null) {
      // Screenshots of a real population for docs/ (the browser test's fixture holds two people).
      try {
        java.nio.file.Files.createDirectories(java.nio.file.Path.of(folder));
        java.nio.file.Files.copy(
            browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(),
            java.nio.file.Path.of(folder, "ui-" + page + ".png"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    long[] warm = Arrays.copyOfRange(drawn, 1, rounds);
    Arrays.sort(warm);
    long[] warmLoaded = Arrays.copyOfRange(loaded, 1, rounds);
    Arrays.sort(warmLoaded);
    return String.format(
        Locale.ROOT,
        "%-8s first load: drawn at %d ms (DOMContentLoaded %d ms); next %d loads: median %d ms,"
            + " worst %d ms (DOMContentLoaded median %d ms)",
        page,
        drawn[0],
        loaded[0],
        rounds - 1,
        warm[warm.length / 2],
        warm[warm.length - 1],
        warmLoaded[warmLoaded.length / 2]);
  }
}
