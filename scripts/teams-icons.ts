/**
 * `npx tsx scripts/teams-icons.ts`: draws the Teams app icons (manifests/teams/color.png 192×192,
 * outline.png 32×32 white on transparent) as PNGs with node's zlib, so the committed files can be
 * made again without an image editor. The mark is a ring with a check: someone accounted for.
 */
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

function png(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) Buffer.from(pixel(x, y)).copy(raw, y * (size * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Coverage (0..1) of the mark at a point of the unit square, supersampled for smooth edges. */
function mark(u: number, v: number): number {
  const d = Math.hypot(u - 0.5, v - 0.5);
  const ring = d > 0.34 && d < 0.42 ? 1 : 0;
  const distToSegment = (ax: number, ay: number, bx: number, by: number) => {
    const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay)));
  };
  const check = Math.min(distToSegment(0.34, 0.5, 0.46, 0.62), distToSegment(0.46, 0.62, 0.68, 0.38)) < 0.045 ? 1 : 0;
  return Math.max(ring, check);
}

function coverage(x: number, y: number, size: number): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) sum += mark((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size);
  return sum / 16;
}

const background: Rgba = [0x2f, 0x48, 0x58, 255];
writeFileSync(
  new URL('../manifests/teams/color.png', import.meta.url),
  png(192, (x, y) => {
    const c = coverage(x, y, 192);
    return [0, 1, 2].map((i) => Math.round(background[i]! * (1 - c) + 255 * c)).concat(255) as Rgba;
  }),
);
writeFileSync(new URL('../manifests/teams/outline.png', import.meta.url), png(32, (x, y) => [255, 255, 255, Math.round(255 * coverage(x, y, 32))]));
