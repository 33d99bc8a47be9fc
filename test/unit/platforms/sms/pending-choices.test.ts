import { describe, expect, it } from 'vitest';
import { intakeMessage, noShowFollowUpMessage } from '../../../../src/core/care-messages.js';
import { decodeChoice } from '../../../../src/core/participant-message.js';
import { resolvePolicy } from '../../../../src/core/policy.js';
import { replyMessage } from '../../../../src/services/participant-choices.js';
import { kindOf, pickPendingChoice, readPendingChoices, type PendingChoices } from '../../../../src/platforms/sms/pending-choices.js';

const SESSION = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const PROGRAM = '33333333-3333-4333-8333-333333333333';
const option = (sessionId: string, label: string) => ({ sessionId, label });
const confirmOne = replyMessage({ type: 'confirm_absence', text: 'Thursday?', sessionIds: [SESSION], date: '2026-03-05', category: 'transport', options: [option(SESSION, 'Thu')] }).choices;
const confirmTwo = replyMessage({ type: 'confirm_absence', text: 'Which?', sessionIds: [SESSION, OTHER], date: '2026-03-05', category: 'illness', options: [option(SESSION, 'Thu 10:00'), option(OTHER, 'Thu 18:00')] }).choices;
const noShowMenu = noShowFollowUpMessage({ sessionId: OTHER, materials: [] }).choices;
const intake = intakeMessage({ participantName: 'Ana', programId: PROGRAM, programName: 'Evening', policy: resolvePolicy({}) }).choices;
const at = (minutesAgo: number) => new Date(Date.UTC(2026, 2, 5, 12, 0) - minutesAgo * 60_000).toISOString();
const picked = (pending: PendingChoices, text: string) => {
  const result = pickPendingChoice(pending, text);
  return result && { kind: result.kind, choice: decodeChoice(result.button.value) };
};

describe('pending SMS questions, one of each kind', () => {
  it('sorts a question into confirm (it has "No, that\'s not right") or menu', () => {
    expect([kindOf(confirmOne), kindOf(confirmTwo), kindOf(noShowMenu), kindOf(intake)]).toEqual(['confirm', 'confirm', 'menu', 'menu']);
  });

  it('YES answers the confirmation even when a numbered menu arrived after it; a number answers the menu', () => {
    const pending: PendingChoices = { confirm: { choices: confirmOne, at: at(10) }, menu: { choices: noShowMenu, at: at(1) } };
    expect(picked(pending, 'yes!')).toEqual({ kind: 'confirm', choice: { t: 'absence', s: SESSION, c: 'transport' } });
    expect(picked(pending, 'No')).toEqual({ kind: 'confirm', choice: { t: 'absence_cancel' } });
    expect(picked(pending, ' 2 ')).toEqual({ kind: 'menu', choice: { t: 'noshow', s: OTHER, r: 'came_up' } });
    expect(picked(pending, '1')?.kind).toBe('menu');
  });

  it('a number means the latest list shown with numbers; a YES/NO confirmation takes "1" only when no list waits', () => {
    expect(picked({ confirm: { choices: confirmOne, at: at(1) } }, '1')).toEqual({ kind: 'confirm', choice: { t: 'absence', s: SESSION, c: 'transport' } });
    const newerConfirm: PendingChoices = { confirm: { choices: confirmTwo, at: at(1) }, menu: { choices: noShowMenu, at: at(10) } };
    expect(picked(newerConfirm, '2')).toEqual({ kind: 'confirm', choice: { t: 'absence', s: OTHER, c: 'illness' } });
    const newerMenu: PendingChoices = { confirm: { choices: confirmTwo, at: at(10) }, menu: { choices: noShowMenu, at: at(1) } };
    expect(picked(newerMenu, '2')).toEqual({ kind: 'menu', choice: { t: 'noshow', s: OTHER, r: 'came_up' } });
    // A number past the latest list is no answer, not a pick from an older one.
    expect(picked(newerMenu, '9')).toBeNull();
  });

  it('YES picks a menu of one ("I understand") but not one of several, nor a confirmation of several sessions', () => {
    expect(picked({ menu: { choices: intake, at: at(1) } }, 'ok')).toEqual({ kind: 'menu', choice: { t: 'ack', p: PROGRAM } });
    expect(picked({ menu: { choices: noShowMenu, at: at(1) } }, 'yes')).toBeNull();
    expect(picked({ confirm: { choices: confirmTwo, at: at(1) } }, 'yes')).toBeNull();
    expect(picked({}, '1')).toBeNull();
  });

  it('forgets questions older than three days, and reads the single list stored before kinds', () => {
    const now = new Date(Date.UTC(2026, 2, 5, 12, 0));
    const stored = { confirm: { choices: confirmOne, at: at(4 * 24 * 60) }, menu: { choices: noShowMenu, at: at(60) } };
    expect(Object.keys(readPendingChoices(stored, now, now))).toEqual(['menu']);
    expect(readPendingChoices(confirmOne, new Date(now.getTime() - 60_000), now).confirm?.choices).toEqual(confirmOne);
    expect(readPendingChoices(null, null, now)).toEqual({});
  });
});
