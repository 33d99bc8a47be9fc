/**
 * A local Twilio Messages API over real HTTP (TWILIO_API_URL), and helpers that post Twilio's
 * webhooks to Rollcall signed as Twilio signs them. Every create call is recorded; `failNext`
 * scripts the next answers (429 with Retry-After, 500, a Twilio error code).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from '../../src/platforms/sms/twilio-signature.js';

export const TEST_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const TEST_TWILIO_AUTH_TOKEN = 'test-twilio-auth-token-0123456789';
export const TEST_TWILIO_SERVICE_SID = 'MG00000000000000000000000000000000';

export interface FakeTwilioMessage {
  sid: string;
  to: string;
  body: string;
  from?: string;
  messagingServiceSid?: string;
  statusCallback?: string;
  authorized: boolean;
}

export type FakeTwilioFailure = { status: 429; retryAfter?: number } | { status: number; code?: number };

export interface FakeTwilio {
  url: string;
  /** Messages Twilio accepted (a failed call is in `attempts` only). */
  messages: FakeTwilioMessage[];
  attempts: number;
  failNext(...failures: FakeTwilioFailure[]): void;
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const messages: FakeTwilioMessage[] = [];
  const failures: FakeTwilioFailure[] = [];
  const template = JSON.parse(readFileSync(new URL('../fixtures/twilio/message-created.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  let attempts = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return void res.writeHead(404).end();
      attempts += 1;
      const failure = failures.shift();
      if (failure) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if ('retryAfter' in failure && failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
        return void res.writeHead(failure.status, headers).end(JSON.stringify({ code: 'code' in failure ? failure.code : 20429, message: 'scripted failure', status: failure.status }));
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const expected = `Basic ${Buffer.from(`${TEST_TWILIO_ACCOUNT_SID}:${TEST_TWILIO_AUTH_TOKEN}`).toString('base64')}`;
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const message: FakeTwilioMessage = {
        sid,
        to: form.get('To') ?? '',
        body: form.get('Body') ?? '',
        from: form.get('From') ?? undefined,
        messagingServiceSid: form.get('MessagingServiceSid') ?? undefined,
        statusCallback: form.get('StatusCallback') ?? undefined,
        authorized: req.headers.authorization === expected && match[1] === TEST_TWILIO_ACCOUNT_SID,
      };
      if (!message.authorized) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
      messages.push(message);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ...template, sid, to: message.to, body: message.body, uri: `/2010-04-01/Accounts/${match[1]}/Messages/${sid}.json` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    get attempts() {
      return attempts;
    },
    failNext: (...more) => void failures.push(...more),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A fixture form (test/fixtures/twilio/<name>.txt) with some fields replaced. */
export function twilioForm(name: string, fields: Record<string, string> = {}): URLSearchParams {
  const form = new URLSearchParams(readFileSync(new URL(`../fixtures/twilio/${name}.txt`, import.meta.url), 'utf8').trim());
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return form;
}

export const newMessageSid = () => `SM${randomBytes(16).toString('hex')}`;

/** POSTs a form to Rollcall as Twilio does, signed over publicUrl + path (or with the signature given). */
export async function postTwilio(appUrl: string, publicUrl: string, path: string, form: URLSearchParams, signature?: string) {
  const response = await fetch(appUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature ?? twilioSignature(TEST_TWILIO_AUTH_TOKEN, publicUrl + path, form), 'i-twilio-idempotency-token': newMessageSid() },
    body: form.toString(),
  });
  return { status: response.status, text: await response.text() };
}

/** The text of a TwiML answer's <Message>, or null for an empty <Response>. */
export function twimlText(xml: string): string | null {
  const match = /<Message>([\s\S]*)<\/Message>/.exec(xml);
  return match ? match[1]!.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : null;
}
