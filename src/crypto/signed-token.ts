import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short signed values (OAuth state, the panel's roster token): base64url JSON, a dot, and an
 * HMAC-SHA256 under a key derived for one purpose, so a token of one kind never passes as another.
 * Each carries its own expiry (`exp`, epoch ms).
 */
export function createSigner(secret: Buffer, purpose: string) {
  const key = createHmac('sha256', secret).update(`rollcall:${purpose}`).digest();
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  return {
    sign(claims: Record<string, unknown> & { exp: number }): string {
      const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
      return `${body}.${mac(body)}`;
    },
    /** The claims, or null when the token is malformed, tampered with or expired. */
    verify(token: string | undefined, nowMs: number): (Record<string, unknown> & { exp: number }) | null {
      if (!token) return null;
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined) return null;
      const expected = Buffer.from(mac(body));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
        if (typeof claims.exp !== 'number' || claims.exp <= nowMs) return null;
        return claims as Record<string, unknown> & { exp: number };
      } catch {
        return null;
      }
    },
  };
}

export type Signer = ReturnType<typeof createSigner>;
