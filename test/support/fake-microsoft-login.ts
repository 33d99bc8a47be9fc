/**
 * A local Entra ID (login.microsoftonline.com) for "Sign in with Microsoft": the `organizations`
 * token endpoint (authorization code with PKCE S256) and its signing keys, generated with jose.
 * Id tokens are issued as Entra does for a multi-tenant app: `iss` = `{url}/{tid}/v2.0`. Point
 * MICROSOFT_LOGIN_URL at `url`. `foreignKey` signs with a key the issuer does not publish.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export const FAKE_MICROSOFT_CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const FAKE_MICROSOFT_CLIENT_SECRET = 'fake-microsoft-secret';

export interface FakeMicrosoftPerson {
  tid: string;
  oid: string;
  name: string;
  email?: string;
}

export interface FakeMicrosoftLogin {
  url: string;
  /** A code for this person, for the authorize request whose nonce and PKCE challenge are given. */
  issueCode(person: FakeMicrosoftPerson, authorize: { nonce: string; codeChallenge: string }, options?: { foreignKey?: boolean; issuer?: string }): string;
  tokenRequests: Record<string, string>[];
  close(): Promise<void>;
}

export async function startFakeMicrosoftLogin(): Promise<FakeMicrosoftLogin> {
  const published = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'fake-key-1', use: 'sig', alg: 'RS256' };
  const codes = new Map<string, { person: FakeMicrosoftPerson; nonce: string; codeChallenge: string; key: CryptoKey; issuer?: string }>();
  const tokenRequests: Record<string, string>[] = [];
  let seq = 0;
  let url = '';

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path === '/organizations/discovery/v2.0/keys') return send(200, { keys: [jwk] });
    if (req.method === 'POST' && path === '/organizations/oauth2/v2.0/token') {
      const body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      tokenRequests.push(body);
      const grant = codes.get(body.code ?? '');
      if (body.client_id !== FAKE_MICROSOFT_CLIENT_ID || body.client_secret !== FAKE_MICROSOFT_CLIENT_SECRET) return send(401, { error: 'invalid_client' });
      if (!grant) return send(400, { error: 'invalid_grant' });
      codes.delete(body.code!);
      const challenge = createHash('sha256').update(body.code_verifier ?? '').digest('base64url');
      if (challenge !== grant.codeChallenge) return send(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      const { person } = grant;
      const idToken = await new SignJWT({ tid: person.tid, oid: person.oid, name: person.name, preferred_username: person.email, nonce: grant.nonce, ver: '2.0' })
        .setProtectedHeader({ alg: 'RS256', kid: 'fake-key-1', typ: 'JWT' })
        .setIssuer(grant.issuer ?? `${url}/${person.tid}/v2.0`)
        .setAudience(FAKE_MICROSOFT_CLIENT_ID)
        .setSubject(`sub-${person.oid}`)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(grant.key);
      return send(200, { token_type: 'Bearer', scope: 'openid profile email', expires_in: 3600, access_token: 'fake-graph-token', id_token: idToken });
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tokenRequests,
    issueCode(person, authorize, options = {}) {
      const code = `ms-code-${++seq}`;
      codes.set(code, { person, ...authorize, key: options.foreignKey ? foreign.privateKey : published.privateKey, issuer: options.issuer });
      return code;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
