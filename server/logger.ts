import type { DestinationStream, Level, Logger } from 'pino';
import pino from 'pino';

/**
 * Where a secret could sit in what the backend logs — a token set, a
 * request's headers, an error carrying the client secret — at the top of a
 * line or one level down. pino replaces each with `[Redacted]`.
 */
const SECRET_PATHS = ['accessToken', 'refreshToken', 'token', 'clientSecret', 'authorization'];
const REDACTED = [
  ...SECRET_PATHS,
  ...SECRET_PATHS.map((path) => `*.${path}`),
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
];

/**
 * The backend's logger: JSON lines on stdout (or `destination`) at `level`,
 * with every secret path redacted. Tests build it the same way, so the
 * redaction they check is the one production runs.
 */
export function createLogger(level: Level | 'silent', destination?: DestinationStream): Logger {
  const options = { level, redact: REDACTED };
  return destination === undefined ? pino(options) : pino(options, destination);
}
