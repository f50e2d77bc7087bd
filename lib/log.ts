// JSON logs (pino). Secrets are redacted by field name wherever they appear, and every line is
// passed through redactSecrets, which hides known secret values in any field or encoding.
import pino from 'pino';
import { env } from './env';
import { redactSecrets } from './redact-secrets';

export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'password',
  'token',
  'secret',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

type Logger = pino.Logger;

const globalForLog = globalThis as unknown as { strongroomLogger?: Logger };

/** Builds a logger writing JSON to the given stream (stdout by default). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'strongroom' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: redactSecrets },
    },
    destination,
  );
}

/** The process-wide logger. */
export function logger(): Logger {
  globalForLog.strongroomLogger ??= createLogger(env().LOG_LEVEL);
  return globalForLog.strongroomLogger;
}
