/**
 * Who reads the output: a person at a terminal in development, or a log collector. Logs are
 * pretty (and the boot banner is plain text) only in development (NODE_ENV unset or
 * development) on a terminal; production, tests and anything piped get one JSON record a line.
 */
export function isPrettyOutput(env: NodeJS.ProcessEnv, isTty: boolean | undefined): boolean {
  return isTty === true && (env.NODE_ENV ?? 'development') === 'development';
}

/** pino-pretty, one line a record: time, level, [context], message, and a request's outcome. */
export const PRETTY_TRANSPORT = {
  target: 'pino-pretty',
  options: {
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,context,req,res,responseTime,requestId',
    messageFormat:
      '{if context}[{context}] {end}{msg}{if req.method} {req.method} {req.url} {res.statusCode} {responseTime} ms{end}',
  },
};
