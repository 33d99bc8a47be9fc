import { createHash } from 'node:crypto';

/** Bearer and session tokens are kept only as their SHA-256 (docs/privacy.md). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
