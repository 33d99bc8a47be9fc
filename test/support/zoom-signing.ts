import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signZoomRequest, ZOOM_SIGNATURE_HEADER, ZOOM_TIMESTAMP_HEADER } from '../../src/platforms/zoom/verify.js';

export const TEST_ZOOM_SECRET = 'test-zoom-webhook-secret-token';

const fixtureDir = fileURLToPath(new URL('../fixtures/zoom/', import.meta.url));

/** A saved Zoom delivery: the exact bytes (what gets signed) and the parsed JSON. */
export function readZoomFixture(name: string): { rawBody: Buffer; json: unknown } {
  const rawBody = readFileSync(`${fixtureDir}${name.endsWith('.json') ? name : `${name}.json`}`);
  return { rawBody, json: JSON.parse(rawBody.toString('utf8')) as unknown };
}

/** The two headers Zoom would send with this body, signed as Zoom signs. */
export function signedZoomHeaders(
  rawBody: Buffer | string,
  options: { secret?: string; nowMs: number },
): Record<typeof ZOOM_SIGNATURE_HEADER | typeof ZOOM_TIMESTAMP_HEADER, string> {
  const timestamp = String(Math.floor(options.nowMs / 1000));
  return {
    [ZOOM_SIGNATURE_HEADER]: signZoomRequest(options.secret ?? TEST_ZOOM_SECRET, timestamp, rawBody),
    [ZOOM_TIMESTAMP_HEADER]: timestamp,
  };
}
