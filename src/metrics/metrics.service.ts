import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  prometheusContentType,
  Registry,
} from 'prom-client';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** sms_provider_breaker_state is one gauge whose value is the state: alert on `== 1` (open). */
export const BREAKER_STATE_VALUES: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  open: 1,
  half_open: 2,
};

/**
 * Requests that never reached a route: 404s, bodies refused before routing (413, 415, bad
 * JSON), and Swagger UI's static files.
 */
export const UNMATCHED_ROUTE = 'unmatched';

/** The provider's own latency, up to the longest TWILIO_TIMEOUT_MS (15 s). */
const PROVIDER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15];
/** Up to the longest REQUEST_DEADLINE_MS (60 s); ElevenLabs gives up on a tool after 20 s. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 60];
/** One insert under the chain lock: sub-millisecond on SQLite, a few ms on PostgreSQL. */
const AUDIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * The service's Prometheus series, in a registry of its own (not prom-client's global one),
 * so several apps in one process (the e2e suites) never collide. Node's default process
 * metrics are included.
 */
@Injectable()
export class MetricsService {
  readonly contentType = prometheusContentType;
  /** Read it (tests, a collector of your own); series are added through the methods below. */
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code (499: the client went away first).',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the first byte of a request to the end of its answer, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly sends = new Counter({
    name: 'sms_sends_total',
    help: 'Tool sends by tool and outcome.',
    labelNames: ['tool', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly providerDuration = new Histogram({
    name: 'sms_provider_request_duration_seconds',
    help: 'Duration of one call to the SMS provider, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: PROVIDER_BUCKETS,
    registers: [this.registry],
  });

  private readonly breakerState = new Gauge({
    name: 'sms_provider_breaker_state',
    help: 'Circuit breaker in front of the SMS provider: 0 closed, 1 open (failing fast), 2 half open (one trial call).',
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests refused with 429 RATE_LIMITED, by the limit that refused them.',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  private readonly auditAppend = new Histogram({
    name: 'audit_append_duration_seconds',
    help: 'Duration of one audit event append, including the wait for the chain lock.',
    buckets: AUDIT_BUCKETS,
    registers: [this.registry],
  });

  private readonly lineTypeLookups = new Counter({
    name: 'line_type_lookups_total',
    help: 'Line type lookups at the provider (billed), by outcome: success or failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly eventAttempts = new Counter({
    name: 'events_delivery_attempts_total',
    help: "Attempts to deliver an event to the clinic's endpoint, by outcome: delivered, retry (failed, tried again later) or dead (failed for the last time: dead-lettered).",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly lineTypeCacheHits = new Counter({
    name: 'line_type_cache_hits_total',
    help: 'Line type checks answered from the line_types cache, without a lookup.',
    registers: [this.registry],
  });

  private readonly lineTypeRefusals = new Counter({
    name: 'line_type_refusals_total',
    help: 'Sends refused before the provider because the number cannot get texts, by line type.',
    labelNames: ['line_type'] as const,
    registers: [this.registry],
  });

  private readonly dispatched = new Counter({
    name: 'scheduled_dispatch_total',
    help: 'Scheduled texts the dispatcher settled, by outcome: sent, failed, canceled (consent withdrawn), expired.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly auditChainBroken = new Gauge({
    name: 'audit_chain_broken',
    help: 'The audit chain failed its last verification on this instance: 1 broken, 0 intact.',
    registers: [this.registry],
  });

  private readonly auditChainVerifiedSeq = new Gauge({
    name: 'audit_chain_verified_seq',
    help: 'The newest audit event seq this instance has verified.',
    registers: [this.registry],
  });

  private readonly auditCheckpointTime = new Gauge({
    name: 'audit_checkpoint_timestamp_seconds',
    help: 'When this instance last checkpointed the audit chain head (Unix time).',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.breakerState.set(BREAKER_STATE_VALUES.closed);
  }

  recordSend(tool: string, outcome: string): void {
    this.sends.inc({ tool, outcome });
  }

  observeProviderCall(seconds: number, outcome: string): void {
    this.providerDuration.observe({ outcome }, seconds);
  }

  setBreakerState(state: BreakerState): void {
    this.breakerState.set(BREAKER_STATE_VALUES[state]);
  }

  recordRateLimited(limit: string): void {
    this.rateLimited.inc({ limit });
  }

  recordLineTypeLookup(outcome: 'success' | 'failed'): void {
    this.lineTypeLookups.inc({ outcome });
  }

  recordLineTypeCacheHit(): void {
    this.lineTypeCacheHits.inc();
  }

  recordLineTypeRefusal(lineType: string): void {
    this.lineTypeRefusals.inc({ line_type: lineType });
  }

  recordEventAttempt(outcome: 'delivered' | 'retry' | 'dead'): void {
    this.eventAttempts.inc({ outcome });
  }

  recordDispatch(outcome: string): void {
    this.dispatched.inc({ outcome });
  }

  observeAuditAppend(seconds: number): void {
    this.auditAppend.observe(seconds);
  }

  setAuditChainStatus(broken: boolean, verifiedSeq: number | null): void {
    this.auditChainBroken.set(broken ? 1 : 0);
    if (verifiedSeq !== null) this.auditChainVerifiedSeq.set(verifiedSeq);
  }

  recordAuditCheckpoint(seq: number, at: Date): void {
    this.auditChainVerifiedSeq.set(seq);
    this.auditCheckpointTime.set(at.getTime() / 1000);
  }

  /** `route` is the route template (/api/sms/messages/:id), never the raw URL. */
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  /** Every series in the Prometheus text format (contentType). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
