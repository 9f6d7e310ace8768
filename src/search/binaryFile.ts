import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../writeFileAtomic.js';

/** A typed array a binary file can hold. */
export type Section = Int32Array | Uint32Array | Float32Array | Float64Array | Uint16Array | Uint8Array;

const TYPES = { i32: Int32Array, u32: Uint32Array, f32: Float32Array, f64: Float64Array, u16: Uint16Array, u8: Uint8Array } as const;
type TypeName = keyof typeof TYPES;

interface SectionEntry {
  name: string;
  type: TypeName;
  /** Byte offset from the start of the file; a multiple of 8. */
  offset: number;
  length: number;
  /** CRC-32 of the section's bytes and the padding after them. */
  crc: number;
}

interface Header {
  kind: string;
  meta: unknown;
  sections: SectionEntry[];
}

// "PBIN", the layout version, the header's length, the CRC-32 of the header and the padding after it.
const MAGIC = 0x4e494250;
const LAYOUT = 2;
const PREFIX = 16;

/** A file that is missing, cut short, of another kind or version, or fails a checksum. */
export class DamagedFileError extends Error {
  override name = 'DamagedFileError';
}

function typeName(section: Section): TypeName {
  for (const [name, type] of Object.entries(TYPES)) if (section instanceof type) return name as TypeName;
  throw new Error(`PaperBot: cannot store a ${section.constructor.name}`);
}

const align8 = (n: number) => (n + 7) & ~7;
const bytesOf = (s: Section) => new Uint8Array(s.buffer, s.byteOffset, s.byteLength);

/**
 * Write typed arrays and a small JSON `meta` to `path`, atomically, as one
 * file: a 16-byte prefix (magic, layout, header length, the header's CRC-32),
 * the JSON header, then each array 8-byte aligned with its own CRC-32, so a
 * reader makes typed arrays of the bytes it reads instead of parsing
 * anything, and may read only the arrays it needs. Every byte after the
 * prefix is under a checksum. `kind` names format and version
 * ("paperbot-impact-segment/1"); a reader asking for another kind refuses.
 * Returns the file's size in bytes.
 */
export function writeBinaryFile(path: string, kind: string, meta: unknown, sections: Record<string, Section>): number {
  const names = Object.keys(sections);
  const padding = (section: Section) => new Uint8Array(align8(section.byteLength) - section.byteLength);
  const crcs = names.map((name) => {
    const section = sections[name]!;
    return crc32(padding(section), crc32(bytesOf(section))) >>> 0;
  });
  // The header holds the offsets, which depend on the header's length: reserve room, then check.
  const draft = (start: number): SectionEntry[] => {
    let offset = start;
    return names.map((name, i) => {
      const section = sections[name]!;
      const entry = { name, type: typeName(section), offset, length: section.length, crc: crcs[i]! };
      offset += align8(section.byteLength);
      return entry;
    });
  };
  const estimate = Buffer.byteLength(JSON.stringify({ kind, meta, sections: draft(0) }));
  const dataStart = align8(PREFIX + estimate + 32 * names.length + 64);
  const entries = draft(dataStart);
  const headerBytes = Buffer.from(JSON.stringify({ kind, meta, sections: entries } satisfies Header));
  if (PREFIX + headerBytes.length > dataStart) throw new Error('PaperBot: binary file header overflow');
  const headerPadding = new Uint8Array(dataStart - PREFIX - headerBytes.length);

  const prefix = Buffer.alloc(PREFIX);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(LAYOUT, 4);
  prefix.writeUInt32LE(headerBytes.length, 8);
  prefix.writeUInt32LE(crc32(headerPadding, crc32(headerBytes)) >>> 0, 12);
  const chunks: Uint8Array[] = [prefix, headerBytes, headerPadding];
  for (const name of names) chunks.push(bytesOf(sections[name]!), padding(sections[name]!));
  writeFileAtomic(path, chunks);
  return chunks.reduce((sum, c) => sum + c.length, 0);
}

/** A file's identity as a reader cares: PaperBot rewrites by rename, which gives a new inode (and time, and mostly size). */
const identity = (stat: { size: number; mtimeMs: number; ino: number }) => `${stat.ino}:${stat.size}:${Math.round(stat.mtimeMs)}`;

/** The most a prefetch holds at once, bytes: beyond it, files are read when loaded, as without one. */
export const PREFETCH_MAX_BYTES = 1 << 30;

/** Files read ahead by `prefetchBinaryFiles`, by path: the identity each had, and its pieces by `offset:length`. */
const prefetched = new Map<string, { identity: string; pieces: Map<string, Buffer> }>();
/** The identity of each file this process last read, so a prefetch skips those it already holds. */
const lastRead = new Map<string, string>();

/**
 * Read ahead, off the main thread, every binary file under `dir` that this
 * process has not read as it is now (new segments, a merged one, a rebuilt
 * title index): its header and each section into a buffer of its own, as
 * `readBinaryFile` would read them. A reload's `readBinaryFile` then takes
 * those buffers as they are; the disk reads and the page faults of filling
 * fresh memory, most of a load's time, happen in libuv's threads while the
 * bot keeps answering. Checksums are still verified by `readBinaryFile`.
 * What the reload does not take is dropped by `dropPrefetched`.
 */
export async function prefetchBinaryFiles(dir: string, maxBytes = PREFETCH_MAX_BYTES): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return 0;
  }
  let total = 0;
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (!stat.isFile() || lastRead.get(path) === identity(stat)) continue;
      if (total + stat.size > maxBytes) break;
      const pieces = await readPieces(path);
      if (pieces === null) continue;
      prefetched.set(path, { identity: identity(stat), pieces });
      total += stat.size;
    } catch {
      // Gone, unreadable or damaged: the reload reads it itself, and says what is wrong.
    }
  }
  return total;
}

/** The pieces `readBinaryFile` reads of a file, read asynchronously; null for a file of another format. */
async function readPieces(path: string): Promise<Map<string, Buffer> | null> {
  const file = await open(path, 'r');
  try {
    const pieces = new Map<string, Buffer>();
    const read = async (offset: number, length: number) => {
      const buffer = Buffer.allocUnsafeSlow(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new Error('cut short');
      pieces.set(`${offset}:${length}`, buffer);
      return buffer;
    };
    const prefix = await read(0, PREFIX);
    if (prefix.readUInt32LE(0) !== MAGIC || prefix.readUInt32LE(4) !== LAYOUT) return null;
    const headerLength = prefix.readUInt32LE(8);
    const header = JSON.parse((await read(PREFIX, headerLength)).toString('utf8')) as Header;
    const dataStart = header.sections[0]?.offset ?? align8(PREFIX + headerLength);
    await read(PREFIX + headerLength, Math.max(0, dataStart - PREFIX - headerLength));
    for (const entry of header.sections) await read(entry.offset, align8(entry.length * TYPES[entry.type].BYTES_PER_ELEMENT));
    return pieces;
  } finally {
    await file.close();
  }
}

/** Forget what was read ahead and not taken. */
export function dropPrefetched(): void {
  prefetched.clear();
}

/**
 * Read a file written by writeBinaryFile: its meta and its arrays (all, or
 * only those `only` names, or names once it has seen the meta: undefined for
 * all), each in its own buffer. Throws
 * DamagedFileError when the file is missing, of another kind, cut short, or
 * any byte read fails its checksum.
 */
export function readBinaryFile(
  path: string,
  kind: string,
  only?: readonly string[] | ((meta: unknown) => readonly string[] | undefined),
): { meta: unknown; sections: Record<string, Section>; bytes: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new DamagedFileError(`${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    const size = stat.size;
    const ahead = prefetched.get(path);
    prefetched.delete(path);
    const pieces = ahead !== undefined && ahead.identity === identity(stat) ? ahead.pieces : null;
    lastRead.set(path, identity(stat));
    const read = (offset: number, length: number): Buffer => {
      if (offset + length > size) throw new DamagedFileError(`${path} is cut short`);
      const piece = pieces?.get(`${offset}:${length}`);
      if (piece !== undefined) return piece;
      // Its own buffer, at offset 0, so typed arrays of any width can view it.
      const buffer = Buffer.allocUnsafeSlow(length);
      for (let done = 0; done < length; ) {
        const n = readSync(fd, buffer, done, length - done, offset + done);
        if (n === 0) throw new DamagedFileError(`${path} is cut short`);
        done += n;
      }
      return buffer;
    };
    const prefix = read(0, PREFIX);
    if (prefix.readUInt32LE(0) !== MAGIC) throw new DamagedFileError(`${path} is not a PaperBot index file`);
    if (prefix.readUInt32LE(4) !== LAYOUT) throw new DamagedFileError(`${path} has layout ${prefix.readUInt32LE(4)}, not ${LAYOUT}`);
    const headerLength = prefix.readUInt32LE(8);
    const headerBytes = read(PREFIX, headerLength);
    let header: Header;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as Header;
    } catch {
      throw new DamagedFileError(`${path} has an unreadable header`);
    }
    const dataStart = header.sections?.[0]?.offset ?? align8(PREFIX + headerLength);
    const headerPadding = read(PREFIX + headerLength, Math.max(0, dataStart - PREFIX - headerLength));
    if ((crc32(headerPadding, crc32(headerBytes)) >>> 0) !== prefix.readUInt32LE(12)) throw new DamagedFileError(`${path} fails its checksum`);
    if (header.kind !== kind) throw new DamagedFileError(`${path} holds ${header.kind}, not ${kind}`);

    const wanted = typeof only === 'function' ? only(header.meta) : only;
    const sections: Record<string, Section> = {};
    for (const entry of header.sections) {
      if (wanted !== undefined && !wanted.includes(entry.name)) continue;
      const Type = TYPES[entry.type];
      const bytes = read(entry.offset, align8(entry.length * Type.BYTES_PER_ELEMENT));
      if ((crc32(bytes) >>> 0) !== entry.crc) throw new DamagedFileError(`${path} fails its checksum (section ${entry.name})`);
      sections[entry.name] = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset, entry.length);
    }
    for (const name of wanted ?? []) if (!(name in sections)) throw new DamagedFileError(`${path} has no section ${name}`);
    return { meta: header.meta, sections, bytes: size };
  } finally {
    closeSync(fd);
  }
}
