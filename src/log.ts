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
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: serializeError },
  };
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

// Interaction and webhook tokens sit inside the URLs of discord.js's errors
// (…/interactions/<id>/<token>/callback, …/webhooks/<app>/<token>/…).
const TOKEN_IN_URL = /((?:interactions|webhooks)\/\d+\/)[^/?\s"]+/g;

/** pino's error serializer, minus the request body and with URL tokens masked. */
function serializeError(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  delete serialized.requestBody;
  for (const key of ['url', 'message', 'stack'] as const) {
    const value = serialized[key];
    if (typeof value === 'string') serialized[key] = value.replace(TOKEN_IN_URL, '$1[redacted]');
  }
  return serialized;
}
