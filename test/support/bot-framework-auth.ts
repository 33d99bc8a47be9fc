/**
 * The Bot Framework's side of authentication, locally: an OpenID metadata document and a JWKS
 * (what login.botframework.com publishes, keys endorsed for `msteams`) over real HTTP, and Bot
 * Connector JWTs signed with the matching RSA key (RS256, issuer https://api.botframework.com,
 * audience = the app id, a `serviceurl` claim). The app under test finds the keys through
 * MICROSOFT_BOT_OPENID_METADATA_URL and checks tokens with botbuilder's own code.
 */
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

export const TEST_TEAMS_APP_ID = '6d1f7a52-0000-4b3c-9d4e-00000000b0a1';
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** The audience of the app's own tokens for the connector (Bot Framework's OAuth scope). */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';
/** The token Rollcall presents to the fake connector (see seedOutboundToken). */
export const TEST_OUTBOUND_TOKEN = 'test-outbound-bot-token';

export interface BotConnectorClaims {
  serviceUrl?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

export interface BotFrameworkIssuerFake {
  metadataUrl: string;
  /** The app's environment for authenticated Teams: app id, a password, the local keys. */
  env: Record<string, string>;
  /** `Bearer <jwt>` signed with the published key. */
  bearer(claims: BotConnectorClaims): string;
  /** `Bearer <jwt>` signed with a key that is not published (a forger's). */
  forgedBearer(claims: BotConnectorClaims): string;
  close(): Promise<void>;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signJwt(privateKey: KeyObject, kid: string, claims: BotConnectorClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid, x5t: kid };
  const payload = {
    iss: claims.issuer ?? BOT_FRAMEWORK_ISSUER,
    aud: claims.audience ?? TEST_TEAMS_APP_ID,
    ...(claims.serviceUrl === undefined ? {} : { serviceurl: claims.serviceUrl }),
    nbf: now - 60,
    iat: now - 60,
    exp: now + (claims.expiresIn ?? 3600),
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

export async function startBotFrameworkIssuer(): Promise<BotFrameworkIssuerFake> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-key-${randomUUID()}`;
  const jwk = published.publicKey.export({ format: 'jwk' });
  let base = '';
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: BOT_FRAMEWORK_ISSUER, authorization_endpoint: `${base}/authorize`, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] }));
    } else if (req.url === '/v1/.well-known/keys') {
      res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metadataUrl = `${base}/v1/.well-known/openidconfiguration`;
  return {
    metadataUrl,
    env: {
      MICROSOFT_APP_ID: TEST_TEAMS_APP_ID,
      MICROSOFT_APP_PASSWORD: 'test-app-password-not-used',
      MICROSOFT_BOT_OPENID_METADATA_URL: metadataUrl,
      // Graph reconciliation comes on with app id and password: keep it off the internet.
      MICROSOFT_LOGIN_URL: 'http://127.0.0.1:9',
      GRAPH_API_URL: 'http://127.0.0.1:9',
    },
    bearer: (claims) => `Bearer ${signJwt(published.privateKey, kid, claims)}`,
    forgedBearer: (claims) => `Bearer ${signJwt(forger.privateKey, kid, claims)}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Gives the app a token for its own calls to the connector. botbuilder gets it from Azure AD with
 * MSAL, which accepts only https authorities and would go to login.microsoftonline.com; its token
 * cache (a static of botframework-connector's AppCredentials, keyed by app id and scope) is filled
 * instead, so the fake connector sees `Bearer TEST_OUTBOUND_TOKEN` on every call.
 */
export function seedOutboundToken(appId = TEST_TEAMS_APP_ID): void {
  const { AppCredentials } = createRequire(import.meta.url)('botframework-connector') as { AppCredentials: { cache: Map<string, { accessToken: string; expiresOn: Date }> } };
  AppCredentials.cache.set(`${appId}${BOT_FRAMEWORK_SCOPE}-cache`, { accessToken: TEST_OUTBOUND_TOKEN, expiresOn: new Date(Date.now() + 24 * 3600_000) });
}
