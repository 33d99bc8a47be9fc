import { z } from 'zod';
import { ALERT_KINDS, isAlertActionId, type AlertActionId, type AlertKind, type AlertMessage } from '../../core/alert-message.js';
import type { ParticipantMessage } from '../../core/participant-message.js';
import type { StaffActionOutcome } from '../../services/staff-actions.js';

/*
 * Zoom chatbot message content: `{head: {text, sub_head?}, body: [...]}` with body items `message`
 * (text), `fields` (key/value), `actions` (buttons: text, value, style) and `select`. Messages are
 * sent without `is_markdown_support`, so text people typed (display names) is shown as typed and
 * cannot format or mention anyone.
 */
export interface ZoomChatContent {
  head: { text: string; style?: { bold?: boolean; color?: string }; sub_head?: { text: string } };
  body: ZoomChatBodyItem[];
}

export type ZoomChatBodyItem =
  | { type: 'message'; text: string }
  | { type: 'fields'; items: { key: string; value: string; short?: boolean }[] }
  | { type: 'actions'; items: { text: string; value: string; style: 'Primary' | 'Danger' | 'Default' }[]; limit?: number }
  | { type: 'select'; text: string; select_items: { text: string; value: string }[] };

// Zoom's documented limits are loose; these keep a message well inside them.
const HEAD_MAX = 128;
const TEXT_MAX = 4000;
const BUTTONS_MAX = 8;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const styleOf = (style: 'primary' | 'danger' | undefined) => (style === 'primary' ? 'Primary' : style === 'danger' ? 'Danger' : 'Default');

/**
 * What a facilitator button carries back in `actionItem.value`: the action and the alert (and the
 * option picked, on a follow-up that asked to choose). Ids only; authority is checked again when pressed.
 */
export const staffActionValueSchema = z.object({
  action: z.string().refine(isAlertActionId),
  alertId: z.uuid(),
  kind: z.enum(ALERT_KINDS),
  sessionId: z.uuid().nullable(),
  participantId: z.uuid().nullable(),
  choice: z.string().max(100).optional(),
});
export type StaffActionValue = Omit<z.output<typeof staffActionValueSchema>, 'action'> & { action: AlertActionId };

export function encodeStaffValue(value: StaffActionValue): string {
  return JSON.stringify(value);
}

/** A button's value read back; null when it is not a facilitator action of ours. */
export function parseStaffValue(raw: unknown): StaffActionValue | null {
  if (typeof raw !== 'string' || !raw.startsWith('{')) return null;
  try {
    const parsed = staffActionValueSchema.safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as StaffActionValue) : null;
  } catch {
    return null;
  }
}

function valueOf(message: AlertMessage, action: AlertActionId): StaffActionValue {
  return { action, alertId: message.alertId, kind: message.metadata.kind as AlertKind, sessionId: message.metadata.sessionId, participantId: message.metadata.participantId };
}

/** One alert as chatbot content: the label in the head, the title, lines, fields, then the actions as buttons. */
export function renderAlertContent(message: AlertMessage): ZoomChatContent {
  const marker = message.state === 'resolved' ? '✅ ' : message.severity === 'urgent' ? '🚨 ' : message.severity === 'warning' ? '⚠️ ' : '';
  const body: ZoomChatBodyItem[] = [{ type: 'message', text: clip([message.title, ...message.lines].join('\n'), TEXT_MAX) }];
  if (message.fields.length > 0) body.push({ type: 'fields', items: message.fields.map((f) => ({ key: clip(f.label, 100), value: clip(f.value, 500), short: true })) });
  if (message.actions.length > 0) {
    body.push({
      type: 'actions',
      limit: BUTTONS_MAX,
      items: message.actions.slice(0, BUTTONS_MAX).map((a) => ({ text: a.label, value: encodeStaffValue(valueOf(message, a.id)), style: styleOf(a.style) })),
    });
  }
  return { head: { text: clip(`${marker}${message.label}`, HEAD_MAX), style: { bold: true }, sub_head: { text: clip(message.text, HEAD_MAX) } }, body };
}

/**
 * The follow-up to a `choose` outcome, shown only to the presser: the options as buttons (a select
 * when there are many), each value carrying the action, the alert and the choice.
 */
export function renderChoiceContent(base: StaffActionValue, outcome: Extract<StaffActionOutcome, { type: 'choose' }>): ZoomChatContent {
  const options = outcome.options.slice(0, 100).map((o) => ({ text: clip(o.label, 75), value: encodeStaffValue({ ...base, choice: o.value }) }));
  const body: ZoomChatBodyItem[] = [{ type: 'message', text: outcome.label }];
  if (options.length <= BUTTONS_MAX) body.push({ type: 'actions', limit: BUTTONS_MAX, items: options.map((o) => ({ ...o, style: 'Default' as const })) });
  else body.push({ type: 'select', text: outcome.label, select_items: options });
  return { head: { text: clip(outcome.title, HEAD_MAX), style: { bold: true } }, body };
}

export function renderTextContent(head: string, text: string): ZoomChatContent {
  return { head: { text: clip(head, HEAD_MAX) }, body: [{ type: 'message', text: clip(text, TEXT_MAX) }] };
}

/** A ParticipantMessage as chatbot content; its choices' values are already opaque (`rc1:` …). */
export function renderParticipantContent(message: ParticipantMessage): ZoomChatContent {
  const body: ZoomChatBodyItem[] = [{ type: 'message', text: clip(message.text, TEXT_MAX) }];
  if (message.choices.length > 0) {
    body.push({ type: 'actions', limit: BUTTONS_MAX, items: message.choices.slice(0, BUTTONS_MAX).map((c) => ({ text: clip(c.label, 75), value: c.value, style: styleOf(c.style) })) });
  }
  return { head: { text: 'Rollcall' }, body };
}
