import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The `x-zoom-app-context` header as Zoom builds it for an app's home URL: base64 of
 * [iv length][iv][aad length, 2 bytes LE][aad][ciphertext length, 4 bytes LE][ciphertext][tag],
 * AES-256-GCM under SHA-256 of the client secret.
 */
export function zoomAppContextHeader(context: Record<string, unknown>, clientSecret: string): string {
  const key = createHash('sha256').update(clientSecret, 'utf8').digest();
  const iv = randomBytes(12);
  const aad = Buffer.alloc(0);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const cipherText = Buffer.concat([cipher.update(JSON.stringify(context), 'utf8'), cipher.final()]);
  const ivLength = Buffer.from([iv.length]);
  const aadLength = Buffer.alloc(2);
  aadLength.writeUInt16LE(aad.length);
  const cipherLength = Buffer.alloc(4);
  cipherLength.writeUInt32LE(cipherText.length);
  return Buffer.concat([ivLength, iv, aadLength, aad, cipherLength, cipherText, cipher.getAuthTag()]).toString('base64');
}
