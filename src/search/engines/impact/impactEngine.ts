import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LibraryPaper, PaperLibrary } from '../../../library/PaperLibrary.js';
import { silentProgress } from '../../../progress.js';
import { ANALYZER_VERSION } from '../../../text/analyzer.js';
import { writeFileAtomic } from '../../../writeFileAtomic.js';
import { DamagedFileError } from '../../binaryFile.js';
import type { Bm25Options } from '../../bm25.js';
import type { Engine, EngineIndexInfo, EngineOpenOptions } from '../Engine.js';
import { ImpactRetriever, liveSegment, type LiveSegment } from './ImpactRetriever.js';
import { mergeSegments, type MergeInput } from './mergeSegments.js';
import { buildSegment, computeImpacts, loadSegment, saveSegment, type SegmentData } from './Segment.js';

const FORMAT = 'paperbot-impact/1';
const MANIFEST = 'manifest.json';

/** When segments are merged, and how big a build's parts are. */
export const impactDefaults = {
  /** Papers are indexed this many at a time, then the parts merged: a build's memory stays bounded at any size. */
  buildChunk: 200_000,
  /** Merge everything when the papers outside the largest segment reach this share of it. */
  mergeShare: 0.1,
  /** Merge the small segments together when there are more than this many of them. */
  maxSmallSegments: 4,
  /** Merge everything when this share of a segment's papers is masked (replaced or removed). */
  maxMaskedShare: 0.2,
};

interface ManifestSegment {
  file: string;
  docs: number;
  minDoc: number;
  maxDoc: number;
  totalLength: number;
  /** Library numbers of its papers replaced or removed since it was built. */
  masked: number[];
  maskedLength: number;
}

/** The index's table of contents: which segment files make it, for which library and generation. */
interface Manifest {
  format: typeof FORMAT;
  /** Changes with the analyser, the BM25 parameters and this format. */
  fingerprint: string;
  library: string;
  generation: number;
  builtAt: string;
  segments: ManifestSegment[];
}

function fingerprintOf(bm25: Bm25Options): string {
  return createHash('sha256').update(`${FORMAT}\n${ANALYZER_VERSION}\n${JSON.stringify(bm25)}`).digest('hex');
}

function readManifest(dir: string): Manifest | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
    return manifest.format === FORMAT ? manifest : null;
  } catch {
    return null; // not built yet, or unreadable: rebuilt
  }
}

/** One open's work: segments built in memory (and whether they could be saved), and what to report. */
interface Work {
  dir: string;
  bm25: Bm25Options;
  built: Map<string, { segment: SegmentData; impacts: Float32Array }>;
  unsaved: boolean;
  actions: string[];
  warnings: string[];
}

const live = (s: ManifestSegment) => ({ live: s.docs - s.masked.length, liveLength: s.totalLength - s.maskedLength });

/**
 * The impact engine: BM25F on compact typed arrays (see ImpactRetriever),
 * kept as segments. A full build makes one segment; each later change of the
 * library adds a small segment of the new papers and masks the replaced
 * ones; segments merge when the small ones grow (impactDefaults).
 */
export const impactEngine: Engine = {
  name: 'impact',
  description: 'BM25F over typed arrays of precomputed impacts, in segments',
  build(papers, bm25) {
    const segment = buildSegment(papers, bm25);
    const avgLength = segment.docs.length === 0 ? 1 : segment.totalLength / segment.docs.length;
    return new ImpactRetriever([liveSegment('memory', segment, computeImpacts(segment, avgLength, bm25), [])], bm25);
  },
  open(library, dir, options) {
    return open(library, dir, options, true);
  },
};

function open(library: PaperLibrary, dir: string, options: EngineOpenOptions, retry: boolean): ReturnType<Engine['open']> {
  const build = options.build ?? true;
  const fingerprint = fingerprintOf(options.bm25);
  const work: Work = { dir, bm25: options.bm25, built: new Map(), unsaved: false, actions: [], warnings: [] };
  const { actions, warnings } = work;
  const empty: Manifest = { format: FORMAT, fingerprint, library: library.id, generation: 0, builtAt: new Date().toISOString(), segments: [] };
  let manifest = readManifest(dir);
  if (manifest !== null && (manifest.fingerprint !== fingerprint || manifest.library !== library.id)) manifest = null;
  let changed = false;

  const update = (from: Manifest): Manifest => {
    changed = true;
    return maybeMerge(work, catchUp(library, work, from, options));
  };
  if (manifest === null || manifest.generation < library.generation()) {
    if (!build) return null;
    manifest = update(manifest ?? empty);
  }

  let segments: LiveSegment[];
  try {
    segments = loadAll(work, manifest, options);
  } catch (err) {
    if (!(err instanceof DamagedFileError)) throw err;
    // Another process may have just merged these files away: its manifest names the new ones.
    if (retry && readManifest(dir)?.builtAt !== manifest.builtAt) return open(library, dir, options, false);
    if (!build) return null;
    warnings.push(`the saved index in ${dir} could not be loaded (${err.message}); rebuilt it`);
    manifest = update(empty);
    segments = loadAll(work, manifest, options);
  }

  if (changed && !work.unsaved) {
    try {
      writeFileAtomic(join(dir, MANIFEST), JSON.stringify(manifest));
      removeUnlisted(dir, manifest);
    } catch (err) {
      warnings.push(`could not save the index to ${dir} (${(err as Error).message}); it will be rebuilt next time`);
    }
  }
  const bytes = manifest.segments.reduce((n, s) => n + fileSize(join(dir, s.file)), 0);
  const info: EngineIndexInfo = { path: dir, bytes, builtAt: new Date(manifest.builtAt), reused: !changed, actions, warnings };
  return { retriever: new ImpactRetriever(segments, options.bm25), info };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Load every segment of `manifest`, keeping those built now or held by the previous retriever with current impacts. */
function loadAll(work: Work, manifest: Manifest, options: EngineOpenOptions): LiveSegment[] {
  const avgLength = ImpactRetriever.averageLength(manifest.segments.map(live));
  const previous = options.previous instanceof ImpactRetriever && options.previous.avgLength === avgLength ? options.previous : null;
  return manifest.segments.map((entry) => {
    const kept = previous?.segments.find((s) => s.file === entry.file);
    if (kept !== undefined && kept.masked === null && entry.masked.length === 0) return kept;
    const loaded = kept ?? work.built.get(entry.file) ?? loadSegment(join(work.dir, entry.file), { bm25: options.bm25, avgLength });
    return liveSegment(entry.file, loaded.segment, loaded.impacts!, entry.masked);
  });
}

/**
 * Save a new segment with impacts for `avgLength`, and describe it for the
 * manifest. A data folder that cannot be written keeps it in memory, with
 * a warning: the search works, and the index is rebuilt next time.
 */
function saveNew(work: Work, segment: SegmentData, generation: number, avgLength: number): ManifestSegment {
  const file = `seg-${generation}-${randomBytes(4).toString('hex')}.bin`;
  const impacts = computeImpacts(segment, avgLength, work.bm25);
  work.built.set(file, { segment, impacts });
  if (!work.unsaved) {
    try {
      mkdirSync(work.dir, { recursive: true });
      saveSegment(join(work.dir, file), segment, impacts, avgLength);
    } catch (err) {
      work.unsaved = true;
      work.warnings.push(`could not save the index to ${work.dir} (${(err as Error).message}); it will be rebuilt next time`);
    }
  }
  return {
    file,
    docs: segment.docs.length,
    minDoc: segment.docs[0] ?? 0,
    maxDoc: segment.docs.at(-1) ?? 0,
    totalLength: segment.totalLength,
    masked: [],
    maskedLength: 0,
  };
}

/** "1 paper", "1,000 papers". */
const papersCount = (n: number) => `${n.toLocaleString('en')} paper${n === 1 ? '' : 's'}`;

/** Take at most `n` items from an iterator, leaving the rest in it. */
function* take<T>(items: Iterator<T>, n: number): Generator<T> {
  for (let i = 0; i < n; i++) {
    const next = items.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Bring `manifest` up to the library's generation: mask the papers replaced
 * or removed since, and index those stored since as one new segment (built a
 * chunk at a time, the chunks merged). From an empty manifest, a full build.
 */
function catchUp(library: PaperLibrary, work: Work, manifest: Manifest, options: EngineOpenOptions): Manifest {
  const { bm25, actions } = work;
  const generation = library.generation();
  const removed = library.removedSince(manifest.generation);
  let maskedNow = 0;
  const segments = manifest.segments.map((entry) => {
    const inRange = removed.filter((doc) => doc >= entry.minDoc && doc <= entry.maxDoc);
    if (inRange.length === 0) return entry;
    // Which of them it really holds, and their lengths: from its paper arrays.
    const { segment } = segmentOf(work, entry, false);
    const masked = liveSegment(entry.file, segment, new Float32Array(0), [...entry.masked, ...inRange]);
    const maskedDocs = segment.docs.filter((_, d) => masked.masked?.[d] === 1);
    maskedNow += maskedDocs.length - entry.masked.length;
    return { ...entry, masked: Array.from(maskedDocs), maskedLength: segment.totalLength - masked.liveLength };
  });

  const known = segments.reduce((n, s) => n + live(s).live, 0);
  const progress = options.progress?.('indexing papers', Math.max(0, library.size() - known)) ?? silentProgress;
  const papers: Iterator<LibraryPaper> = library.scan(manifest.generation)[Symbol.iterator]();
  const parts: MergeInput[] = [];
  try {
    for (;;) {
      const part = buildSegment(take(papers, impactDefaults.buildChunk), bm25, () => progress.tick());
      if (part.docs.length > 0) parts.push({ segment: part, masked: null });
      if (part.docs.length < impactDefaults.buildChunk) break;
    }
  } finally {
    progress.done();
  }
  if (parts.length > 0) {
    const segment = parts.length === 1 ? parts[0]!.segment : mergeSegments(parts);
    const avgLength = ImpactRetriever.averageLength([...segments.map(live), { live: segment.docs.length, liveLength: segment.totalLength }]);
    segments.push(saveNew(work, segment, generation, avgLength));
    const n = papersCount(segment.docs.length);
    actions.push(manifest.segments.length === 0 ? `indexed ${n}` : `added a segment of ${n}`);
  }
  if (maskedNow > 0) actions.push(`masked ${papersCount(maskedNow)} replaced or removed`);
  return { ...manifest, generation, builtAt: new Date().toISOString(), segments };
}

/** Merge segments when impactDefaults says so; returns the manifest unchanged otherwise. */
function maybeMerge(work: Work, manifest: Manifest): Manifest {
  const { segments } = manifest;
  if (segments.length === 0) return manifest;
  const main = segments.reduce((a, b) => (b.docs > a.docs ? b : a));
  const others = segments.filter((s) => s !== main);
  const small = others.reduce((n, s) => n + live(s).live, 0);
  const heavilyMasked = segments.some((s) => s.masked.length > impactDefaults.maxMaskedShare * s.docs);
  let chosen: ManifestSegment[];
  if (others.length > 0 && small >= impactDefaults.mergeShare * live(main).live) chosen = segments;
  else if (heavilyMasked) chosen = segments;
  else if (others.length > impactDefaults.maxSmallSegments) chosen = others;
  else return manifest;

  const avgLength = ImpactRetriever.averageLength(segments.map(live));
  const inputs: MergeInput[] = chosen.map((entry) => {
    const { segment } = segmentOf(work, entry, true);
    return { segment, masked: liveSegment(entry.file, segment, new Float32Array(0), entry.masked).masked };
  });
  const merged = saveNew(work, mergeSegments(inputs), manifest.generation, avgLength);
  work.actions.push(`merged ${chosen.length} segment${chosen.length === 1 ? '' : 's'}`);
  const segmentsAfter = [...segments.filter((s) => !chosen.includes(s)), merged].sort((a, b) => a.minDoc - b.minDoc);
  return { ...manifest, builtAt: new Date().toISOString(), segments: segmentsAfter };
}

/** A segment's papers and postings (and frequencies, to merge it): from memory when built now, else from its file. */
function segmentOf(work: Work, entry: ManifestSegment, frequencies: boolean): { segment: SegmentData } {
  return work.built.get(entry.file) ?? loadSegment(join(work.dir, entry.file), { bm25: work.bm25, frequencies });
}

/** Remove segment files the manifest no longer lists: merged away, or left by a build that died. */
function removeUnlisted(dir: string, manifest: Manifest): void {
  const listed = new Set(manifest.segments.map((s) => s.file));
  for (const file of readdirSync(dir)) {
    if (file.startsWith('seg-') && file.endsWith('.bin') && !listed.has(file)) rmSync(join(dir, file), { force: true });
  }
}
