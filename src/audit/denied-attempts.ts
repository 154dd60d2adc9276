import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { clientAddressOf, sourceOf } from '../common/http/client-source.js';
import { AuditLogService } from './audit-log.service.js';
import type { AuditDetails } from './audit-event.js';

/** One refused authentication. */
export interface Denial {
  /** 'anonymous', the webhook's sender (TWILIO_ACTOR), or a key that lacked the scope. */
  actor: string;
  /** The fingerprint of a key that was identified but refused (a missing scope or platform). */
  keyFingerprint?: string;
  /** The client address as express read it (TRUST_PROXY_HOPS applied). */
  ip: string | undefined;
  /** The error code answered. */
  code: string;
  httpStatus: number;
  /** What was wrong, when the code alone does not say (a webhook's signature problem). */
  reason?: string;
  /** The route template, or the path with numbers redacted when no route matched. */
  route: string;
  requestId: string;
}

interface Window {
  startedAt: number;
  first: Denial;
  source: string;
  /** Denials after the first, not yet in the log. */
  later: number;
  routes: Set<string>;
  /** The client addresses of the later denials (an IPv6 source is a whole /64). */
  clients: Set<string>;
}

export const DENIAL_WINDOW_MS = 60_000;
const SWEEP_MS = 1_000;
/**
 * Windows open at once. Past this, denials from new sources share one window, so a flood
 * from many addresses bounds memory and events as well.
 */
const MAX_WINDOWS = 10_000;
const OVERFLOW_SOURCE = 'other';
const MAX_ROUTES = 8;

/**
 * Records refused authentications so that noise cannot grow the audit log, or contend for its
 * chain lock, without bound: per source (client address, or its /64 for IPv6), actor and
 * reason, the first denial in a one-minute window is appended at once (with its request id),
 * and the rest are counted in memory and appended as one event carrying `count` when the
 * window closes or the service shuts down. At most two events per source and reason a minute,
 * per instance. The counts of a source's events add up to its denials.
 */
@Injectable()
export class DeniedAttempts implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeniedAttempts.name);
  private readonly windows = new Map<string, Window>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    const open = [...this.windows.values()];
    this.windows.clear();
    for (const window of open) await this.close(window);
  }

  /** Records one denial; appends to the audit log only when it opens a window. Never throws. */
  async record(denial: Denial): Promise<void> {
    const now = this.clock.now().getTime();
    let source = sourceOf(denial.ip);
    let key = keyOf(denial, source);
    if (!this.windows.has(key) && this.windows.size >= MAX_WINDOWS) {
      source = OVERFLOW_SOURCE;
      key = keyOf(denial, source);
    }
    const open = this.windows.get(key);
    if (open && now < open.startedAt + DENIAL_WINDOW_MS) {
      open.later += 1;
      if (open.routes.size < MAX_ROUTES) open.routes.add(denial.route);
      if (open.clients.size < MAX_ROUTES) open.clients.add(clientAddressOf(denial.ip));
      return;
    }
    // Set before any await, so denials arriving meanwhile count in this window.
    this.windows.set(key, {
      startedAt: now,
      first: denial,
      source,
      later: 0,
      routes: new Set(),
      clients: new Set(),
    });
    if (open) await this.close(open);
    await this.append(
      denial,
      denial.requestId,
      {
        route: denial.route,
        client_ip: clientAddressOf(denial.ip),
        count: 1,
        window_start: new Date(now).toISOString(),
      },
      source,
    );
  }

  /** Closes the windows a minute old, appending their counts. Not overlapped. */
  async sweep(): Promise<void> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = (async () => {
      const now = this.clock.now().getTime();
      for (const [key, window] of this.windows) {
        if (now < window.startedAt + DENIAL_WINDOW_MS) continue;
        this.windows.delete(key);
        await this.close(window);
      }
    })();
    try {
      await this.sweeping;
    } finally {
      this.sweeping = undefined;
    }
  }

  private async close(window: Window): Promise<void> {
    if (window.later === 0) return;
    await this.append(
      window.first,
      null,
      {
        routes: [...window.routes],
        client_ips: [...window.clients],
        count: window.later,
        window_start: new Date(window.startedAt).toISOString(),
        window_end: new Date(window.startedAt + DENIAL_WINDOW_MS).toISOString(),
      },
      window.source,
    );
  }

  private async append(
    denial: Denial,
    requestId: string | null,
    extra: AuditDetails,
    source: string,
  ): Promise<void> {
    try {
      await this.audit.append({
        actor: denial.actor,
        action: 'auth.denied',
        outcome: 'failure',
        requestId,
        details: {
          code: denial.code,
          http_status: denial.httpStatus,
          ...(denial.reason ? { reason: denial.reason } : {}),
          ...(denial.keyFingerprint ? { key_fingerprint: denial.keyFingerprint } : {}),
          source,
          ...extra,
        },
      });
    } catch (error) {
      this.logger.error(
        { err: error, code: denial.code, count: extra.count },
        'Could not audit refused authentications',
      );
    }
  }
}

function keyOf(denial: Denial, source: string): string {
  return JSON.stringify([
    source,
    denial.actor,
    denial.keyFingerprint ?? null,
    denial.code,
    denial.reason ?? null,
  ]);
}
