import { PNG } from 'pngjs';
import { expect } from 'vitest';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Check `bytes` is a whole PNG of `width`×`height` (signature, IHDR, decoded
 * by pngjs) and return its pixels, to look at what was drawn.
 */
export function readPng(bytes: Buffer, width: number, height: number): PNG {
  expect(bytes.subarray(0, 8).equals(SIGNATURE)).toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([width, height]);
  const png = PNG.sync.read(bytes);
  expect([png.width, png.height]).toEqual([width, height]);
  return png;
}

/** Pixels within `box` whose colour is within `tolerance` of `rgb`, per channel. */
export function countPixels(png: PNG, rgb: [number, number, number], box = { x: 0, y: 0, width: png.width, height: png.height }, tolerance = 24): number {
  let count = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * png.width + x) * 4;
      if (rgb.every((c, k) => Math.abs(png.data[i + k]! - c) <= tolerance)) count++;
    }
  }
  return count;
}
