import { describe, expect, it } from 'vitest';
import { loadBotConfig, parseIngestJobs } from '../../src/config.js';
import { ingestArguments } from '../../src/ingest/IngestSchedule.js';

describe('parseIngestJobs (PAPERBOT_INGEST)', () => {
  it('GIVEN several jobs THEN parses kind, argument and UTC time (06:00 by default)', () => {
    expect(parseIngestJobs('rss:cs.CV+cs.LG@06:00; arxiv:cat:cs.CV AND abs:diffusion@07:30;oai:cs')).toEqual([
      { kind: 'rss', argument: 'cs.CV+cs.LG', time: '06:00' },
      { kind: 'arxiv', argument: 'cat:cs.CV AND abs:diffusion', time: '07:30' },
      { kind: 'oai', argument: 'cs', time: '06:00' },
    ]);
    expect(parseIngestJobs(undefined)).toEqual([]);
  });

  it.each([['ftp:x'], ['rss:'], ['rss:cs.CV@6pm']])('GIVEN %j THEN says which job is wrong', (spec) => {
    expect(() => parseIngestJobs(spec)).toThrowError(new RegExp(`PAPERBOT_INGEST: "${spec.replace(/[.+]/g, '\\$&')}"`));
  });

  it('GIVEN a bad PAPERBOT_INGEST THEN the bot refuses to start, naming it', () => {
    expect(() => loadBotConfig({ DISCORD_TOKEN: 't', DISCORD_CLIENT_ID: '100000000000000001', PAPERBOT_INGEST: 'ftp:x' }, { dotenv: false })).toThrowError(/- PAPERBOT_INGEST: "ftp:x" is not kind:argument/);
  });

  it('GIVEN each kind THEN the paperbot ingest arguments (OAI from yesterday, UTC)', () => {
    const now = Date.parse('2026-11-25T05:00:00Z');
    expect(ingestArguments({ kind: 'rss', argument: 'cs.CV', time: '06:00' }, now)).toEqual(['rss', 'cs.CV']);
    expect(ingestArguments({ kind: 'arxiv', argument: 'abs:diffusion', time: '06:00' }, now)).toEqual(['arxiv', '--query', 'abs:diffusion', '--max', '500', '--newest']);
    expect(ingestArguments({ kind: 'oai', argument: 'cs', time: '06:00' }, now)).toEqual(['oai', '--set', 'cs', '--from', '2026-11-24']);
  });
});
