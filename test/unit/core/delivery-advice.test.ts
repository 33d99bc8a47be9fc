import { describe, expect, it } from 'vitest';
import { adviseUndelivered, firstNameOf, outboxPurposeWords, type UndeliveredInput } from '../../../src/core/delivery-advice.js';

const casey = (reason: string, more: Partial<UndeliveredInput> = {}): string =>
  adviseUndelivered({ what: 'participant_message', platform: null, reason, participantName: 'Casey Morgan, Jr.', ...more });
const alertFor = (platform: string, reason: string): string => adviseUndelivered({ what: 'alert', platform, reason, participantName: 'Casey Morgan, Jr.' });

/** Every code or platform error a row can hold: none may reach the page as it is. */
const EVERY_REASON: [UndeliveredInput['what'], string | null, string | null][] = [
  ['participant_message', null, 'no_chat_identity'],
  ['participant_message', null, 'chat_disabled'],
  ['participant_message', null, 'no_sms_consent'],
  ['participant_message', 'sms', 'no SMS consent'],
  ['participant_message', 'sms', 'carrier rejected'],
  ['participant_message', 'sms', 'carrier rejected (error 30007)'],
  ['participant_message', 'sms', 'recipient unsubscribed (STOP)'],
  ['participant_message', 'sms', 'invalid phone number'],
  ['participant_message', 'sms', 'not a mobile number'],
  ['participant_message', 'sms', 'twilio refused the message (400, error 21408)'],
  ['participant_message', 'sms', 'twilio rate limit (429)'],
  ['participant_message', 'sms', 'twilio error (503)'],
  ['participant_message', 'sms', 'twilio unreachable: TimeoutError'],
  ['participant_message', 'sms', 'held for quiet hours'],
  ['participant_message', 'teams', 'no messenger for the platform'],
  ['participant_message', 'teams', 'teams: no chat module is attached for this platform'],
  ['participant_message', 'teams', 'interrupted during a send that may have reached the participant; not repeated'],
  ['participant_message', 'teams', 'teams: no personal chat with this participant yet (Rollcall must be installed for them)'],
  ['participant_message', 'teams', 'teams post: forbidden (bot blocked, removed or not in the roster)'],
  ['alert', 'teams', 'teams post: forbidden (bot blocked, removed or not in the roster)'],
  ['alert', 'teams', 'teams update: conversation or message not found'],
  ['participant_message', 'teams', 'teams post: conversation or message not found'],
  ['alert', 'teams', 'teams post: not authorized (check MICROSOFT_APP_ID/PASSWORD)'],
  ['alert', 'teams', 'teams: Teams is not configured (MICROSOFT_APP_ID is not set)'],
  ['alert', 'teams', 'teams: the stored serviceUrl is not a loopback address (ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS)'],
  ['alert', 'teams', 'teams: the bot is not (or no longer) installed in this channel; add Rollcall to it again'],
  ['alert', 'teams', 'teams post: HTTP 400'],
  ...['channel_not_found', 'not_in_channel', 'is_archived', 'channel_is_archived', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope', 'restricted_action', 'ekm_access_denied', 'msg_too_long', 'no_text', 'invalid_blocks', 'invalid_blocks_format', 'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large', 'invalid_arguments', 'message_not_found', 'cant_update_message', 'edit_window_closed'].map(
    (code): [UndeliveredInput['what'], string, string] => ['alert', 'slack', `slack chat.postMessage: ${code}`],
  ),
  ['alert', 'slack', 'slack: no installation (bot token) for this channel’s workspace'],
  ['participant_message', 'slack', 'slack is not installed for this organization'],
  ['participant_message', 'slack', 'slack opened no DM channel'],
  ['alert', 'slack', 'slack chat.postMessage: HTTP 400'],
  ['alert', 'zoom', 'zoom app deauthorized'],
  ['alert', 'zoom', 'zoom: the app is not installed for this organization'],
  ['alert', 'zoom', 'zoom POST /im/chat/messages: HTTP 400 (code 7001)'],
  ['participant_message', 'zoom', 'zoom POST /im/chat/messages: HTTP 404'],
  ['alert', 'slack', 'something nobody has seen before'],
  ['participant_message', null, 'something_nobody_has_seen'],
  ['participant_message', null, null],
];

describe('adviseUndelivered', () => {
  it.each(EVERY_REASON)('says what to do for a %s on %s that failed with %j, in words', (what, platform, reason) => {
    const advice = adviseUndelivered({ what, platform, reason, participantName: 'Casey Morgan, Jr.', chatPlatforms: ['teams', 'zoom'] });
    expect(advice).toMatch(/^[A-Z].+[.]$/);
    // Never the code itself, nor any snake_case word or platform variable.
    expect(advice).not.toMatch(/[a-z]+_[a-z]+|[A-Z]{2,}_[A-Z]+|HTTP|\(\d{3}\)/);
    if (reason && /[_:(]/.test(reason)) expect(advice).not.toContain(reason);
  });

  it('names the person and what to add', () => {
    expect(casey('no_chat_identity', { chatPlatforms: ['teams'] })).toBe('Casey has no chat account Rollcall can write to: add their Teams account or phone number on their page.');
    expect(casey('no_chat_identity', { chatPlatforms: ['teams', 'zoom', 'slack'] })).toContain('add their Teams, Zoom or Slack account or phone number');
    expect(casey('no_chat_identity', { chatPlatforms: [] })).toContain('add their phone number');
    expect(casey('no_sms_consent')).toBe('Casey has not agreed to text messages: record their consent on their page, or reach them another way.');
    expect(casey('chat_disabled', { disabledPlatforms: ['slack'] })).toBe('Participant chat is off for Slack in this clinic: turn it on under Settings, or add Casey’s phone number.');
  });

  it('says why a carrier rejected a text when Twilio gave a known code', () => {
    expect(casey('carrier rejected (error 30006)', { platform: 'sms' })).toBe('The carrier rejected the text to Casey’s phone (it is a landline): check the number with them, or call them.');
    expect(casey('carrier rejected (error 99999)', { platform: 'sms' })).toBe('The carrier rejected the text to Casey’s phone: check the number with them, or call them.');
  });

  it('tells alerts from messages', () => {
    expect(alertFor('teams', 'teams post: forbidden (bot blocked, removed or not in the roster)')).toContain('Add it to the channel again');
    expect(alertFor('slack', 'slack chat.postMessage: not_in_channel')).toBe('Rollcall is not in the Slack channel: invite it to the channel again.');
    expect(alertFor('slack', 'who knows')).toBe('Rollcall could not post this alert in Slack: check that Rollcall is still in the program’s alert channel.');
  });

  it('speaks of an unnamed participant in general words', () => {
    expect(adviseUndelivered({ what: 'participant_message', platform: null, reason: 'no_sms_consent', participantName: null })).toMatch(/^This participant has not agreed/);
    expect(firstNameOf('  Casey Morgan, Jr. ')).toBe('Casey');
    expect(firstNameOf('Lee, Dana')).toBe('Lee');
  });
});

describe('outboxPurposeWords', () => {
  it.each(['intake', 'reminder', 'weekly_progress', 'hours_at_risk', 'no_show_follow_up', 'tech_help', 'offer_makeup', 'send_checkin', 'future_purpose'])('names %s in words', (purpose) => {
    expect(outboxPurposeWords(purpose)).toMatch(/^[A-Z][a-z -]+$/);
  });
});
