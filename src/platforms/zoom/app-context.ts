import { createDecipheriv, createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What Zoom tells a Zoom App's home URL about who opened it and where (the `x-zoom-app-context`
 * header). `uid` is the Zoom user id; `mid` the meeting UUID, present when opened in a meeting.
 */
export const zoomAppContextSchema = z.looseObject({
  typ: z.string(),
  uid: z.string().min(1),
  mid: z.string().optional(),
  /** When Zoom made it (epoch ms). */
  ts: z.number().optional(),
  /** After which it must not be accepted, when present (epoch ms). */
  exp: z.number().optional(),
});
export type ZoomAppContext = z.output<typeof zoomAppContextSchema>;

/** Zoom documents milliseconds; a value in seconds (below 10^12) is read as seconds rather than as 1970. */
const asMs = (value: number | undefined) => (value === undefined ? undefined : value < 1e12 ? value * 1000 : value);

/** Zoom's header is fresh on each load; an old one replayed later is refused. */
const MAX_AGE_MS = 5 * 60_000;

/**
 * Decrypts the header: base64 of [iv length: 1 byte][iv][aad length: 2 bytes LE][aad]
 * [ciphertext length: 4 bytes LE][ciphertext][16-byte tag], AES-256-GCM under SHA-256(client
 * secret), as Zoom documents. Null for anything that does not decrypt, parse, or is stale.
 */
export function decryptZoomAppContext(header: string | undefined, clientSecret: string, nowMs: number): ZoomAppContext | null {
  if (!header || header.length > 4096) return null;
  try {
    const buf = Buffer.from(header, 'base64');
    let at = 0;
    const ivLength = buf.readUInt8(at);
    at += 1;
    const iv = buf.subarray(at, (at += ivLength));
    const aadLength = buf.readUInt16LE(at);
    at += 2;
    const aad = buf.subarray(at, (at += aadLength));
    const cipherLength = buf.readUInt32LE(at);
    at += 4;
    const cipherText = buf.subarray(at, (at += cipherLength));
    const tag = buf.subarray(at);
    if (iv.length !== ivLength || cipherText.length !== cipherLength || tag.length !== 16) return null;
    const key = createHash('sha256').update(clientSecret, 'utf8').digest();
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(cipherText), decipher.final()]).toString('utf8');
    const parsed = zoomAppContextSchema.safeParse(JSON.parse(plain));
    if (!parsed.success) return null;
    const context = parsed.data;
    const exp = asMs(context.exp);
    const ts = asMs(context.ts);
    if (exp !== undefined && exp <= nowMs) return null;
    if (ts !== undefined && Math.abs(nowMs - ts) > MAX_AGE_MS) return null;
    return context;
  } catch {
    return null;
  }
}
