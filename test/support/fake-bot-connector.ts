/**
 * A local Bot Connector (the REST service behind an activity's `serviceUrl`) over real HTTP, for
 * the calls Rollcall makes through botbuilder: new posts (proactive ones reply to a made-up
 * continuation id, which Teams treats as a new post) and replies
 * (`POST /v3/conversations/{id}/activities[/{replyTo}]`), edits (`PUT …/activities/{id}`) and
 * meeting details (`GET /v1/meetings/{id}`). Every call is recorded; posts are kept per
 * conversation with their edits applied; `failNext` scripts the next answer of an operation.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorOp = 'send' | 'reply' | 'update' | 'meeting';

export interface ConnectorCall {
  op: ConnectorOp | 'other';
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  authorization?: string;
  body: any;
  /** `ok` or `http_<status>`. */
  outcome?: string;
}

export interface ConnectorMessage {
  id: string;
  conversationId: string;
  replyToId?: string;
  activity: any;
  /** Every version the message had, the first post first. */
  versions: any[];
}

export interface FakeBotConnector {
  url: string;
  calls: ConnectorCall[];
  /** Posts and replies in one conversation, edits applied. */
  messages(conversationId: string): ConnectorMessage[];
  /** The adaptive card (content) of a message, as it is now. */
  cardOf(message: ConnectorMessage): any;
  /** Fails the next call of `op` (whose JSON body contains `matching`, when given). */
  failNext(op: ConnectorOp, failure: { status: number; retryAfter?: number; matching?: string }): void;
  /** What `GET /v1/meetings/{id}` answers (TeamsInfo.getMeetingInfo). */
  setMeeting(meetingId: string, info: unknown): void;
  close(): Promise<void>;
}

/** `host`: the address to listen on and name in `url` (default 127.0.0.1; a non-loopback one for SSRF tests). */
export async function startFakeBotConnector(options: { host?: string } = {}): Promise<FakeBotConnector> {
  const host = options.host ?? '127.0.0.1';
  const calls: ConnectorCall[] = [];
  const messages: ConnectorMessage[] = [];
  const scripted = new Map<ConnectorOp, { status: number; retryAfter?: number; matching?: string }[]>();
  const meetings = new Map<string, unknown>();
  let seq = 0;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const call: ConnectorCall = { op: 'other', method: req.method ?? '', path: url.pathname, body, authorization: req.headers.authorization };
    calls.push(call);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.outcome = status < 300 ? 'ok' : `http_${status}`;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities') {
      call.conversationId = parts[2];
      call.activityId = parts[4];
      // botbuilder's proactive turns reply to the continuation activity's made-up id; Teams posts those as new messages.
      const repliesToKnown = Boolean(parts[4]) && messages.some((m) => m.id === parts[4]);
      call.op = req.method === 'PUT' ? 'update' : repliesToKnown || (parts[4] && !/^[0-9a-f-]{36}$/.test(parts[4])) ? 'reply' : 'send';
    } else if (parts[0] === 'v1' && parts[1] === 'meetings' && parts[2]) {
      call.op = 'meeting';
    }
    if (call.op === 'other') return answer(404, { error: { code: 'NotFound', message: 'no such route in the fake' } });
    const queue = scripted.get(call.op) ?? [];
    const index = queue.findIndex((f) => !f.matching || raw.includes(f.matching));
    const failure = index >= 0 ? queue.splice(index, 1)[0] : undefined;
    if (failure) {
      return answer(failure.status, { error: { code: 'Scripted', message: `scripted ${failure.status}` } }, failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) });
    }
    switch (call.op) {
      case 'send':
      case 'reply': {
        const id = `1:${++seq}`;
        messages.push({ id, conversationId: call.conversationId!, replyToId: call.activityId, activity: body, versions: [body] });
        return answer(201, { id });
      }
      case 'update': {
        const message = messages.find((m) => m.conversationId === call.conversationId && m.id === call.activityId);
        if (!message) return answer(404, { error: { code: 'ActivityNotFoundInConversation', message: 'not found' } });
        message.activity = body;
        message.versions.push(body);
        return answer(200, { id: message.id });
      }
      case 'meeting': {
        const info = meetings.get(parts[2]!);
        return info ? answer(200, info) : answer(404, { error: { code: 'NotFound', message: 'no such meeting' } });
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    calls,
    messages: (conversationId) => messages.filter((m) => m.conversationId === conversationId),
    cardOf: (message) => message.activity?.attachments?.find((a: { contentType: string }) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content,
    failNext(op, failure) {
      const queue = scripted.get(op) ?? [];
      queue.push(failure);
      scripted.set(op, queue);
    },
    setMeeting: (meetingId, info) => void meetings.set(meetingId, info),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
