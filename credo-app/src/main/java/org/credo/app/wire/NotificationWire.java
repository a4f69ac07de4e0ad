package org.credo.app.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import org.credo.notify.Notification;

/** A notice to a subject with its delivery state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationWire(
    String id,
    String kind,
    String message,
    Map<String, String> details,
    String created,
    String delivery,
    int attempts,
    String delivered,
    String lastError) {
  /** A subject's notices: {@code {"notifications": […]}}. */
  public record Many(java.util.List<NotificationWire> notifications) {}

  public static NotificationWire of(Notification n) {
    return new NotificationWire(
        "ntf-" + n.seq(),
        n.notice().kind(),
        n.notice().message(),
        n.notice().details(),
        n.created().toString(),
        n.state(),
        n.attempts(),
        n.delivered().map(Instant::toString).orElse(null),
        n.lastError().orElse(null));
  }
}
