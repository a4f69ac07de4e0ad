package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import org.credo.access.Principal;
import org.credo.app.Caller;
import org.credo.app.notifications.SubjectNotices;
import org.credo.app.wire.NotificationWire;
import org.credo.subject.SubjectId;

/**
 * What a subject was told (new negative records, list notices, disputes, denials) and whether the
 * webhook delivered it. Paths relative to {@code /v1/subjects/{subject}}.
 */
final class NotificationRoutes {
  private final SubjectNotices notices;
  private final Requests requests;
  private final Clock clock;

  NotificationRoutes(SubjectNotices notices, Requests requests, Clock clock) {
    this.notices = requireNonNull(notices, "notices is null");
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
    var told = notices.of(Caller.of(p), subject, Http.limit(ctx, 100, 1000), clock.instant());
    RequestAudit.audited(ctx);
    Http.send(
        ctx, 200, new NotificationWire.Many(told.stream().map(NotificationWire::of).toList()));
  }
}
