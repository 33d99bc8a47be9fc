import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatabaseProxy, type DatabaseProxy } from '../support/database-proxy.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { zoomDelivery } from '../support/zoom-events.js';
import { signedZoomHeaders } from '../support/zoom-signing.js';

const ERROR_LEVEL = 50;

/** Each way a body can be undecodable, with what it must answer. */
function badBodies(text: string, contentType: string): { label: string; headers: Record<string, string>; body: Buffer; status: number; code: string }[] {
  const br = brotliCompressSync(Buffer.from(text.repeat(20)));
  return [
    { label: 'gzip that is not gzip', headers: { 'content-type': contentType, 'content-encoding': 'gzip' }, body: Buffer.from(text), status: 400, code: 'invalid_body' },
    { label: 'a corrupt br body', headers: { 'content-type': contentType, 'content-encoding': 'br' }, body: br.subarray(0, Math.floor(br.length / 2)), status: 400, code: 'invalid_body' },
    { label: 'content-encoding foo', headers: { 'content-type': contentType, 'content-encoding': 'foo' }, body: Buffer.from(text), status: 415, code: 'unsupported_encoding' },
    { label: 'charset=latin1', headers: { 'content-type': `${contentType}; charset=latin1` }, body: Buffer.from(text), status: 415, code: 'unsupported_charset' },
  ];
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ captureLogs: true });
});
afterAll(async () => {
  await app?.stop();
});

const errorLogs = () => app.logs.filter((line) => line.level >= ERROR_LEVEL);

describe('bodies that cannot be decoded', () => {
  it.each(badBodies(JSON.stringify({ name: 'Evening IOP', timezone: 'UTC', alertChannel: { platform: 'slack', channelId: 'C1' } }), 'application/json'))(
    'admin API: $label answers $status $code, stores nothing, logs no error',
    async ({ headers, body, status, code }) => {
      const before = await app.database.prisma.program.count();
      const response = await fetch(`${app.url}/api/v1/programs`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...headers }, body });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
      expect(await app.database.prisma.program.count()).toBe(before);
      expect(errorLogs()).toEqual([]);
    },
  );

  // Raw bytes: the charset is not the parser's business there (the signature covers the bytes).
  it.each(badBodies(zoomDelivery('participant-joined', { meetingId: '87000000001', at: new Date() }), 'application/json').filter((c) => !c.label.startsWith('charset')))(
    'Zoom webhook: $label answers $status $code, stores nothing, logs no error',
    async ({ headers, body, status, code }) => {
      const response = await fetch(`${app.url}/zoom/webhook`, { method: 'POST', headers: { ...headers, ...signedZoomHeaders(body, { nowMs: Date.now() }) }, body });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
      expect(await app.database.prisma.presenceEvent.count()).toBe(0);
      expect(errorLogs()).toEqual([]);
    },
  );

  it.each(badBodies(`token=${TEST_ADMIN_TOKEN}&_csrf=x&next=%2F`, 'application/x-www-form-urlencoded'))(
    'dashboard form: $label answers $status, signs nobody in, logs no error',
    async ({ headers, body, status }) => {
      const response = await fetch(`${app.url}/sign-in`, { method: 'POST', headers, body, redirect: 'manual' });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await app.database.prisma.staffSignIn.count()).toBe(0);
      expect(errorLogs()).toEqual([]);
    },
  );
});

describe('while the database is unreachable', () => {
  let outage: TestApp;
  let proxy: DatabaseProxy;
  beforeAll(async () => {
    proxy = await startDatabaseProxy(await createTestDatabase());
    outage = await startTestApp({ databaseUrl: proxy.url, captureLogs: true });
    proxy.cut();
  });
  afterAll(async () => {
    proxy.restore();
    await outage?.stop();
    await proxy?.close();
  });

  const leaks = /prisma|postgres|5432|127\.0\.0\.1|\.ts:|at \w|ECONN|select|insert/i;

  it('the admin API answers 503 with Retry-After and a generic body', async () => {
    const response = await fetch(`${outage.url}/api/v1/programs`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'unavailable', message: 'temporarily unavailable; try again shortly' } });
    expect(text).not.toMatch(leaks);
  });

  it('a signed Zoom delivery answers 503, so Zoom retries', async () => {
    const body = zoomDelivery('participant-joined', { meetingId: '87000000002', at: new Date() });
    const response = await fetch(`${outage.url}/zoom/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedZoomHeaders(body, { nowMs: Date.now() }) }, body });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.text()).not.toMatch(leaks);
  });

  it('the dashboard answers a 503 page with Retry-After', async () => {
    const response = await fetch(`${outage.url}/`, { headers: { cookie: 'rollcall_session=abc', accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const text = await response.text();
    expect(text).toContain('Try again in a moment');
    expect(text).not.toMatch(leaks);
  });

  it('/healthz and /readyz answer 503 database down', async () => {
    const health = await fetch(`${outage.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', database: 'down' });
    const ready = await fetch(`${outage.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ database: 'down' });
  });
});
