/**
 * A local Zoom over real HTTP, for the endpoints Rollcall calls: OAuth tokens (authorization code,
 * rotating refresh tokens, client credentials for the chatbot), `GET /v2/users/me`,
 * `GET /v2/past_meetings/{uuid}/participants` (paged), the chatbot's `/v2/im/chat/messages`
 * (POST, PUT) and the Data Compliance notice (`POST /oauth/data/compliance`). Point ZOOM_OAUTH_URL at `oauthUrl` and ZOOM_API_URL at `apiUrl`. Every call is
 * recorded; `failNext` scripts the next answer of a route (e.g. one 429 with Retry-After).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_ZOOM_CLIENT_ID = 'fake-zoom-client-id';
export const FAKE_ZOOM_CLIENT_SECRET = 'fake-zoom-client-secret';
export const FAKE_ZOOM_BOT_JID = 'rollcall-bot@xmpp.zoom.us';

export interface FakeZoomCall {
  method: string;
  /** Path without /v2 and without the query, e.g. `/im/chat/messages`, `/oauth/token`. */
  path: string;
  /** The raw path as requested (encoded), with the query. */
  rawUrl: string;
  authorization: string | null;
  body: any;
  status?: number;
}

export interface FakeZoomMessage {
  message_id: string;
  to_jid: string;
  content: any;
  visible_to_user?: string;
  user_jid?: string;
  account_id: string;
  robot_jid: string;
  edits: number;
}

export interface FakeZoom {
  oauthUrl: string;
  apiUrl: string;
  calls: FakeZoomCall[];
  messages: FakeZoomMessage[];
  /** The Zoom account and user the next authorization code installs as (`company`: the account's name in `users/me`). */
  account: { id: string; userId: string; company?: string };
  /** Lifetime of access tokens issued from now on (Zoom: 3600). */
  accessTokenSeconds: number;
  /** The refresh token currently valid for an account (the current `account` by default); Zoom invalidates the previous one on each refresh. */
  currentRefreshToken(accountId?: string): string | null;
  issueCode(): string;
  /** Rows of past_meetings/{uuid}/participants, served `pageSize` a page. */
  setPastParticipants(uuid: string, rows: unknown[], pageSize?: number): void;
  failNext(route: string, failure: { status: number; retryAfter?: number; body?: unknown }): void;
  close(): Promise<void>;
}

export async function startFakeZoom(): Promise<FakeZoom> {
  const calls: FakeZoomCall[] = [];
  const messages: FakeZoomMessage[] = [];
  const scripted = new Map<string, { status: number; retryAfter?: number; body?: unknown }[]>();
  type Account = FakeZoom['account'];
  // Each code, token and refresh token belongs to the account it was issued for: several accounts install.
  const codes = new Map<string, Account>();
  const accessTokens = new Map<string, { expires: number; account: Account }>();
  const refreshTokens = new Map<string, string>();
  const botTokens = new Set<string>();
  const past = new Map<string, { rows: unknown[]; pageSize: number }>();
  let seq = 0;
  const basic = `Basic ${Buffer.from(`${FAKE_ZOOM_CLIENT_ID}:${FAKE_ZOOM_CLIENT_SECRET}`).toString('base64')}`;

  const fake: FakeZoom = {
    oauthUrl: '',
    apiUrl: '',
    calls,
    messages,
    account: { id: 'ACCT-fake-1', userId: 'ZADMIN01' },
    accessTokenSeconds: 3600,
    currentRefreshToken: (accountId) => refreshTokens.get(accountId ?? fake.account.id) ?? null,
    issueCode() {
      const code = `code-${++seq}`;
      codes.set(code, { ...fake.account });
      return code;
    },
    setPastParticipants(uuid, rows, pageSize = 2) {
      past.set(uuid, { rows, pageSize });
    },
    failNext(route, failure) {
      const queue = scripted.get(route) ?? [];
      queue.push(failure);
      scripted.set(route, queue);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const issueUserTokens = (account: Account) => {
    const access = `zat-${++seq}`;
    accessTokens.set(access, { expires: Date.now() + fake.accessTokenSeconds * 1000, account });
    const refreshToken = `zrt-${++seq}`;
    refreshTokens.set(account.id, refreshToken);
    return { access_token: access, token_type: 'bearer', refresh_token: refreshToken, expires_in: fake.accessTokenSeconds, scope: 'meeting:read:past_participant:admin user:read:user' };
  };
  const bearer = (auth: string | null) => /^Bearer (.+)$/.exec(auth ?? '')?.[1];
  /** The account a valid user access token was issued for. */
  const tokenAccount = (auth: string | null) => {
    const token = bearer(auth);
    const issued = token ? accessTokens.get(token) : undefined;
    return issued && issued.expires > Date.now() ? issued.account : undefined;
  };
  const userTokenValid = (auth: string | null) => tokenAccount(auth) !== undefined;

  type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
  function route(method: string, path: string, query: URLSearchParams, auth: string | null, body: any): Answer {
    if (method === 'POST' && path === '/oauth/token') {
      if (auth !== basic) return { status: 401, body: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' } };
      const grant = body.grant_type ?? query.get('grant_type');
      if (grant === 'authorization_code') {
        const account = codes.get(body.code);
        if (!account) return { status: 400, body: { reason: 'Invalid authorization code', error: 'invalid_grant' } };
        codes.delete(body.code);
        return { status: 200, body: issueUserTokens(account) };
      }
      if (grant === 'refresh_token') {
        const accountId = [...refreshTokens].find(([, token]) => token === body.refresh_token)?.[0];
        const account = [...accessTokens.values()].find((t) => t.account.id === accountId)?.account;
        if (!account) return { status: 400, body: { reason: 'Invalid Token!', error: 'invalid_request' } };
        return { status: 200, body: issueUserTokens(account) };
      }
      if (grant === 'client_credentials') {
        const token = `zbt-${++seq}`;
        botTokens.add(token);
        return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 3600, scope: 'imchat:bot' } };
      }
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    if (method === 'POST' && path === '/oauth/data/compliance') {
      if (auth !== basic) return { status: 401, body: { error: 'invalid_client' } };
      return { status: 200, body: {} };
    }
    if (method === 'GET' && path === '/users/me') {
      const account = tokenAccount(auth);
      if (!account) return { status: 401, body: { code: 124, message: 'Invalid access token.' } };
      return { status: 200, body: { id: account.userId, account_id: account.id, type: 2, email: 'admin@clinic.example', ...(account.company ? { company: account.company } : {}) } };
    }
    const pastMatch = /^\/past_meetings\/([^/]+)\/participants$/.exec(path);
    if (method === 'GET' && pastMatch) {
      if (!userTokenValid(auth)) return { status: 401, body: { code: 124, message: 'Invalid access token.' } };
      // The path segment arrives encoded once more than the UUID it names when Zoom wants double encoding.
      let uuid = decodeURIComponent(pastMatch[1]!);
      if (!past.has(uuid) && past.has(decodeURIComponent(uuid))) uuid = decodeURIComponent(uuid);
      const report = past.get(uuid);
      if (!report) return { status: 404, body: { code: 3001, message: 'Meeting does not exist.' } };
      const start = Number(query.get('next_page_token') || 0);
      const rows = report.rows.slice(start, start + report.pageSize);
      const next = start + report.pageSize < report.rows.length ? String(start + report.pageSize) : '';
      return { status: 200, body: { page_count: 1, page_size: report.pageSize, total_records: report.rows.length, next_page_token: next, participants: rows } };
    }
    if (path === '/im/chat/messages' || path.startsWith('/im/chat/messages/')) {
      if (!botTokens.has(bearer(auth) ?? '')) return { status: 401, body: { code: 124, message: 'Invalid access token.' } };
      if (method === 'POST' && path === '/im/chat/messages') {
        const message: FakeZoomMessage = { message_id: `msg-${++seq}`, edits: 0, ...body };
        messages.push(message);
        return { status: 201, body: { message_id: message.message_id, robot_jid: body.robot_jid, sent_time: new Date().toISOString(), to_jid: body.to_jid } };
      }
      if (method === 'PUT') {
        const id = decodeURIComponent(path.slice('/im/chat/messages/'.length));
        const message = messages.find((m) => m.message_id === id);
        if (!message) return { status: 404, body: { code: 5301, message: 'Message does not exist.' } };
        message.content = body.content;
        message.edits += 1;
        return { status: 204 };
      }
    }
    return { status: 404, body: { code: 404, message: 'no such route in the fake' } };
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v2/, '');
    const type = req.headers['content-type'] ?? '';
    const body = !raw ? {} : type.includes('json') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
    const call: FakeZoomCall = { method: req.method ?? 'GET', path: decodeURIComponent(path), rawUrl: req.url ?? '', authorization: req.headers.authorization ?? null, body };
    calls.push(call);
    const key = `${call.method} ${path.replace(/\/im\/chat\/messages\/.+$/, '/im/chat/messages/:id')}`;
    const failure = scripted.get(key)?.shift();
    const answer: Answer = failure
      ? { status: failure.status, body: failure.body ?? { code: failure.status, message: 'scripted failure' }, headers: failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {} }
      : route(call.method, path, url.searchParams, call.authorization, body);
    call.status = answer.status;
    res.writeHead(answer.status, { ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }), ...answer.headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.oauthUrl = `http://127.0.0.1:${port}`;
  fake.apiUrl = `http://127.0.0.1:${port}/v2`;
  return fake;
}

/** The environment that points a test app at the fake, with the chatbot on. */
export function fakeZoomEnv(fake: FakeZoom): Record<string, string> {
  return {
    ZOOM_CLIENT_ID: FAKE_ZOOM_CLIENT_ID,
    ZOOM_CLIENT_SECRET: FAKE_ZOOM_CLIENT_SECRET,
    ZOOM_BOT_JID: FAKE_ZOOM_BOT_JID,
    ZOOM_API_URL: fake.apiUrl,
    ZOOM_OAUTH_URL: fake.oauthUrl,
  };
}

/** Installs the app as an admin would: /zoom/install, Zoom's consent (the fake issues a code), the callback with the state cookie. */
export async function installZoom(appUrl: string, fake: FakeZoom, options: { connect?: string } = {}): Promise<{ status: number; text: string; state: string; cookie: string }> {
  const start = await fetch(`${appUrl}/zoom/install${options.connect === undefined ? '' : `?connect=${encodeURIComponent(options.connect)}`}`, { redirect: 'manual' });
  if (start.status !== 302) return { status: start.status, text: await start.text(), state: '', cookie: '' };
  const location = new URL(start.headers.get('location') ?? '');
  const state = location.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const callback = await fetch(`${appUrl}/zoom/oauth/callback?code=${fake.issueCode()}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  return { status: callback.status, text: await callback.text(), state, cookie };
}
