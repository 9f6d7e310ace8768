import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { paperRecordSchema, type Paper } from './paper.js';

/** The papers of one corpus folder, validated. */
export interface Corpus {
  /** The folder read. */
  dir: string;
  /** Papers in file order, then line order. */
  papers: Paper[];
  /** The `.jsonl` files read, sorted. */
  files: string[];
  /** SHA-256 over the files' names and bytes: changes whenever the corpus does. */
  fingerprint: string;
}

/** How many problems a failed load lists before "and N more". */
const MAX_REPORTED = 5;

/**
 * Read every `*.jsonl` file of `dir` (sorted by name), one paper per line.
 * Blank lines are skipped. Any invalid line, or an id seen twice, fails the
 * whole load with a UserError naming file, line and field: a half-read corpus
 * would silently answer from the wrong papers.
 */
export function loadCorpus(dir: string): Corpus {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UserError('corpus_missing', `corpus ${dir} is not a folder`);
    entries = readdirSync(dir);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('corpus_missing', `corpus folder ${dir} does not exist or cannot be read`);
  }
  const files = entries.filter((f) => f.endsWith('.jsonl')).sort();
  const hash = createHash('sha256');
  const papers: Paper[] = [];
  const firstSeen = new Map<string, string>();
  const problems: string[] = [];

  for (const file of files) {
    const path = join(dir, file);
    const bytes = readFileSync(path);
    hash.update(file).update('\0').update(bytes).update('\0');
    const shown = displayPath(path);
    const lines = bytes.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      const where = `${shown}:${i + 1}`;
      const parsed = parseRecord(line);
      if (!parsed.ok) {
        problems.push(`${where}: ${parsed.problem}`);
        continue;
      }
      const paper = parsed.paper;
      const earlier = firstSeen.get(paper.id);
      if (earlier !== undefined) {
        problems.push(`${where}: field "id": ${paper.id} is already in the corpus at ${earlier}`);
        continue;
      }
      firstSeen.set(paper.id, where);
      papers.push(paper);
    }
  }

  if (problems.length > 0) {
    const more = problems.length > MAX_REPORTED ? `\n(and ${problems.length - MAX_REPORTED} more)` : '';
    throw new UserError('corpus_invalid', problems.slice(0, MAX_REPORTED).join('\n') + more);
  }
  if (papers.length === 0) {
    throw new UserError('corpus_empty', `corpus ${dir} holds no papers (no non-empty *.jsonl file)`);
  }
  return { dir, papers, files, fingerprint: hash.digest('hex') };
}

type ParseResult = { ok: true; paper: Paper } | { ok: false; problem: string };

/** Parse and validate one corpus line. */
export function parseRecord(line: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return { ok: false, problem: `not valid JSON (${(err as Error).message})` };
  }
  const result = paperRecordSchema.safeParse(json);
  if (result.success) return { ok: true, paper: result.data };
  return { ok: false, problem: describeIssue(result.error.issues[0]!, json) };
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${field ? `${field}.` : ''}${k}"`).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (issue.path.length === 0) return 'expected a JSON object (one paper per line)';
  const value = issue.path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key], json);
  return `field "${field}": ${value === undefined ? 'is missing' : issue.message.replace(/^Invalid input: /, '')}`;
}

/** A path as short as it can be said from the working directory. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
