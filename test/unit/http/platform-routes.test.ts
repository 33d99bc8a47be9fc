import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/http/app.js';
import { mountPlatformRoutes } from '../../../src/http/platform-routes.js';
import { createLogger } from '../../../src/logger.js';
import type { PlainRequest } from '../../../src/platforms/module.js';

const seen: Omit<PlainRequest, 'log'>[] = [];
let url: string;
let close: () => void;

beforeAll(async () => {
  const sdkRouter = express.Router().post('/hook', (req, res) => void res.json({ by: 'sdk', raw: (req as unknown as { rawBody: Buffer }).rawBody.toString() }));
  const app = createHttpApp({
    log: createLogger('silent'),
    isReady: () => true,
    isDatabaseUp: async () => true,
    mount: (app) =>
      mountPlatformRoutes(app, [
        {
          capabilities: {
            routes: [
              {
                method: 'POST',
                path: '/hook',
                bodyLimit: '1kb',
                handler: async ({ rawBody, headers, query }) => {
                  seen.push({ rawBody, headers, query });
                  if (query.pass) return null;
                  if (query.fail) throw new Error('secret internals');
                  if (query.text) return { status: 202, headers: { 'x-kind': 'text' }, body: 'plain' };
                  if (query.empty) return { status: 204 };
                  return { status: 200, body: { bytes: rawBody.length } };
                },
              },
            ],
            sdkRouter,
          },
        },
      ]),
  });
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

const post = (query: string, body = '{"a": 1}') => fetch(`${url}/hook${query}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': 'v0=abc' }, body });

describe('plain platform routes on express', () => {
  it('hands the handler the exact bytes, the headers and the query, and sends its JSON answer', async () => {
    const response = await post('?x=1');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 8 });
    const request = seen.at(-1)!;
    expect(request.rawBody.toString()).toBe('{"a": 1}');
    expect(request.headers['x-signature']).toBe('v0=abc');
    expect(request.query).toEqual({ x: '1' });
  });

  it('sends text as it is with the headers given, and no body when there is none', async () => {
    const text = await post('?text=1');
    expect([text.status, text.headers.get('x-kind'), await text.text()]).toEqual([202, 'text', 'plain']);
    const empty = await post('?empty=1');
    expect([empty.status, await empty.text()]).toEqual([204, '']);
  });

  it('passes a request the handler declines to the SDK router behind it, raw body kept', async () => {
    const response = await post('?pass=1');
    expect(await response.json()).toEqual({ by: 'sdk', raw: '{"a": 1}' });
  });

  it('answers a handler failure with a generic 500, and a body over the limit with 413', async () => {
    const failed = await post('?fail=1');
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain('secret internals');
    const large = await post('', JSON.stringify({ a: 'x'.repeat(2000) }));
    expect(large.status).toBe(413);
  });
});
