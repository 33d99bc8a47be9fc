import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayOptionsFrom } from '../../../scripts/replay.js';
import { prepareDelivery, signDelivery } from '../../../scripts/replay-payload.js';
import { verifyZoomSignature } from '../../../src/platforms/zoom/verify.js';
import { isSignedBySlack } from '../../../src/platforms/slack/verify.js';
import zoomJoin from '../../fixtures/zoom/participant-joined.json' with { type: 'json' };
import slackHuddle from '../../fixtures/slack/event-user-huddle-changed.json' with { type: 'json' };
import teamsJoin from '../../fixtures/teams/meeting-participant-join.json' with { type: 'json' };

describe('replay payloads', () => {
  it('moves a Zoom join to another time and meeting, and signs it as Zoom would', () => {
    const at = new Date('2030-01-02T03:04:05.678Z');
    const delivery = prepareDelivery(zoomJoin, { at, meetingId: '123' });
    expect(delivery).toMatchObject({ platform: 'zoom', route: '/zoom/webhook', event: 'meeting.participant_joined', occurredAt: new Date('2030-01-02T03:04:05Z') });
    const body = JSON.parse(delivery.rawBody);
    expect(body.payload.object).toMatchObject({ id: '123', participant: { join_time: '2030-01-02T03:04:05Z' } });
    const nowMs = Date.now();
    const headers = signDelivery(delivery, { zoomSecret: 's3cret' }, nowMs);
    expect(verifyZoomSignature({ rawBody: Buffer.from(delivery.rawBody), signature: headers['x-zm-signature'], timestamp: headers['x-zm-request-timestamp'], secrets: ['s3cret'], nowMs })).toMatchObject({ ok: true });
  });

  it('keeps a payload as saved without options, and reads its own time', () => {
    const delivery = prepareDelivery(zoomJoin);
    expect(JSON.parse(delivery.rawBody)).toEqual(zoomJoin);
    expect(delivery.occurredAt).toEqual(new Date('2026-12-01T23:02:14Z'));
  });

  it('sends a Slack event to /slack/events signed with the signing secret, and a Teams activity unsigned', () => {
    const slack = prepareDelivery(slackHuddle);
    expect(slack).toMatchObject({ platform: 'slack', route: '/slack/events', event: 'user_huddle_changed' });
    const nowMs = Date.now();
    const headers = signDelivery(slack, { slackSigningSecret: 'slack-secret' }, nowMs);
    expect(isSignedBySlack({ rawBody: slack.rawBody, signature: headers['x-slack-signature'], timestamp: headers['x-slack-request-timestamp'], signingSecret: 'slack-secret', nowMs })).toBe(true);
    const teams = prepareDelivery(teamsJoin);
    expect(teams).toMatchObject({ platform: 'teams', route: '/api/messages' });
    expect(signDelivery(teams, {})).toEqual({ 'content-type': 'application/json' });
  });

  it('names the variable to set when a secret is missing, and refuses what it does not know', () => {
    expect(() => signDelivery(prepareDelivery(zoomJoin), {})).toThrow(/ZOOM_WEBHOOK_SECRET_TOKEN/);
    expect(() => signDelivery(prepareDelivery(slackHuddle), {})).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => prepareDelivery({ hello: 'world' })).toThrow(/not a payload replay knows/);
  });
});

describe('replay options', () => {
  it('reads the admin token from DATA_DIR/secrets.json when ADMIN_TOKEN is not set, and the first Zoom secret of the rotation list', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rollcall-replay-'));
    writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ adminToken: 'from-the-secrets-file-0123' }));
    const options = replayOptionsFrom(['join.json', '--at', 'now', '--meeting', '42'], { DATA_DIR: dataDir, PORT: '4100', ZOOM_WEBHOOK_SECRET_TOKEN: 'new, old' });
    expect(options).toMatchObject({ file: 'join.json', url: 'http://127.0.0.1:4100', adminToken: 'from-the-secrets-file-0123', secrets: { zoomSecret: 'new' }, meetingId: '42' });
    expect(options.at).toBeInstanceOf(Date);
    expect(replayOptionsFrom(['x.json', '--url', 'http://rollcall.test/'], { ADMIN_TOKEN: 'env-token-0123456789' })).toMatchObject({ url: 'http://rollcall.test', adminToken: 'env-token-0123456789' });
  });

  it('says what is missing', () => {
    expect(() => replayOptionsFrom([], { ADMIN_TOKEN: 't' })).toThrow(/usage: npm run replay/);
    expect(() => replayOptionsFrom(['x.json'], { DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'rollcall-replay-')) })).toThrow(/set ADMIN_TOKEN/);
    expect(() => replayOptionsFrom(['x.json', '--at', 'yesterday'], { ADMIN_TOKEN: 't' })).toThrow(/not a time/);
  });
});
