import { describe, expect, it } from 'vitest';
import { buildAlertMessage, type AlertKind, type AlertMessageInput } from '../../../../src/core/alert-message.js';
import {
  ALERT_EVENT_TYPE,
  alertActionIdOf,
  escapeMrkdwn,
  parseActionValue,
  renderAlertBlocks,
  renderAlertPayload,
} from '../../../../src/platforms/slack/blocks.js';

const SESSION = 'Adult IOP – Evening, Mon 2 Mar 18:00';

function message(kind: AlertKind, over: Partial<AlertMessageInput> = {}) {
  return buildAlertMessage({ kind, state: 'active', participantLabel: 'Jordan A.', sessionLabel: SESSION, alertId: 'a1', sessionId: 's1', participantId: 'p1', ...over });
}

type AnyBlock = { type: string; text?: { type: string; text: string; verbatim?: boolean }; fields?: { text: string }[]; elements?: Record<string, unknown>[] };
const blocksOf = (...args: Parameters<typeof message>) => renderAlertBlocks(message(...args)) as unknown as AnyBlock[];

/** Every piece of text in the blocks, wherever it sits. */
function allTexts(blocks: AnyBlock[]): string[] {
  return blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => (e.text as { text?: string } | undefined)?.text)]).filter((t): t is string => typeof t === 'string');
}

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> > *bold* "q" \'a\'')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt; &gt; *bold* "q" \'a\'');
  });

  it('escapes an ampersand first, so entities are not doubled', () => {
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });
});

describe('renderAlertBlocks', () => {
  it('shows the title, the lines and the fields', () => {
    const blocks = blocksOf('late_join', { detail: { joinedAt: '2026-03-02T18:12:00Z', minutesLate: 12 } });
    expect(blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: '*Late join: Jordan A.*' } });
    expect(blocks[1]).toMatchObject({ type: 'section', text: { text: 'Joined at 18:12, 12 min after the start.' } });
    expect(blocks[2]?.fields?.map((f) => f.text)).toEqual(['*Participant*\nJordan A.', `*Session*\n${SESSION}`]);
  });

  it('escapes a display name typed by a guest everywhere it appears, so it pings no one', () => {
    const hostile = '<!channel> Bob & <@U999|x>';
    const built = message('unrecognized_participant', { participantLabel: hostile });
    const texts = allTexts(renderAlertBlocks(built) as unknown as AnyBlock[]);
    expect(texts.join('\n')).toContain('&lt;!channel&gt; Bob &amp; &lt;@U999|x&gt;');
    for (const text of texts) expect(text).not.toMatch(/<[!@#]/);
    expect(renderAlertPayload(built).text).not.toContain('<!channel>');
  });

  it('turns off automatic parsing of bare @channel and links in data text', () => {
    const blocks = blocksOf('late_join', { participantLabel: '@channel' });
    const mrkdwn = blocks.flatMap((b) => [b.text, ...(b.fields ?? [])]).filter((t) => (t as { type?: string } | undefined)?.type === 'mrkdwn');
    expect(mrkdwn.length).toBeGreaterThan(0);
    for (const t of mrkdwn) expect(t).toMatchObject({ verbatim: true });
  });

  it('gives each action a button: rollcall:<id>, the alert ids as value, primary where asked', () => {
    const blocks = blocksOf('no_show');
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions?.elements).toEqual([
      { type: 'button', action_id: 'rollcall:reach_out', text: { type: 'plain_text', text: "I'll reach out", emoji: true }, value: expect.any(String), style: 'primary' },
      { type: 'button', action_id: 'rollcall:excuse', text: { type: 'plain_text', text: 'Mark excused', emoji: true }, value: expect.any(String) },
      { type: 'button', action_id: 'rollcall:offer_makeup', text: { type: 'plain_text', text: 'Offer make-up', emoji: true }, value: expect.any(String) },
      { type: 'button', action_id: 'rollcall:send_checkin', text: { type: 'plain_text', text: 'Send check-in', emoji: true }, value: expect.any(String) },
    ]);
    const value = actions?.elements?.[0]?.value as string;
    expect(JSON.parse(value)).toEqual({ alertId: 'a1', kind: 'no_show', sessionId: 's1', participantId: 'p1' });
    expect(value.length).toBeLessThan(200);
    expect(parseActionValue(value)).toEqual({ alertId: 'a1', kind: 'no_show', sessionId: 's1', participantId: 'p1' });
    expect(alertActionIdOf('rollcall:excuse')).toBe('excuse');
  });

  it('keeps null ids in the button value of a session-wide alert', () => {
    const blocks = blocksOf('session_summary', { participantLabel: undefined, participantId: null });
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    const value = renderAlertBlocks(message('unrecognized_participant', { participantId: null }))
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .map((e) => (e as { value?: string }).value)[0];
    expect(parseActionValue(value)).toEqual({ alertId: 'a1', kind: 'unrecognized_participant', sessionId: 's1', participantId: null });
  });

  it('has no actions block once resolved, and marks the title', () => {
    const blocks = blocksOf('not_joined', { state: 'resolved', detail: { resolution: 'arrived' } });
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(blocks[0]?.text?.text).toBe(':white_check_mark: *Not joined: Jordan A. (resolved)*');
    expect(blocks[1]?.text?.text).toContain('Resolved: arrived.');
  });

  it('has no actions block for a kind without actions', () => {
    expect(blocksOf('waiting_room').some((b) => b.type === 'actions')).toBe(false);
  });

  it('puts a visible marker on urgent alerts: a header and a siren', () => {
    const blocks = blocksOf('crisis');
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🚨 Urgent: Crisis', emoji: true } });
    expect(blocks[1]?.text?.text).toBe(':rotating_light: *Crisis: Jordan A.*');
    expect(blocksOf('late_join')[0]?.type).toBe('section');
  });

  it('splits more than ten fields over several sections (Slack allows ten a section)', () => {
    const built = { ...message('session_summary'), fields: Array.from({ length: 12 }, (_, i) => ({ label: `F${i}`, value: String(i) })) };
    const sections = (renderAlertBlocks(built) as unknown as AnyBlock[]).filter((b) => b.fields);
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 2]);
  });

  it('cuts over-long text without breaking an entity', () => {
    const built = { ...message('late_join'), lines: ['&'.repeat(1000)] };
    const text = (renderAlertBlocks(built) as unknown as AnyBlock[])[1]?.text?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/(&amp;)+…$/);
  });
});

describe('renderAlertPayload', () => {
  it('text fallback starts with the kind label', () => {
    expect(renderAlertPayload(message('not_joined')).text).toBe(`Not joined: Jordan A. · ${SESSION}`);
    expect(renderAlertPayload(message('crisis')).text.startsWith('Crisis')).toBe(true);
  });

  it('carries kind, session, participant and alert id as message metadata', () => {
    expect(renderAlertPayload(message('strike')).metadata).toEqual({
      event_type: ALERT_EVENT_TYPE,
      event_payload: { kind: 'strike', alertId: 'a1', sessionId: 's1', participantId: 'p1' },
    });
  });

  it('leaves null ids out of the metadata (payload values must be scalars)', () => {
    const { metadata } = renderAlertPayload(message('session_summary', { participantLabel: undefined, participantId: null }));
    expect(metadata.event_payload).toEqual({ kind: 'session_summary', alertId: 'a1', sessionId: 's1' });
  });
});

describe('parseActionValue', () => {
  it('refuses values that are not ours', () => {
    expect(parseActionValue(undefined)).toBeNull();
    expect(parseActionValue('not json')).toBeNull();
    expect(parseActionValue('{"alertId":1,"kind":"x"}')).toBeNull();
    expect(alertActionIdOf('other:excuse')).toBeNull();
  });
});
