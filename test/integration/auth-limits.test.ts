import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

// The app trusts X-Forwarded-For from loopback (a proxy in front), so each test speaks from an address of its own.
let one: TestApp;
let two: TestApp;
beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  // Two instances on one database: the counts are shared, as they are behind a load balancer.
  one = await startTestApp({ databaseUrl, authLimits: { all: { failures: 60, windowSeconds: 60 } } });
  two = await startTestApp({ databaseUrl, authLimits: { all: { failures: 60, windowSeconds: 60 } } });
});
afterAll(async () => {
  await one?.stop();
  await two?.stop();
});

const bearer = (app: TestApp, address: string, token: string) =>
  fetch(`${app.url}/api/v1/programs`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address } });

async function signInForm(app: TestApp, address: string) {
  const form = await fetch(`${app.url}/sign-in`, { headers: { 'x-forwarded-for': address } });
  const cookie = form.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  return (token: string) =>
    fetch(`${app.url}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': address },
      body: new URLSearchParams({ _csrf: csrf, token, next: '/' }),
    });
}

describe('wrong bearer tokens', () => {
  it('answer 401 ten times a minute per address, then 429 with Retry-After, across instances', async () => {
    const address = '203.0.113.10';
    for (let i = 0; i < 10; i++) expect((await bearer(i % 2 ? one : two, address, `wrong-token-${i}-abcdefgh`)).status).toBe(401);
    const limited = await bearer(one, address, 'wrong-token-11-abcdefgh');
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
    // Past the limit the address learns nothing, not even that a guess was right.
    expect((await bearer(two, address, TEST_ADMIN_TOKEN)).status).toBe(429);
    // Another address is not held back by this one.
    expect((await bearer(two, '203.0.113.11', 'wrong-token-x-abcdefgh')).status).toBe(401);
    expect((await bearer(one, '203.0.113.11', TEST_ADMIN_TOKEN)).status).toBe(200);
  });

  it('count only failures: a success ends the run', async () => {
    const address = '203.0.113.20';
    for (let i = 0; i < 9; i++) expect((await bearer(one, address, `wrong-token-${i}-abcdefgh`)).status).toBe(401);
    expect((await bearer(one, address, TEST_ADMIN_TOKEN)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await bearer(two, address, `wrong-token-${i}-abcdefgh`)).status).toBe(401);
    for (let i = 0; i < 15; i++) expect((await bearer(one, address, TEST_ADMIN_TOKEN)).status).toBe(200);
  });
});

describe('wrong dashboard sign-ins', () => {
  it('answer 401 ten times a minute per address, then 429 with Retry-After, and sign nobody in', async () => {
    const address = '203.0.113.30';
    const post = await signInForm(one, address);
    for (let i = 0; i < 10; i++) expect((await post(`wrong-token-${i}-abcdefgh`)).status).toBe(401);
    const limited = await post(TEST_ADMIN_TOKEN);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.text()).toContain('Too many failed sign-ins');
    expect(await one.database.prisma.staffSignIn.count()).toBe(0);
    // The bearer API shares the count: the same credential behind another door.
    expect((await bearer(two, address, TEST_ADMIN_TOKEN)).status).toBe(429);
    expect((await (await signInForm(two, '203.0.113.31'))(TEST_ADMIN_TOKEN)).status).toBe(303);
  });
});

describe('an attack spread over many addresses', () => {
  it('holds back new addresses once failures from everywhere pass the limit, never the clinic’s own', async () => {
    const clinic = '198.51.100.7';
    expect((await bearer(one, clinic, TEST_ADMIN_TOKEN)).status).toBe(200);
    // The earlier tests' failures count too; fill up to the all-address limit of 60 from fresh addresses, 9 each.
    const counted = await one.database.prisma.authFailureCount.findFirst({ where: { key: 'auth-all:all' } });
    let remaining = 60 - (counted?.points ?? 0);
    for (let n = 0; remaining > 0; n++) {
      for (let i = 0; i < 9 && remaining > 0; i++, remaining--) expect((await bearer(n % 2 ? one : two, `192.0.2.${n + 1}`, `spray-${n}-${i}-abcdefgh`)).status).toBe(401);
    }
    const stranger = await bearer(one, '192.0.2.200', TEST_ADMIN_TOKEN);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await bearer(two, clinic, TEST_ADMIN_TOKEN)).status).toBe(200);
    // Counts are keyed by address, never by anything a person typed.
    const keys = (await one.database.prisma.authFailureCount.findMany({ select: { key: true } })).map((row) => row.key);
    expect(keys.every((key) => /^auth-(address|all|known):[\d.:a-f]+$|^auth-all:all$/.test(key))).toBe(true);
  });
});
