import { createHmac } from 'node:crypto';

/** Marks a stored Zoom account id as its keyed hash, so hashing stored values again changes nothing. */
export const ZOOM_ACCOUNT_KEY_PREFIX = 'hmac1:';

/** A Zoom account id (or its key) to the value stored and logged in its place. */
export type ZoomAccountKey = (accountIdOrKey: string) => string;

/**
 * Zoom treats the account id as PII: it may be neither logged nor stored in clear text (Zoom's
 * app-context docs). Rollcall stores and logs HMAC-SHA256(ENCRYPTION_KEY, id) instead; lookups hash
 * the id they are given and find the same row. A value that already is a key passes unchanged, so
 * callers may hand either, and the start-up step that hashes old rows can run any number of times.
 * Zoom account ids are base64url-like and never contain the prefix's colon.
 */
export function createZoomAccountKey(encryptionKey: Buffer): ZoomAccountKey {
  return (value) =>
    isZoomAccountKey(value) ? value : `${ZOOM_ACCOUNT_KEY_PREFIX}${createHmac('sha256', encryptionKey).update(`zoom-account:${value}`, 'utf8').digest('base64url')}`;
}

export function isZoomAccountKey(value: string): boolean {
  return value.startsWith(ZOOM_ACCOUNT_KEY_PREFIX);
}
