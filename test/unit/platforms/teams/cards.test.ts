import { describe, expect, it } from 'vitest';
import { buildAlertMessage } from '../../../../src/core/alert-message.js';
import { choiceButton } from '../../../../src/core/participant-message.js';
import { escapeMarkdown, renderAlertCard, renderChoiceCard, renderParticipantMessage } from '../../../../src/platforms/teams/cards.js';
import { classifyConnectorError } from '../../../../src/platforms/teams/connector.js';

const message = buildAlertMessage({
  kind: 'unrecognized_participant',
  state: 'active',
  participantLabel: '"[click](https://evil.example) *Sam*"',
  sessionLabel: 'Morning Group · Thu 28 Nov 10:00',
  alertId: '6d0c1c1e-1b7a-4b55-9c2f-1f2a3b4c5d6e',
  sessionId: '0a0b0c0d-1111-4222-8333-444455556666',
  participantId: null,
});

describe('alert cards', () => {
  it('renders the message as an Adaptive Card 1.5 with facts and Action.Execute buttons carrying the ids', () => {
    const card = renderAlertCard(message);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', fallbackText: message.text });
    expect(card.body.find((b) => b.type === 'FactSet')).toBeDefined();
    expect(card.actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Link to participant',
        verb: 'rollcall_alert',
        style: 'positive',
        data: { rollcall: 'alert', action: 'link_participant', alertId: message.alertId, kind: 'unrecognized_participant', sessionId: message.metadata.sessionId, participantId: null },
      },
    ]);
  });

  it('escapes Markdown in what people typed, so a display name cannot become a link', () => {
    const title = renderAlertCard(message).body[0]!.text as string;
    expect(title).not.toMatch(/(^|[^\\])\[click\]\(/);
    expect(escapeMarkdown('[a](b) *c* make-up')).toBe('\\[a\\](b) \\*c\\* make-up');
  });

  it('a choice card has a required choice set and a submit carrying the alert and action', () => {
    const card = renderChoiceCard(message, 'excuse', { type: 'choose', title: 'Mark excused', label: 'Reason', submitLabel: 'Mark excused', options: [{ value: 'illness', label: 'Illness' }] });
    expect(card.body.at(-1)).toMatchObject({ type: 'Input.ChoiceSet', id: 'choice', isRequired: true, choices: [{ title: 'Illness', value: 'illness' }] });
    expect(card.actions![0]).toMatchObject({ type: 'Action.Execute', data: { action: 'excuse', alertId: message.alertId } });
  });

  it('a resolved alert has no buttons', () => {
    expect(renderAlertCard({ ...message, actions: [] }).actions).toBeUndefined();
  });
});

describe('participant messages', () => {
  it('plain text when nothing is asked, a card with the choice values otherwise', () => {
    expect(renderParticipantMessage({ text: 'Thanks!', choices: [] })).toEqual({ text: 'Thanks!' });
    const button = choiceButton('No', { t: 'absence_cancel' });
    const rendered = renderParticipantMessage({ text: 'Sure?', choices: [button] });
    expect('card' in rendered && rendered.card.actions).toEqual([{ type: 'Action.Execute', title: 'No', verb: 'rollcall_choice', data: { rollcall: 'choice', value: button.value } }]);
  });
});

describe('connector errors', () => {
  const restError = (statusCode: number, retryAfter?: string) => ({ statusCode, response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } } });
  it.each([
    [429, true],
    [412, true],
    [502, true],
    [504, true],
    [500, true],
    [401, false],
    [403, false],
    [404, false],
    [400, false],
  ])('HTTP %i is retryable: %s', (status, retryable) => {
    expect(classifyConnectorError(restError(status), 'post').error.retryable).toBe(retryable);
  });
  it('honours Retry-After on 429 and calls a dropped connection uncertain', () => {
    expect(classifyConnectorError(restError(429, '7'), 'post').error.retryAfterSeconds).toBe(7);
    expect(classifyConnectorError({ code: 'ECONNRESET' }, 'post')).toMatchObject({ uncertain: true, status: null });
  });
});
