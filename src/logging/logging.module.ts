import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { loggingConfig } from '../config/logging.config.js';
import { AppLogger } from './app-logger.js';
import { isPrettyOutput, PRETTY_TRANSPORT } from './output-format.js';
import { loggableHeaders, loggableUrl, REDACTED_PATHS } from './redaction.js';

/**
 * JSON logs through pino (pretty in development on a terminal: see output-format.ts). Request lines carry the request id and never a body, a query value,
 * a number in the path, or a way in's credential (API key, signatures, shared secrets); service code logs ids, codes and masked numbers only.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [loggingConfig.KEY],
      useFactory: (config: ConfigType<typeof loggingConfig>) => ({
        pinoHttp: withOutput(
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
                headers: loggableHeaders(req.headers),
              }),
            },
            customProps: (req: IncomingMessage) => ({
              requestId: (req as IncomingMessage & { id?: string }).id,
            }),
            quietReqLogger: true,
          },
          isPrettyOutput(process.env, process.stdout.isTTY),
        ),
      }),
    }),
  ],
  providers: [AppLogger],
  exports: [AppLogger],
})
export class LoggingModule {}

// process.stdout (not pino's own fd writer) so tests can read what would be logged.
function withOutput(options: PinoHttpOptions, pretty: boolean): Params['pinoHttp'] {
  return pretty ? { ...options, transport: PRETTY_TRANSPORT } : [options, process.stdout];
}
