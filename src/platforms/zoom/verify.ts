import { createHmac, timingSafeEqual } from 'node:crypto';

export const ZOOM_SIGNATURE_HEADER = 'x-zm-signature';
export const ZOOM_TIMESTAMP_HEADER = 'x-zm-request-timestamp';
/** Zoom states no replay window; 5 minutes is what Slack uses for the same scheme. */
export const ZOOM_DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerifyZoomSignatureInput {
  /** The request body exactly as received: re-serialized JSON never verifies. */
  rawBody: Buffer;
  /** `x-zm-signature`, `v0=<hex>`. */
  signature: string | undefined;
  /** `x-zm-request-timestamp`, Unix seconds. */
  timestamp: string | undefined;
  /** Current secret token first; older ones while a rotation is under way. */
  secrets: readonly string[];
  nowMs: number;
  toleranceSeconds?: number;
}

export type ZoomSignatureFailure = 'missing_headers' | 'stale_timestamp' | 'bad_signature';

export type ZoomSignatureResult =
  | { ok: true; secretIndex: number }
  | { ok: false; reason: ZoomSignatureFailure };

/**
 * Checks a Zoom webhook signature. Zoom's own Node SDK and sample re-serialize the JSON and compare
 * with `===`; we hash the raw bytes and compare in constant time.
 */
export function verifyZoomSignature(input: VerifyZoomSignatureInput): ZoomSignatureResult {
  const { rawBody, signature, timestamp, secrets, nowMs } = input;
  const toleranceSeconds = input.toleranceSeconds ?? ZOOM_DEFAULT_TOLERANCE_SECONDS;
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };

  // A malformed timestamp is outside every window.
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'stale_timestamp' };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceSeconds * 1000) {
    return { ok: false, reason: 'stale_timestamp' };
  }

  const received = Buffer.from(signature, 'utf8');
  for (const [secretIndex, secret] of secrets.entries()) {
    // An empty secret would make signatures anyone can compute.
    if (secret === '') continue;
    const expected = Buffer.from(signZoomRequest(secret, timestamp, rawBody), 'utf8');
    if (expected.length === received.length && timingSafeEqual(expected, received)) {
      return { ok: true, secretIndex };
    }
  }
  return { ok: false, reason: 'bad_signature' };
}

/** The `x-zm-signature` value Zoom would send for this body (tests, demo, bench and replay sign with it). */
export function signZoomRequest(secret: string, timestampSeconds: number | string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestampSeconds}:`, 'utf8');
  hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return `v0=${hmac.digest('hex')}`;
}
