package org.credo.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.credo.access.InquiryLog;
import org.credo.audit.AuditLog;

/**
 * The server's Prometheus registry ({@code GET /metrics}): the JVM's figures and the audit and
 * inquiry logs' commits; the routes and the access filter add request timings and counts.
 */
final class ServerMetrics {
  private ServerMetrics() {}

  static PrometheusMeterRegistry registry(InquiryLog inquiries, AuditLog auditLog) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    Gauge.builder("credo_inquiries_written", inquiries, InquiryLog::written)
        .description("inquiries committed since start")
        .register(metrics);
    Gauge.builder("credo_inquiry_commits", inquiries, InquiryLog::batches)
        .description("inquiry log commits since start (group commit: many inquiries each)")
        .register(metrics);
    Gauge.builder("credo_inquiry_commit_seconds", inquiries, InquiryLog::commitSeconds)
        .description("time spent writing and committing inquiries since start")
        .register(metrics);
    Gauge.builder("credo_inquiries_waiting", inquiries, InquiryLog::waiting)
        .description("inquiries waiting for their commit")
        .register(metrics);
    Gauge.builder("credo_audit_entries_written", auditLog, AuditLog::written)
        .description("audit entries committed since start")
        .register(metrics);
    Gauge.builder("credo_audit_commits", auditLog, AuditLog::batches)
        .description("audit log commits since start (inquiries ride in them)")
        .register(metrics);
    return metrics;
  }
}
