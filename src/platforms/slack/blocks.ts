import type { types } from '@slack/bolt';
import type { AlertActionId, AlertKind, AlertMessage } from '../../core/alert-message.js';

type KnownBlock = types.KnownBlock;
type MrkdwnElement = types.MrkdwnElement;

/** `metadata.event_type` of every alert message we post: how we find our own messages again. */
export const ALERT_EVENT_TYPE = 'rollcall_alert';
/** Button `action_id`s are `rollcall:<action id>`; the interactivity handler strips this prefix. */
export const ACTION_ID_PREFIX = 'rollcall:';

/** What a button carries back in its `value` (kept short: Slack allows 2,000 characters). */
export interface AlertActionValue {
  alertId: string;
  kind: AlertKind;
  sessionId: string | null;
  participantId: string | null;
}

/** `chat.postMessage` / `chat.update` message metadata. Null ids are left out: payload values must be scalars. */
export interface AlertMessageMetadata {
  event_type: typeof ALERT_EVENT_TYPE;
  event_payload: { kind: AlertKind; alertId: string; sessionId?: string; participantId?: string };
}

export interface SlackAlertPayload {
  /** Notification and screen-reader fallback: the kind label comes first. Escaped, since it is mrkdwn too. */
  text: string;
  blocks: KnownBlock[];
  metadata: AlertMessageMetadata;
}

// Slack's limits: section text 3,000 characters, a field 2,000, at most 10 fields a section.
const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;
const FIELDS_PER_SECTION = 10;
const HEADER_TEXT_MAX = 150;

const MARKERS: Record<AlertMessage['severity'], string> = {
  urgent: ':rotating_light:',
  warning: ':warning:',
  info: '',
};

/**
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters (`<!channel>`, `<@U123>`, links):
 * anything typed by a person (display names above all) must have them escaped, or a guest named
 * `<!channel>` pings the whole channel. Only these three: Slack decodes no other entities.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped text to `max` characters without leaving half an entity behind. */
function clip(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

/**
 * `verbatim: true` stops Slack's automatic parsing of the plain content (bare `@channel`,
 * `#channel` names, URLs); escaping above stops the manual `<...>` syntax.
 */
function mrkdwn(text: string, max = SECTION_TEXT_MAX): MrkdwnElement {
  return { type: 'mrkdwn', text: clip(text, max), verbatim: true };
}

export function encodeActionValue(message: AlertMessage): string {
  const value: AlertActionValue = {
    alertId: message.alertId,
    kind: message.metadata.kind,
    sessionId: message.metadata.sessionId,
    participantId: message.metadata.participantId,
  };
  return JSON.stringify(value);
}

/** Reads a button's `value` back; null when it is not one of ours (or was tampered with). */
export function parseActionValue(value: string | undefined): AlertActionValue | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const idOrNull = (v: unknown) => v === null || typeof v === 'string';
    if (typeof parsed.alertId !== 'string' || typeof parsed.kind !== 'string') return null;
    if (!idOrNull(parsed.sessionId) || !idOrNull(parsed.participantId)) return null;
    return parsed as unknown as AlertActionValue;
  } catch {
    return null;
  }
}

/** `rollcall:excuse` → `excuse`; null for anyone else's action id. */
export function alertActionIdOf(actionId: string): AlertActionId | null {
  return actionId.startsWith(ACTION_ID_PREFIX) ? (actionId.slice(ACTION_ID_PREFIX.length) as AlertActionId) : null;
}

/**
 * Block Kit for one alert. Every text that comes from data (title, lines, field values) is
 * escaped; labels written in our code are too, so nothing depends on remembering which is which.
 */
export function renderAlertBlocks(message: AlertMessage): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (message.severity === 'urgent') {
    // The label is ours, never data: safe as plain text, and a header is hard to miss.
    blocks.push({ type: 'header', text: { type: 'plain_text', text: `🚨 Urgent: ${message.label}`.slice(0, HEADER_TEXT_MAX), emoji: true } });
  }
  const marker = message.state === 'resolved' ? ':white_check_mark:' : MARKERS[message.severity];
  blocks.push({ type: 'section', text: mrkdwn(`${marker ? `${marker} ` : ''}*${escapeMrkdwn(message.title)}*`) });
  if (message.lines.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(message.lines.map(escapeMrkdwn).join('\n')) });
  }
  for (let i = 0; i < message.fields.length; i += FIELDS_PER_SECTION) {
    const fields = message.fields.slice(i, i + FIELDS_PER_SECTION).map((field) => mrkdwn(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, FIELD_TEXT_MAX));
    blocks.push({ type: 'section', fields });
  }
  if (message.actions.length > 0) {
    const value = encodeActionValue(message);
    blocks.push({
      type: 'actions',
      elements: message.actions.map((action) => ({
        type: 'button' as const,
        action_id: `${ACTION_ID_PREFIX}${action.id}`,
        text: { type: 'plain_text' as const, text: action.label, emoji: true },
        value,
        ...(action.style ? { style: action.style } : {}),
      })),
    });
  }
  return blocks;
}

export function renderAlertMetadata(message: AlertMessage): AlertMessageMetadata {
  const { kind, sessionId, participantId } = message.metadata;
  return {
    event_type: ALERT_EVENT_TYPE,
    event_payload: { kind, alertId: message.alertId, ...(sessionId ? { sessionId } : {}), ...(participantId ? { participantId } : {}) },
  };
}

/** Everything `chat.postMessage` / `chat.update` need besides the channel (and ts). */
export function renderAlertPayload(message: AlertMessage): SlackAlertPayload {
  return { text: clip(escapeMrkdwn(message.text), SECTION_TEXT_MAX), blocks: renderAlertBlocks(message), metadata: renderAlertMetadata(message) };
}
