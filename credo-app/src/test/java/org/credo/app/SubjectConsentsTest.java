package org.credo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.credo.access.Party;
import org.credo.app.consents.ConsentOutcome;
import org.credo.app.decisions.DecisionOutcome;
import org.credo.app.decisions.Decisions;
import org.credo.audit.AuditLog;
import org.credo.policy.Purpose;
import org.credo.store.Store;
import org.credo.subject.SubjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consent as the subject gives and takes it back, and as a decision then reads it. */
class SubjectConsentsTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  static final SubjectId ANNA = SubjectId.parse("person:P-1");
  static final Purpose RENTAL = Purpose.of("rental_deposit_waiver");

  @TempDir Path dir;

  @Test
  void aConsentOpensTheDecisionAndItsRevocationClosesItAgain() throws Exception {
    try (Store store = Store.openFolder(dir, true);
        AuditLog log = AuditLog.open(store)) {
      CredoApplication app =
          new CredoApplication(
              store, log, AppSettings.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), null);
      Path file = Path.of("..", "policies", "rongcheng-style.yaml");
      app.engine().activate(file.toString(), Files.readString(file), NOW.minusSeconds(60));
      app.parties().put(new Party("landlord", Set.of(RENTAL), NOW));
      Instant until = NOW.plus(Duration.ofDays(30));

      assertThat(app.subjectConsents().grant(ANNA, "stranger", RENTAL, until, NOW))
          .isEqualTo(new ConsentOutcome.UnknownParty("stranger"));
      assertThat(
              app.subjectConsents().grant(ANNA, "landlord", Purpose.of("air_travel"), until, NOW))
          .isInstanceOf(ConsentOutcome.PurposeNotRegistered.class);
      assertThat(app.subjectConsents().grant(ANNA, "landlord", RENTAL, NOW, NOW))
          .isInstanceOf(ConsentOutcome.UntilNotAhead.class);
      assertThat(app.subjectConsents().list(ANNA)).isEmpty();
      assertThat(decide(app)).isInstanceOf(DecisionOutcome.ConsentMissing.class);

      ConsentOutcome granted = app.subjectConsents().grant(ANNA, "landlord", RENTAL, until, NOW);
      String id = ((ConsentOutcome.Done) granted).consent().id();
      assertThat(decide(app)).isInstanceOf(DecisionOutcome.DecisionMade.class);

      assertThat(app.subjectConsents().revoke(ANNA, id, NOW.plusSeconds(1)))
          .isInstanceOf(ConsentOutcome.Done.class);
      assertThat(app.subjectConsents().revoke(ANNA, id, NOW.plusSeconds(2)))
          .isEqualTo(new ConsentOutcome.AlreadyEnded(id));
      assertThat(app.subjectConsents().revoke(ANNA, "con-0000000000000000", NOW))
          .isEqualTo(new ConsentOutcome.UnknownConsent("con-0000000000000000"));
      assertThat(decide(app)).isInstanceOf(DecisionOutcome.ConsentMissing.class);
    }
  }

  private static DecisionOutcome decide(CredoApplication app) {
    return app.decisions()
        .decide(
            new Decisions.Asker(Optional.of("landlord"), "test"),
            ANNA,
            RENTAL,
            Optional.empty(),
            NOW.plusSeconds(5));
  }
}
