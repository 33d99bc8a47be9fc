import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAlertMessage, type AlertKind, type AlertMessageInput } from '../../src/core/alert-message.js';
import { createLogger } from '../../src/logger.js';
import { createSlackNotifier, type SlackNotifierOptions } from '../../src/platforms/slack/notify.js';
import { DeliveryError, type ChannelRef } from '../../src/services/notifier.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';

const TOKEN = 'xoxb-fake-org1';
const CHANNEL: ChannelRef = { organizationId: 'org1', platform: 'slack', channelId: 'C0ALERTS' };
const OTHER_CHANNEL: ChannelRef = { ...CHANNEL, channelId: 'C0OTHER' };
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

function alert(kind: AlertKind, over: Partial<AlertMessageInput> = {}) {
  return buildAlertMessage({ kind, state: 'active', participantLabel: 'Jordan A.', sessionLabel: 'Adult IOP – Evening, Mon 2 Mar 18:00', alertId: 'alert-1', sessionId: 'session-1', participantId: 'participant-1', ...over });
}

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
});

function notifier(over: Partial<SlackNotifierOptions> = {}) {
  return createSlackNotifier({
    tokenFor: async (channel) => (channel.organizationId === 'org1' ? TOKEN : null),
    apiUrl: slack.url,
    log,
    minIntervalMs: 0,
    ...over,
  });
}

const callsTo = (method: string) => slack.calls.filter((c) => c.method === method);

describe('Slack notifier against a fake Slack over HTTP', () => {
  it('posts Block Kit with the fallback text and metadata, and returns the ts', async () => {
    const message = alert('not_joined', { participantLabel: '<!channel> Jo & Co' });
    const { messageId } = await notifier().post(CHANNEL, message);

    const [call] = callsTo('chat.postMessage');
    expect(call?.token).toBe(TOKEN);
    expect(call?.body).toMatchObject({
      channel: 'C0ALERTS',
      text: 'Not joined: &lt;!channel&gt; Jo &amp; Co · Adult IOP – Evening, Mon 2 Mar 18:00',
      unfurl_links: 'false',
      metadata: { event_type: 'rollcall_alert', event_payload: { kind: 'not_joined', sessionId: 'session-1', participantId: 'participant-1', alertId: 'alert-1' } },
    });
    expect(call?.body.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'actions' })]));
    expect(JSON.stringify(call?.body.blocks)).not.toContain('<!channel>');
    expect(slack.messages('C0ALERTS').map((m) => m.ts)).toEqual([messageId]);
    expect(messageId).toMatch(/^\d+\.\d{6}$/);
  });

  it('updates the same message with chat.update', async () => {
    const slackNotifier = notifier();
    const { messageId } = await slackNotifier.post(CHANNEL, alert('not_joined'));
    await slackNotifier.update(CHANNEL, messageId, alert('not_joined', { state: 'resolved', detail: { resolution: 'arrived' } }));

    const [call] = callsTo('chat.update');
    expect(call?.body).toMatchObject({ channel: 'C0ALERTS', ts: messageId, metadata: { event_type: 'rollcall_alert' } });
    const [stored] = slack.messages('C0ALERTS');
    expect(stored?.ts).toBe(messageId);
    expect(stored?.text).toContain('resolved: arrived');
    expect(JSON.stringify(stored?.blocks)).not.toContain('"actions"');
    expect(callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('a 429 becomes a retryable DeliveryError carrying Retry-After, with no retry inside the client', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 3 });
    const error = await notifier().post(CHANNEL, alert('late_join')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 3 });
    expect(callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.messages('C0ALERTS')).toHaveLength(0);
  });

  it('a 500 is retryable; the retry looks for an earlier post, finds none, and posts once', async () => {
    const slackNotifier = notifier();
    slack.failNext('chat.postMessage', { status: 500 });
    const error = await slackNotifier.post(CHANNEL, alert('late_join')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: undefined });
    expect(callsTo('chat.postMessage')).toHaveLength(1);

    const { messageId } = await slackNotifier.post(CHANNEL, alert('late_join'));
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'conversations.history', 'chat.postMessage']);
    expect(slack.messages('C0ALERTS').map((m) => m.ts)).toEqual([messageId]);
  });

  it('channel_not_found is permanent', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const error = await notifier().post(CHANNEL, alert('late_join')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: false, message: 'slack chat.postMessage: channel_not_found' });
  });

  it('an update of a deleted message is permanent', async () => {
    const error = await notifier().update(CHANNEL, '1700000000.000001', alert('late_join')).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, message: 'slack chat.update: message_not_found' });
  });

  it('no token for the workspace is permanent, and calls nothing', async () => {
    const error = await notifier().post({ ...CHANNEL, organizationId: 'org-without-slack' }, alert('late_join')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: false });
    expect(slack.calls).toHaveLength(0);
  });

  it('serializes calls to one channel: the second starts after the first was answered; other channels do not wait', async () => {
    const slackNotifier = notifier();
    slack.failNext('chat.postMessage', { delayMs: 300 });
    const results = await Promise.all([
      slackNotifier.post(CHANNEL, alert('late_join', { alertId: 'first' })),
      slackNotifier.post(CHANNEL, alert('late_join', { alertId: 'second' })),
      slackNotifier.post(OTHER_CHANNEL, alert('late_join', { alertId: 'elsewhere' })),
    ]);
    const byAlert = (id: string) => slack.calls.find((c) => (c.body.metadata as { event_payload: { alertId: string } }).event_payload.alertId === id)!;
    const [first, second, elsewhere] = [byAlert('first'), byAlert('second'), byAlert('elsewhere')];
    expect(second.receivedAt).toBeGreaterThanOrEqual(first.answeredAt!);
    expect(elsewhere.receivedAt).toBeLessThan(first.answeredAt!);
    expect(slack.messages('C0ALERTS').map((m) => m.ts)).toEqual([results[0].messageId, results[1].messageId]);
  });

  it('spaces calls to one channel at least minIntervalMs apart', async () => {
    const slackNotifier = notifier({ minIntervalMs: 600 });
    await Promise.all([slackNotifier.post(CHANNEL, alert('late_join', { alertId: 'a' })), slackNotifier.post(CHANNEL, alert('late_join', { alertId: 'b' }))]);
    const [a, b] = callsTo('chat.postMessage');
    // The lane spaces the calls' starts; the fake sees their arrivals, and the first call's own way
    // there (a new connection on a loaded machine) took 20 ms and more in CI. Unspaced, they arrive together.
    expect(b!.receivedAt - a!.receivedAt).toBeGreaterThanOrEqual(450);
  });

  it('after a post that timed out (Slack posted anyway), posting the same alert again adopts the first message', async () => {
    const slackNotifier = notifier({ timeoutMs: 150 });
    slack.failNext('chat.postMessage', { delayMs: 1000 });
    const error = await slackNotifier.post(CHANNEL, alert('no_show')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, message: 'slack chat.postMessage: timed out' });
    expect(slack.messages('C0ALERTS')).toHaveLength(1);

    const { messageId } = await slackNotifier.post(CHANNEL, alert('no_show'));
    expect(messageId).toBe(slack.messages('C0ALERTS')[0]?.ts);
    expect(callsTo('chat.postMessage')).toHaveLength(1);
    const [history] = callsTo('conversations.history');
    expect(history?.body).toMatchObject({ channel: 'C0ALERTS', limit: '100', include_all_metadata: 'true' });
    expect(Number(history?.body.oldest)).toBeGreaterThan(Date.now() / 1000 - 24 * 3600 - 60);
  });

  it('only the timed-out alert is looked up: another alert posts straight away', async () => {
    const slackNotifier = notifier({ timeoutMs: 150 });
    slack.failNext('chat.postMessage', { delayMs: 1000 });
    await slackNotifier.post(CHANNEL, alert('no_show', { alertId: 'slow' })).catch(() => undefined);
    await slackNotifier.post(CHANNEL, alert('no_show', { alertId: 'fresh' }));
    expect(callsTo('conversations.history')).toHaveLength(0);
  });

  it('with the caller’s hint, another instance (empty memory) also finds the earlier post', async () => {
    const { messageId } = await notifier().post(CHANNEL, alert('strike'));
    const restarted = notifier();
    const again = await restarted.post(CHANNEL, alert('strike'), { mayHaveBeenPosted: true });
    expect(again.messageId).toBe(messageId);
    expect(callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('when the history cannot be read (missing scope), it posts rather than lose the alert', async () => {
    slack.failNext('conversations.history', { error: 'missing_scope' });
    const { messageId } = await notifier().post(CHANNEL, alert('strike'), { mayHaveBeenPosted: true });
    expect(slack.messages('C0ALERTS').map((m) => m.ts)).toEqual([messageId]);
  });

  it('when the history lookup is rate limited, it does not post and asks to wait', async () => {
    slack.failNext('conversations.history', { status: 429, retryAfter: 20 });
    const error = await notifier().post(CHANNEL, alert('strike'), { mayHaveBeenPosted: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 20 });
    expect(callsTo('chat.postMessage')).toHaveLength(0);
  });
});
