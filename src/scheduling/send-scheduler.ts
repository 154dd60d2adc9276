import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { schedulingConfig } from '../config/scheduling.config.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import { SINGLE_ZONE_COUNTRIES } from './country-time-zones.js';
import { quietHoursEnd } from './quiet-hours.js';

/** send_at accepts 15 minutes to 35 days ahead: the narrowest window a provider here schedules in. */
const MIN_AHEAD_MS = 15 * 60_000;
const MAX_AHEAD_MS = 35 * 24 * 3_600_000;
/** Quiet hours ending sooner than that minimum are rounded up, with a little room. */
const QUIET_END_MARGIN_MS = 60_000;

export interface Schedule {
  sendAt: Date;
  timeZone: string;
  reason: 'quiet_hours' | 'requested';
}

interface SchedulingFields {
  send_at?: string;
  urgent?: boolean;
}

/** Decides whether a send goes now or later: an explicit send_at, or the end of quiet hours. */
@Injectable()
export class SendScheduler {
  constructor(
    @Inject(schedulingConfig.KEY) private readonly config: ConfigType<typeof schedulingConfig>,
    private readonly clock: Clock,
  ) {}

  /** undefined: send now. */
  /**
   * `country`: the recipient number's country, when known. The zone is the request's timezone
   * field, else the country's single zone, else DEFAULT_TIMEZONE.
   */
  plan(dto: ToolRequestDto, country?: string): Schedule | undefined {
    const fields = dto as ToolRequestDto & SchedulingFields;
    const now = this.clock.now();
    const timeZone =
      dto.timezone ??
      (country ? SINGLE_ZONE_COUNTRIES[country] : undefined) ??
      this.config.defaultTimeZone;
    if (fields.send_at) {
      const requested = new Date(fields.send_at);
      const ahead = requested.getTime() - now.getTime();
      if (ahead < MIN_AHEAD_MS || ahead > MAX_AHEAD_MS) {
        throw new DomainError(
          ErrorCode.SEND_AT_OUT_OF_RANGE,
          'send_at must be between 15 minutes and 35 days from now.',
          {
            status: HttpStatus.BAD_REQUEST,
            agentMessage:
              'I can schedule a reminder from 15 minutes up to 35 days ahead. When should it go out?',
            details: { field: 'send_at' },
          },
        );
      }
      const quietEnd = this.quietEnd(requested, timeZone);
      return {
        sendAt: quietEnd ?? requested,
        timeZone,
        reason: quietEnd ? 'quiet_hours' : 'requested',
      };
    }
    if (fields.urgent === true) return undefined;
    const quietEnd = this.quietEnd(now, timeZone);
    if (!quietEnd) return undefined;
    const earliest = now.getTime() + MIN_AHEAD_MS + QUIET_END_MARGIN_MS;
    return {
      sendAt: new Date(Math.max(quietEnd.getTime(), earliest)),
      timeZone,
      reason: 'quiet_hours',
    };
  }

  private quietEnd(at: Date, timeZone: string): Date | undefined {
    return this.config.quietHours ? quietHoursEnd(at, timeZone, this.config.quietHours) : undefined;
  }
}

/** "Thursday 8:00 AM EST": how the agent says when a scheduled text arrives. */
export function spellSendTime(sendAt: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  })
    .format(sendAt)
    .replace(/[\u00A0\u202F]/g, ' ');
}
