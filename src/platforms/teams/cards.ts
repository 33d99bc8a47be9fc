import type { AlertActionId, AlertKind, AlertMessage } from '../../core/alert-message.js';
import type { ParticipantMessage } from '../../core/participant-message.js';
import type { StaffActionOutcome } from '../../services/staff-actions.js';

/** An Adaptive Card as JSON (schema 1.5: the newest Teams renders on desktop, web and mobile). */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  fallbackText?: string;
  body: Record<string, unknown>[];
  actions?: Record<string, unknown>[];
}

/** `Action.Execute` verbs: one for facilitators' alert buttons, one for participants' choices. */
export const ALERT_VERB = 'rollcall_alert';
export const CHOICE_VERB = 'rollcall_choice';
/** The id of the choice set a `choose` card adds; Teams merges inputs into the action's data under it. */
export const CHOICE_INPUT_ID = 'choice';

/** What an alert button carries back: the kind, session and participant travel with the alert id. */
export interface AlertActionData {
  rollcall: 'alert';
  action: AlertActionId;
  alertId: string;
  kind: AlertKind;
  sessionId: string | null;
  participantId: string | null;
  /** Filled by Teams from the choice set of a `choose` card. */
  choice?: string;
}

const COLORS: Record<AlertMessage['severity'], string> = { urgent: 'Attention', warning: 'Warning', info: 'Default' };
const ACTION_STYLES = { primary: 'positive', danger: 'destructive' } as const;

/**
 * Teams renders a subset of Markdown in TextBlocks and facts (emphasis, links, lists): what a
 * person typed (a guest's display name above all) is escaped so it cannot become a link or change
 * the card's look. Only the characters that open those constructs: Teams mobile has shown stray
 * backslashes before others.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]])/g, '\\$1');
}

const card = (body: AdaptiveCard['body'], actions: AdaptiveCard['actions'], fallbackText?: string): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  ...(fallbackText ? { fallbackText } : {}),
  body,
  ...(actions && actions.length > 0 ? { actions } : {}),
});

const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: escapeMarkdown(text), wrap: true, ...extra });

export function alertActionData(message: AlertMessage, action: AlertActionId): AlertActionData {
  return { rollcall: 'alert', action, alertId: message.alertId, kind: message.kind, sessionId: message.metadata.sessionId, participantId: message.metadata.participantId };
}

function alertBody(message: AlertMessage): AdaptiveCard['body'] {
  return [
    textBlock(message.title, { weight: 'Bolder', size: 'Medium', color: COLORS[message.severity], style: 'heading' }),
    ...message.lines.map((line) => textBlock(line, { spacing: 'Small' })),
    ...(message.fields.length > 0 ? [{ type: 'FactSet', facts: message.fields.map((f) => ({ title: escapeMarkdown(f.label), value: escapeMarkdown(f.value) })) }] : []),
  ];
}

/** The alert as one card; its buttons are `Action.Execute`, so Teams sends an invoke we answer with the new card. */
export function renderAlertCard(message: AlertMessage): AdaptiveCard {
  const actions = message.actions.map((a) => ({
    type: 'Action.Execute',
    title: a.label,
    verb: ALERT_VERB,
    data: alertActionData(message, a.id),
    ...(a.style ? { style: ACTION_STYLES[a.style] } : {}),
  }));
  return card(alertBody(message), actions, message.text);
}

/** The alert with a required choice (a reason, a participant) and one button that carries it back. */
export function renderChoiceCard(message: AlertMessage, action: AlertActionId, outcome: Extract<StaffActionOutcome, { type: 'choose' }>): AdaptiveCard {
  return card(
    [
      ...alertBody(message),
      textBlock(outcome.title, { weight: 'Bolder', separator: true }),
      {
        type: 'Input.ChoiceSet',
        id: CHOICE_INPUT_ID,
        label: outcome.label,
        isRequired: true,
        errorMessage: 'Choose one.',
        style: 'compact',
        choices: outcome.options.slice(0, 100).map((o) => ({ title: o.label, value: o.value })),
      },
    ],
    [
      { type: 'Action.Execute', title: outcome.submitLabel, verb: ALERT_VERB, data: alertActionData(message, action), style: 'positive' },
      { type: 'Action.Execute', title: 'Cancel', verb: ALERT_VERB, data: { ...alertActionData(message, action), cancel: true }, associatedInputs: 'none' },
    ],
    message.text,
  );
}

/** A word for the presser only: the invoke's answer replaces the card for them, not for the channel. */
export function renderNoticeCard(message: AlertMessage | null, notice: string): AdaptiveCard {
  const body = [...(message ? alertBody(message) : []), textBlock(notice, { color: 'Attention', separator: Boolean(message) })];
  return card(body, message ? renderAlertCard(message).actions : undefined, notice);
}

/** What a participant's button carries back: the opaque choice value of services/participant-choices.ts. */
export interface ChoiceActionData {
  rollcall: 'choice';
  value: string;
}

/** A message to a participant: plain text when it asks nothing, else a card whose buttons carry the choice. */
export function renderParticipantMessage(message: ParticipantMessage): { text: string } | { card: AdaptiveCard } {
  if (message.choices.length === 0) return { text: message.text };
  return {
    card: card(
      [textBlock(message.text)],
      message.choices.slice(0, 6).map((choice) => ({
        type: 'Action.Execute',
        title: choice.label,
        verb: CHOICE_VERB,
        data: { rollcall: 'choice', value: choice.value } satisfies ChoiceActionData,
        ...(choice.style ? { style: ACTION_STYLES[choice.style] } : {}),
      })),
      message.text,
    ),
  };
}

/** The answer that replaces a pressed participant card: the same card, text only. */
export function renderAnswerCard(message: ParticipantMessage): AdaptiveCard {
  const rendered = renderParticipantMessage(message);
  return 'card' in rendered ? rendered.card : card([textBlock(message.text)], undefined, message.text);
}
