import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { LiveSearch } from '../../src/search/LiveSearch.js';
import { openSearch } from '../../src/search/openSearch.js';
import type { PaperSearch } from '../../src/search/PaperSearch.js';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

function setUp(prepare: (next: PaperSearch) => Promise<void>) {
  const papers = seedPapers();
  const corpusDir = writeCorpus(papers.slice(0, 9));
  const location = { corpusDir, dataDir: join(tempDir(), 'data') };
  const initial = openSearch(location);
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({}, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
  const live = new LiveSearch(location, initial, log, { prepare });
  // A tenth paper: the next search holds it.
  writeCorpus(papers, corpusDir);
  return { live, initial, lines };
}

describe('LiveSearch', () => {
  it('GIVEN a new search being prepared THEN the current one answers until it is ready, then the new one', async () => {
    let release!: () => void;
    let prepared: PaperSearch | undefined;
    const ready = new Promise<void>((resolve) => (release = resolve));
    const { live, initial } = setUp(async (next) => {
      prepared = next;
      await ready;
    });
    const reloading = live.reload();
    while (prepared === undefined) await new Promise((r) => setTimeout(r, 10));
    expect(live.current()).toBe(initial);
    expect(prepared.size).toBe(10);
    release();
    expect(await reloading).toBe(true);
    expect(live.current()).toBe(prepared);
    await live.stop();
  });

  it('GIVEN a preparation that fails THEN the current search stays, and the failure is logged', async () => {
    const { live, initial, lines } = setUp(async () => {
      throw new Error('out of memory, say');
    });
    expect(await live.reload()).toBe(false);
    expect(live.current()).toBe(initial);
    expect(lines.find((l) => l['msg'] === 'index reload failed; still answering from the previous library')).toMatchObject({ err: 'out of memory, say', failures: 1 });
    await live.stop();
  });
});
