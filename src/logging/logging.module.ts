import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { loggingConfig } from '../config/logging.config.js';
import { loggableUrl, REDACTED_PATHS } from './redaction.js';

/**
 * JSON logs through pino. Request lines carry the request id and never a body, a query value,
 * an API key or a Twilio signature; service code logs ids, codes and masked numbers only.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [loggingConfig.KEY],
      useFactory: (config: ConfigType<typeof loggingConfig>) => ({
        // process.stdout (not pino's own fd writer) so tests can read what would be logged.
        pinoHttp: [
          {
            level: config.level,
            genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            serializers: {
              req: (req: {
                id: string;
                method: string;
                url: string;
                headers: Record<string, unknown>;
              }) => ({
                id: req.id,
                method: req.method,
                url: loggableUrl(req.url),
                headers: req.headers,
              }),
            },
            customProps: (req: IncomingMessage) => ({
              requestId: (req as IncomingMessage & { id?: string }).id,
            }),
            quietReqLogger: true,
          },
          process.stdout,
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
