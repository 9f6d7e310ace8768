import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { paperRecordSchema, type Paper } from './paper.js';
import { readLines } from './readLines.js';

/** How many problems a failed read lists before "and N more". */
const MAX_REPORTED = 5;

/** The `.jsonl` files of a corpus folder, sorted; a UserError when the folder is missing. */
export function corpusFiles(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UserError('corpus_missing', `corpus ${dir} is not a folder`);
    entries = readdirSync(dir);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('corpus_missing', `corpus folder ${dir} does not exist or cannot be read`);
  }
  const files = entries.filter((f) => f.endsWith('.jsonl')).sort();
  // A FIFO or a device named *.jsonl would block the read forever.
  for (const file of files) {
    if (!statSync(join(dir, file)).isFile()) throw new UserError('corpus_invalid', `${join(dir, file)} is not a regular file: a corpus holds files of JSON lines`);
  }
  return files;
}

/** Names, sizes and modification times of the corpus files: cheap to read, and any write changes it. */
export function corpusSignature(dir: string): string {
  return corpusFiles(dir)
    .map((f) => {
      const s = statSync(join(dir, f));
      return `${f}:${s.size}:${s.mtimeMs}`;
    })
    .join('|');
}

/**
 * Read every `*.jsonl` file of `dir` (sorted by name), one paper per line,
 * streaming: `visit` sees each valid paper with its record's line as read.
 * Blank lines are skipped. Any invalid line, or an id seen twice, fails the
 * whole read with a UserError naming file, line and field, once every file
 * has been read: the caller writes inside a transaction and drops it, since
 * half a corpus would silently answer from the wrong papers.
 */
export function readCorpusFiles(dir: string, visit: (paper: Paper, line: string) => void): { files: string[]; papers: number } {
  const files = corpusFiles(dir);
  const firstSeen = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const shown = displayPath(path);
    for (const { line: raw, number } of readLines(path, shown)) {
      const line = raw.trim();
      if (line === '') continue;
      const where = `${shown}:${number}`;
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
      if (problems.length === 0) visit(paper, line);
    }
  }
  if (problems.length > 0) {
    const more = problems.length > MAX_REPORTED ? `\n(and ${problems.length - MAX_REPORTED} more)` : '';
    throw new UserError('corpus_invalid', problems.slice(0, MAX_REPORTED).join('\n') + more);
  }
  return { files, papers: firstSeen.size };
}

/** Every paper of a corpus folder, in file order then line order (see readCorpusFiles). */
export function loadCorpus(dir: string): Paper[] {
  const papers: Paper[] = [];
  readCorpusFiles(dir, (paper) => papers.push(paper));
  return papers;
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
  return validateRecord(json);
}

/** Validate one parsed corpus record. */
export function validateRecord(json: unknown): ParseResult {
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
