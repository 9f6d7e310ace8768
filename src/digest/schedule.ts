import { Cron } from 'croner';

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "9:05" → "09:05"; null when not a time of day. */
export function parseTimeOfDay(text: string): string | null {
  const m = TIME.exec(text.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null;
}

/** The canonical spelling of an IANA time zone ("europe/berlin" → "Europe/Berlin"); null when unknown. */
export function parseTimeZone(text: string): string | null {
  const name = text.trim();
  if (name === '') return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Every IANA time zone this Node knows, for autocomplete. */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

const crons = new Map<string, Cron>();

/** The daily schedule at `time` in `timezone` (croner: DST-aware; a time skipped by DST runs at the shifted hour). */
function daily(time: string, timezone: string): Cron {
  const key = `${time} ${timezone}`;
  let cron = crons.get(key);
  if (cron === undefined) {
    const [hours, minutes] = time.split(':').map(Number);
    cron = new Cron(`${minutes} ${hours} * * *`, { timezone, paused: true });
    crons.set(key, cron);
  }
  return cron;
}

/** The latest scheduled time (ms) at or before `now`. */
export function latestSlot(time: string, timezone: string, now: number): number {
  // previousRuns looks strictly before its reference: a second later includes `now` itself.
  const [slot] = daily(time, timezone).previousRuns(1, new Date(now + 1000));
  const at = slot!.getTime();
  return at <= now ? at : daily(time, timezone).previousRuns(1, new Date(now))[0]!.getTime();
}

/** The next scheduled time (ms) after `now`. */
export function nextSlot(time: string, timezone: string, now: number): number {
  return daily(time, timezone).nextRun(new Date(now))!.getTime();
}
