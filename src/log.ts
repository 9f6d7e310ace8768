import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Secrets that could ride along in a logged object: the bot token (config,
// env dumps, REST headers) and interaction tokens (webhook credentials).
const REDACT = [
  'token',
  '*.token',
  'config.token',
  'DISCORD_TOKEN',
  '*.DISCORD_TOKEN',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

/**
 * The root logger: one JSON line an event, secrets redacted; pretty-printed
 * only when asked for (development) and pino-pretty is installed.
 */
export function createLogger(
  options: { level?: string; pretty?: boolean } = {},
  destination?: DestinationStream,
): Logger {
  const base = { level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' } };
  if (options.pretty && !destination && hasPinoPretty()) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return destination ? pino(base, destination) : pino(base);
}

function hasPinoPretty(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false; // a production install without dev dependencies
  }
}
