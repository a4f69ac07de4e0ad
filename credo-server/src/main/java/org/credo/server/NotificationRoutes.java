package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.credo.access.Principal;
import org.credo.app.wire.NotificationWire;
import org.credo.notify.Outbox;
import org.credo.subject.SubjectId;

/**
 * What a subject was told (new negative records, list notices, disputes, denials) and whether the
 * webhook delivered it. Paths relative to {@code /v1/subjects/{subject}}.
 */
final class NotificationRoutes {
  private final Outbox outbox;
  private final Requests requests;
  private final Clock clock;

  NotificationRoutes(Outbox outbox, Requests requests, Clock clock) {
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.requests = requireNonNull(requests, "requests is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/notifications",
            EnumSet.of(ApiRole.SUBJECT, ApiRole.OPERATOR),
            "What the subject was told (new negative records, list notices, disputes, denials)"
                + " and whether the webhook delivered it",
            List.of(),
            List.of("limit"),
            List.of(400),
            this::notifications));
  }

  private void notifications(Context ctx) {
    Principal p = Http.principal(ctx);
    SubjectId subject = requests.subject(ctx, p);
    Instant now = clock.instant();
    requests.logRead(ctx, subject, p, "operator_notifications_read", "subject.notifications", now);
    Http.send(
        ctx,
        200,
        new NotificationWire.Many(
            outbox.forSubject(subject, Http.limit(ctx, 100, 1000)).stream()
                .map(NotificationWire::of)
                .toList()));
  }
}
