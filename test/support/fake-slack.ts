/**
 * A local Slack Web API over real HTTP, for the methods Rollcall calls. Point a WebClient's
 * `slackApiUrl` (SLACK_API_URL) at `url`. Every call is recorded; posted messages are kept per
 * channel so `conversations.history` returns them; `failNext` scripts the next answer of a method.
 *
 * @slack/web-api 8 POSTs `application/x-www-form-urlencoded`, with nested values (blocks,
 * metadata, view) as JSON strings and booleans as `true`/`false`; the token travels in the
 * Authorization header (and in the body as `token` when given per call). JSON bodies are accepted
 * too, as Slack does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackCall {
  method: string;
  token: string | null;
  body: Record<string, unknown>;
  /** performance.now() when the request arrived and when its answer was sent. */
  receivedAt: number;
  answeredAt?: number;
  /** What was answered: `ok`, an `error` code, `http_<status>`, or `dropped` (server closed first). */
  outcome?: string;
}

export interface FakeSlackMessage {
  ts: string;
  text?: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  bot_id: string;
  edited?: { ts: string };
}

export type FakeSlackFailure =
  | { status: 429; retryAfter?: number }
  | { status: number }
  | { error: string }
  /** Do the work, then hold the answer this long: the client's timeout fires after Slack acted. */
  | { delayMs: number };

/** What Slack's `oauth.v2.access` gives for one authorization code: a workspace installed by a person. */
export interface FakeSlackInstallGrant {
  teamId: string;
  teamName: string;
  /** The installing person (`authed_user.id`). */
  userId: string;
  botToken: string;
  botUserId?: string;
  scopes?: string[];
}

export interface FakeSlack {
  /** Ends with `/api/`, like https://slack.com/api/. */
  url: string;
  /** The next `oauth.v2.access` with this code installs this workspace (once: codes are single-use, as Slack's are). */
  grantInstall(code: string, grant: FakeSlackInstallGrant): void;
  calls: FakeSlackCall[];
  messages(channel: string): FakeSlackMessage[];
  failNext(method: string, failure: FakeSlackFailure): void;
  /** "Sign in with Slack": a code that `openid.connect.token` exchanges for this person (nonce: the authorize request's). */
  issueOpenIdCode(person: FakeSlackOpenIdPerson): string;
  close(): Promise<void>;
}

export interface FakeSlackOpenIdPerson {
  userId: string;
  teamId: string;
  name: string;
  email?: string;
  enterpriseId?: string;
  nonce?: string;
}

const BOT_ID = 'B0FAKE';
type Answer = { status: number; headers?: Record<string, string>; body: unknown };

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const channels = new Map<string, FakeSlackMessage[]>();
  const scripted = new Map<string, FakeSlackFailure[]>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  const grants = new Map<string, FakeSlackInstallGrant>();
  const tokens = new Map<string, FakeSlackInstallGrant>();
  const openIdCodes = new Map<string, FakeSlackOpenIdPerson>();
  const openIdTokens = new Map<string, FakeSlackOpenIdPerson>();

  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
  const channelMessages = (channel: string) => {
    let list = channels.get(channel);
    if (!list) channels.set(channel, (list = []));
    return list;
  };

  const methods: Record<string, (body: Record<string, unknown>, token: string | null) => Record<string, unknown>> = {
    'auth.test': (_body, token) => {
      const grant = token ? tokens.get(token) : undefined;
      return { url: 'https://fake.slack.com/', team: grant?.teamName ?? 'Fake Clinic', user: 'rollcall', team_id: grant?.teamId ?? 'T0FAKE', user_id: grant?.botUserId ?? 'U0BOT', bot_id: BOT_ID };
    },
    'auth.revoke': (_body, token) => ({ revoked: Boolean(token && tokens.delete(token)) }),
    'oauth.v2.access': (body) => {
      const grant = grants.get(String(body.code ?? ''));
      if (!grant || !body.client_id || !body.client_secret) return { ok: false, error: 'invalid_code' };
      grants.delete(String(body.code));
      tokens.set(grant.botToken, grant);
      return {
        app_id: 'A0ROLLCALL',
        authed_user: { id: grant.userId },
        scope: (grant.scopes ?? ['chat:write', 'commands']).join(','),
        token_type: 'bot',
        access_token: grant.botToken,
        bot_user_id: grant.botUserId ?? 'U0BOT',
        team: { id: grant.teamId, name: grant.teamName },
        enterprise: null,
        is_enterprise_install: false,
      };
    },
    'chat.postMessage': (body) => {
      const channel = String(body.channel ?? '');
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const message: FakeSlackMessage = { ts: nextTs(), text: str(body.text), blocks: body.blocks, metadata: metadataOf(body.metadata), bot_id: BOT_ID };
      channelMessages(channel).push(message);
      return { channel, ts: message.ts, message: { ...message, type: 'message' } };
    },
    'chat.update': (body) => {
      const channel = String(body.channel ?? '');
      const message = channels.get(channel)?.find((m) => m.ts === body.ts);
      if (!message) return { ok: false, error: 'message_not_found' };
      if (body.text !== undefined) message.text = str(body.text);
      if (body.blocks !== undefined) message.blocks = body.blocks;
      if (body.metadata !== undefined) message.metadata = metadataOf(body.metadata);
      message.edited = { ts: nextTs() };
      return { channel, ts: message.ts, text: message.text };
    },
    'conversations.history': (body) => {
      const oldest = Number(body.oldest ?? 0);
      const latest = body.latest === undefined ? Infinity : Number(body.latest);
      const limit = Number(body.limit ?? 100);
      const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
      const matching = [...(channels.get(String(body.channel)) ?? [])]
        .filter((m) => Number(m.ts) >= oldest && Number(m.ts) <= latest)
        .reverse();
      const page = matching.slice(0, limit).map(({ metadata, ...m }) => ({ type: 'message', ...m, ...(withMetadata && metadata ? { metadata } : {}) }));
      return { messages: page, has_more: matching.length > limit };
    },
    'chat.postEphemeral': (body) => ({ message_ts: nextTs(), channel: body.channel }),
    'views.publish': (body) => ({ view: { id: 'V0FAKE', ...(parsed(body.view) as object) } }),
    'views.open': (body) => ({ view: { id: 'V0MODAL', ...(parsed(body.view) as object) } }),
    'conversations.open': (body) => ({ channel: { id: `D${String(body.users ?? 'X').split(',')[0]}` } }),
    'openid.connect.token': (body) => {
      const person = openIdCodes.get(String(body.code ?? ''));
      if (!body.client_id || !body.client_secret) return { ok: false, error: 'invalid_client_id' };
      if (!person) return { ok: false, error: 'invalid_code' };
      openIdCodes.delete(String(body.code));
      const accessToken = `xoxp-oidc-${++seq}`;
      openIdTokens.set(accessToken, person);
      const claims = { iss: 'https://slack.com', sub: person.userId, aud: body.client_id, nonce: person.nonce, 'https://slack.com/team_id': person.teamId, 'https://slack.com/user_id': person.userId };
      // Signed by no one: Rollcall reads the id token only for its nonce (it came straight from Slack).
      const idToken = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      return { access_token: accessToken, token_type: 'Bearer', id_token: idToken };
    },
    'openid.connect.userInfo': (_body, token) => {
      const person = token ? openIdTokens.get(token) : undefined;
      if (!person) return { ok: false, error: 'invalid_auth' };
      return {
        sub: person.userId,
        'https://slack.com/user_id': person.userId,
        'https://slack.com/team_id': person.teamId,
        ...(person.enterpriseId ? { 'https://slack.com/enterprise_id': person.enterpriseId } : {}),
        name: person.name,
        ...(person.email ? { email: person.email, email_verified: true } : {}),
      };
    },
    'users.info': (body) => ({ user: { id: body.user, name: `user-${String(body.user)}`, real_name: `User ${String(body.user)}`, tz: 'America/New_York', profile: {} } }),
  };

  function answer(method: string, body: Record<string, unknown>, token: string | null, failure: FakeSlackFailure | undefined): Answer {
    if (failure && 'status' in failure) {
      if (failure.status === 429) {
        const retryAfter = 'retryAfter' in failure ? failure.retryAfter : undefined;
        return { status: 429, headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }, body: { ok: false, error: 'ratelimited' } };
      }
      return { status: failure.status, body: 'upstream error' };
    }
    if (failure && 'error' in failure) return { status: 200, body: { ok: false, error: failure.error } };
    const handler = methods[method];
    const result = handler ? handler(body, token) : { ok: false, error: 'unknown_method' };
    return { status: 200, body: { ok: true, ...result } };
  }

  const server = http.createServer(async (req, res) => {
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const body = parseBody(raw, req.headers['content-type']);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const call: FakeSlackCall = { method, token: bearer ?? (typeof body.token === 'string' ? body.token : null), body, receivedAt };
    calls.push(call);
    const failure = scripted.get(method)?.shift();
    const delay = failure && 'delayMs' in failure ? failure.delayMs : undefined;
    const result = answer(method, body, call.token, failure);
    const send = () => {
      call.answeredAt = performance.now();
      const payload = result.body as { ok?: boolean; error?: string } | string;
      call.outcome = result.status !== 200 ? `http_${result.status}` : typeof payload === 'object' && payload.ok === false ? String(payload.error) : 'ok';
      const json = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
      res.writeHead(result.status, { 'content-type': typeof result.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8', ...result.headers });
      res.end(json);
    };
    if (delay === undefined) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) send();
    }, delay);
    timers.add(timer);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    grantInstall: (code, grant) => void grants.set(code, grant),
    messages: (channel) => [...(channels.get(channel) ?? [])],
    issueOpenIdCode(person) {
      const code = `oidc-code-${++seq}`;
      openIdCodes.set(code, person);
      return code;
    },
    failNext(method, failure) {
      const queue = scripted.get(method) ?? [];
      queue.push(failure);
      scripted.set(method, queue);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const call of calls) if (call.answeredAt === undefined) call.outcome ??= 'dropped';
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) body[key] = parsed(value);
  return body;
}

/** Nested values arrive as JSON strings in a form body. */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string' || !/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function str(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

function metadataOf(value: unknown): FakeSlackMessage['metadata'] {
  const m = value as { event_type?: unknown; event_payload?: unknown } | undefined;
  if (!m || typeof m.event_type !== 'string') return undefined;
  return { event_type: m.event_type, event_payload: (m.event_payload ?? {}) as Record<string, unknown> };
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
