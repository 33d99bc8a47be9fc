/**
 * What staff should do about a message Rollcall could not deliver, in a sentence with the person's
 * name. The stored reason is a code or a platform's error (participant-outbox.ts SkipReason, the
 * platforms' DeliveryError messages, Twilio's status callbacks); no page shows it raw.
 */

export interface UndeliveredInput {
  what: 'alert' | 'participant_message';
  platform: string | null;
  reason: string | null;
  /** The participant's full name; the sentence uses their first name. */
  participantName: string | null;
  /** For `chat_disabled`: the participant's platforms on which this clinic has participant chat off. */
  disabledPlatforms?: string[];
  /** Platforms on which this clinic allows participant chat (not SMS): what to suggest adding. */
  chatPlatforms?: string[];
}

const PLATFORM_WORDS: Record<string, string> = { slack: 'Slack', teams: 'Teams', zoom: 'Zoom', sms: 'text messages' };

const platformWords = (platform: string | null | undefined) => (platform ? (PLATFORM_WORDS[platform] ?? 'the chat platform') : 'the chat platform');

/** "Casey Morgan, Jr." → "Casey". */
export function firstNameOf(name: string | null): string | null {
  const first = name?.trim().split(/\s+/)[0]?.replace(/[,;.]+$/, '');
  return first ? first : null;
}

/** "Slack", "Slack or Teams", "Slack, Teams or Zoom". */
function orList(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Why Twilio would not carry a text, by its error code (Twilio's error dictionary, 3000x). */
const CARRIER_WHY: Record<string, string> = {
  '30003': 'the phone was off or out of reach',
  '30004': 'the number blocks texts',
  '30005': 'the number does not exist',
  '30006': 'it is a landline',
  '30007': 'the carrier took it for spam',
  '30008': 'for a reason the carrier did not give',
};

const SLACK_GONE = ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'];
const SLACK_NOT_ALLOWED = ['no_permission', 'missing_scope', 'restricted_action', 'ekm_access_denied'];
const SLACK_FORMAT = ['msg_too_long', 'no_text', 'invalid_blocks', 'invalid_blocks_format', 'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large', 'invalid_arguments'];
const SLACK_EDIT = ['message_not_found', 'cant_update_message', 'edit_window_closed'];

/** The sentence for one undelivered alert or participant message; never the raw code. */
export function adviseUndelivered(input: UndeliveredInput): string {
  const reason = (input.reason ?? '').trim();
  const lower = reason.toLowerCase();
  const first = firstNameOf(input.participantName);
  const who = first ?? 'This participant';
  const whom = first ?? 'this participant';
  const theirs = first ? `${first}’s` : 'their';
  const platform = platformWords(input.platform);
  const alert = input.what === 'alert';
  const slackCode = /^slack [\w.]+: ([a-z_]+)$/.exec(reason)?.[1];

  // The outbox's own reasons for not sending (SkipReason).
  if (reason === 'no_chat_identity') {
    const chats = (input.chatPlatforms ?? []).filter((p) => p !== 'sms').map((p) => `${PLATFORM_WORDS[p] ?? p}`);
    const add = chats.length > 0 ? `add their ${orList(chats)} account or phone number` : 'add their phone number';
    return `${who} has no chat account Rollcall can write to: ${add} on their page.`;
  }
  if (reason === 'chat_disabled') {
    const off = (input.disabledPlatforms ?? []).map((p) => PLATFORM_WORDS[p] ?? p);
    const where = off.length > 0 ? `for ${orList(off)}` : 'on the chat they use';
    return `Participant chat is off ${where} in this clinic: turn it on under Settings, or add ${theirs} phone number.`;
  }
  if (reason === 'no_sms_consent' || lower === 'no sms consent') {
    return `${who} has not agreed to text messages: record their consent on their page, or reach them another way.`;
  }

  // Text messages (Twilio): status callbacks and the Messages API's answers.
  const carrier = /^carrier rejected(?: \(error (\d+)\))?/.exec(lower);
  if (carrier) {
    const why = carrier[1] ? CARRIER_WHY[carrier[1]] : undefined;
    return `The carrier rejected the text to ${theirs} phone${why ? ` (${why})` : ''}: check the number with them, or call them.`;
  }
  if (lower.startsWith('recipient unsubscribed')) return `${who} replied STOP to Rollcall’s texts: no texts go to them until they reply START.`;
  if (lower === 'invalid phone number') return `${theirs.charAt(0).toUpperCase()}${theirs.slice(1)} phone number is not a valid number: correct it on their page.`;
  if (lower === 'not a mobile number') return `${theirs.charAt(0).toUpperCase()}${theirs.slice(1)} phone number cannot take texts (not a mobile): add a mobile number or a chat account.`;
  if (lower.startsWith('twilio refused')) return `The text message service refused the message to ${whom}: check their phone number, or reach them another way.`;
  if (lower.startsWith('twilio')) return `The text message service did not take the message to ${whom} after repeated tries: reach them another way.`;
  if (lower === 'held for quiet hours') return `The text to ${whom} waited for quiet hours to end and was then given up: reach them another way if it still matters.`;

  // Rollcall's own delivery.
  if (lower.startsWith('interrupted during a send')) return `Rollcall was interrupted while sending to ${whom} and did not send again, so it may not have arrived: check with them.`;
  if (lower === 'no messenger for the platform' || lower.includes('no chat module is attached')) {
    return `Rollcall is no longer connected to ${platform}: connect it again under Settings, or reach ${whom} another way.`;
  }

  // Microsoft Teams (teams/connector.ts, notify.ts, participant-chat.ts).
  if (lower.startsWith('teams')) {
    if (lower.includes('no personal chat')) return `Rollcall has no Teams chat with ${whom} yet: your Teams admin can add Rollcall for them, or add their phone number.`;
    if (lower.includes('not (or no longer) installed in this channel')) return 'Rollcall is no longer in this Teams channel: add it to the channel again.';
    if (lower.includes('forbidden')) {
      return alert ? 'Teams refused the alert: Rollcall was removed from the channel or blocked. Add it to the channel again.' : `Teams refused the message: ${who} may have blocked or removed Rollcall. Reach them another way.`;
    }
    if (lower.includes('not found')) {
      return alert ? 'The Teams channel no longer exists: choose the program’s alert channel again in its settings.' : `The Teams chat with ${whom} no longer exists: reach them another way.`;
    }
    if (lower.includes('not authorized') || lower.includes('not configured') || lower.includes('loopback')) return 'Teams did not accept Rollcall’s sign-in: tell whoever runs Rollcall for your clinic.';
  }

  // Slack (slack/classify-slack-error.ts, notify.ts, participant-messages.ts).
  if (lower.startsWith('slack')) {
    if (slackCode === 'not_in_channel') return 'Rollcall is not in the Slack channel: invite it to the channel again.';
    if (slackCode && ['channel_not_found', 'is_archived', 'channel_is_archived'].includes(slackCode)) return 'The Slack channel is gone or archived: choose the program’s alert channel again in its settings.';
    if ((slackCode && SLACK_GONE.includes(slackCode)) || lower.includes('no installation') || lower.includes('not installed')) return 'Rollcall was removed from your Slack workspace: connect Slack again under Settings.';
    if (slackCode && SLACK_NOT_ALLOWED.includes(slackCode)) return 'Slack did not allow Rollcall to post there: ask your Slack admin to allow it, or connect Slack again under Settings.';
    if (slackCode && SLACK_FORMAT.includes(slackCode)) return 'Slack refused the message’s format: tell whoever runs Rollcall for your clinic.';
    if (slackCode && SLACK_EDIT.includes(slackCode)) return 'Slack no longer lets Rollcall change this alert (it was deleted or is too old). Nothing to do.';
    if (lower.includes('no dm channel')) return `Slack would not open a direct message with ${whom}: reach them another way.`;
  }

  // Zoom (zoom/notify.ts, deauthorize.ts, zoom-http.ts).
  if (lower.startsWith('zoom')) {
    if (lower.includes('deauthorized') || lower.includes('not installed')) return 'Rollcall was removed from your Zoom account: connect Zoom again under Settings.';
    return alert ? 'Zoom refused the alert: check that Rollcall is still in the program’s Zoom channel.' : `Zoom refused the message to ${whom}: reach them another way.`;
  }

  return alert
    ? `Rollcall could not post this alert in ${platform}: check that Rollcall is still in the program’s alert channel.`
    : `Rollcall could not deliver this message to ${whom}: reach them another way.`;
}

/** What a participant message was for, as staff would name it. */
const PURPOSE_WORDS: Record<string, string> = {
  intake: 'Welcome message',
  reminder: 'Session reminder',
  weekly_progress: 'Weekly progress',
  hours_at_risk: 'Hours at risk',
  no_show_follow_up: 'Message after a missed session',
  tech_help: 'Technical help',
  offer_makeup: 'Make-up offer',
  send_checkin: 'Check-in message',
};

export function outboxPurposeWords(purpose: string): string {
  return PURPOSE_WORDS[purpose] ?? 'Message';
}
