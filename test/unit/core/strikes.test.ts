import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../src/core/policy.js';
import { decideStrikes, dropOutRun, markOf, strikeExpiresAt, type FiredRule, type StrikeRecord } from '../../../src/core/strikes.js';

const ZONE = 'America/New_York';
const policy = resolvePolicy();
/** A local New York wall-clock time, e.g. `2026-11-01 18:00`. */
const ny = (local: string) => new Date(`${local.replace(' ', 'T')}:00-05:00`);
let seq = 0;
function rec(local: string, status: string, extra: Partial<StrikeRecord> = {}): StrikeRecord {
  return { sessionId: `s${String(++seq).padStart(3, '0')}`, startsAt: ny(local), status, flags: status === 'late' ? ['late'] : [], ...extra };
}
const decide = (records: StrikeRecord[], now: string, options: { fired?: FiredRule[]; contacts?: Date[]; policy?: Record<string, unknown> } = {}) =>
  decideStrikes({ records, contacts: options.contacts ?? [], policy: resolvePolicy(options.policy ?? {}), timezone: ZONE, now: ny(now), fired: options.fired ?? [] });
const fired = (rule: string, at: string, id = rule): FiredRule => ({ id, rule, firedAt: ny(at) });

describe('what a session counts as', () => {
  it.each([
    ['no_show', [], null, 'miss'],
    ['present', [], null, 'attended'],
    ['late', ['late'], null, 'late'],
    ['present', ['short_stay'], null, 'late'],
    ['excused', [], null, 'excused'],
    ['made_up', [], null, 'excused'],
    ['no_show', [], 'excused', 'excused'],
    ['no_show', [], 'present', 'attended'],
    ['no_show', [], 'made_up', 'excused'],
    ['late', ['late'], 'present', 'attended'],
    ['present', [], 'late', 'late'],
    ['present', [], 'no_show', 'miss'],
    ['pending', [], null, 'other'],
  ] as const)('%s %j overridden to %s → %s', (status, flags, overrideStatus, mark) => {
    expect(markOf({ sessionId: 's', startsAt: new Date(), status, flags, overrideStatus }, policy)).toBe(mark);
  });

  it('does not count a short stay as a late when the policy says so', () => {
    expect(markOf({ sessionId: 's', startsAt: new Date(), status: 'present', flags: ['short_stay'] }, { shortStaysCountAsLates: false })).toBe('attended');
  });
});

describe('the strike window, in the program’s calendar days', () => {
  it('keeps a miss on 1 November through 30 November and drops it at local midnight on 1 December', () => {
    const miss = rec('2026-11-01 20:00', 'no_show');
    expect(strikeExpiresAt(miss.startsAt, 30, ZONE).toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(decide([miss], '2026-11-30 23:59').strikes).toBe(1);
    expect(decide([miss], '2026-12-01 00:00').strikes).toBe(0);
    expect(decide([miss], '2026-12-02 00:00').strikes).toBe(0);
  });

  it('counts in the program’s zone, not UTC: 20:00 in New York is already the next day in UTC', () => {
    // 1 Nov 20:00 New York is 2 Nov 01:00 UTC; a UTC window would keep it until 2 Dec.
    const miss = rec('2026-11-01 20:00', 'no_show');
    expect(decide([miss], '2026-12-01 12:00').strikes).toBe(0);
  });

  it('counts a window across a daylight-saving change in local days', () => {
    // 1 March to 31 March crosses the US spring-forward on 8 March.
    const miss = { ...rec('2026-03-01 10:00', 'no_show') };
    expect(strikeExpiresAt(miss.startsAt, 30, ZONE).toISOString()).toBe('2026-03-31T04:00:00.000Z');
  });

  it('does not count a session that has not happened by now', () => {
    expect(decide([rec('2026-11-10 18:00', 'no_show')], '2026-11-09 18:00').strikes).toBe(0);
  });
});

describe('lates', () => {
  it('adds a strike for every third late join (or short stay) in the window, and none with lateStrikeEvery 0', () => {
    const records = [rec('2026-11-02 18:00', 'late'), rec('2026-11-03 18:00', 'present', { flags: ['short_stay'] }), rec('2026-11-04 18:00', 'late')];
    expect(decide(records.slice(0, 2), '2026-11-05 12:00')).toMatchObject({ strikes: 0, lates: 2 });
    expect(decide(records, '2026-11-05 12:00')).toMatchObject({ strikes: 1, lates: 3, lateStrikes: 1 });
    expect(decide(records, '2026-11-05 12:00', { policy: { lateStrikeEvery: 0 } })).toMatchObject({ strikes: 0, lates: 3 });
    expect(decide(records, '2026-11-05 12:00', { policy: { shortStaysCountAsLates: false } })).toMatchObject({ strikes: 0, lates: 2 });
  });

  it('counts a session both late and short once', () => {
    const records = [rec('2026-11-02 18:00', 'late', { flags: ['late', 'short_stay'] }), rec('2026-11-03 18:00', 'late'), rec('2026-11-04 18:00', 'present')];
    expect(decide(records, '2026-11-05 12:00')).toMatchObject({ lates: 2, strikes: 0 });
  });

  it('loses the late strike when the first late ages out of the window', () => {
    const records = [rec('2026-11-02 18:00', 'late'), rec('2026-11-03 18:00', 'late'), rec('2026-11-04 18:00', 'late')];
    expect(decide(records, '2026-12-01 23:00').strikes).toBe(1);
    expect(decide(records, '2026-12-02 00:00').strikes).toBe(0);
  });
});

describe('excusing and overriding', () => {
  it('an absence excused later removes its strike', () => {
    const records = [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-04 18:00', 'no_show')];
    expect(decide(records, '2026-11-05 12:00').strikes).toBe(2);
    records[0] = { ...records[0]!, status: 'excused' };
    expect(decide(records, '2026-11-05 12:00')).toMatchObject({ strikes: 1, missSessionIds: [records[1]!.sessionId] });
  });

  it('a staff override to present or made up removes a strike; an override to no_show adds one', () => {
    const a = rec('2026-11-02 18:00', 'no_show', { overrideStatus: 'present' });
    const b = rec('2026-11-03 18:00', 'no_show', { overrideStatus: 'made_up' });
    const c = rec('2026-11-04 18:00', 'present', { overrideStatus: 'no_show' });
    expect(decide([a, b, c], '2026-11-05 12:00').strikes).toBe(1);
  });

  it('a proposal whose strike was excused since no longer applies; one that merely aged out still does', () => {
    const a = rec('2026-11-02 18:00', 'no_show');
    const b = rec('2026-11-04 18:00', 'no_show');
    const proposals = [fired('ladder:1', '2026-11-02 20:00', 'f1'), fired('ladder:2', '2026-11-04 20:00', 'f2')];
    expect(decide([a, b], '2026-12-20 12:00', { fired: proposals }).noLongerApplies).toEqual([]);
    expect(decide([a, { ...b, overrideStatus: 'excused' }], '2026-11-05 12:00', { fired: proposals }).noLongerApplies).toEqual(['f2']);
  });

  it('a withdrawn proposal stands for nothing: the rung is proposed again when the count is back on it, and is not withdrawn twice', () => {
    // Back-filled: Monday first counted as a miss (rung 1 proposed after it), then corrected, so rung 1 was withdrawn;
    // Wednesday, processed later, is a real miss inside a climb that started after the withdrawn proposal's record time.
    const monday = rec('2026-11-02 18:00', 'present');
    const wednesday = rec('2026-11-04 18:00', 'no_show');
    const withdrawn = { ...fired('ladder:1', '2026-11-10 12:00', 'f1'), withdrawn: true };
    const decision = decide([monday, wednesday], '2026-11-10 12:05', { fired: [withdrawn] });
    expect(decision.toFire.map((f) => f.rule)).toEqual(['ladder:1']);
    expect(decision.noLongerApplies).toEqual([]);
    expect(decide([monday, wednesday], '2026-11-10 12:05', { fired: [{ ...withdrawn, withdrawn: false }] }).toFire).toEqual([]);
  });
});

describe('the ladder', () => {
  const ladderRules = (d: ReturnType<typeof decide>) => d.toFire.map((f) => `${f.rule}/${f.action}/${f.alertKind}`);

  it('proposes each rung as the count reaches it: outreach, check-in, formal review, discharge review', () => {
    const misses = ['2026-11-02', '2026-11-04', '2026-11-06', '2026-11-09', '2026-11-11'].map((d) => rec(`${d} 18:00`, 'no_show'));
    const history: FiredRule[] = [];
    const seen: string[] = [];
    misses.forEach((miss, i) => {
      // Contact after each miss keeps the drop-out rule out of this test.
      const now = `${miss.startsAt.toISOString().slice(0, 10)} 20:00`;
      const decision = decide(misses.slice(0, i + 1), now, { fired: history, contacts: [ny(now)] });
      for (const f of decision.toFire) history.push({ id: f.climbKey, rule: f.rule, firedAt: ny(now) });
      seen.push(...ladderRules(decision));
    });
    expect(seen).toEqual(['ladder:1/outreach/strike', 'ladder:2/checkin/strike', 'ladder:3/formal_review/review_due', 'ladder:5/discharge_review/review_due']);
  });

  it('fires a rung once: deciding again, or after more strikes, proposes nothing new for it', () => {
    const misses = [rec('2026-11-02 18:00', 'no_show')];
    const first = decide(misses, '2026-11-02 20:00');
    expect(first.toFire.map((f) => f.rule)).toEqual(['ladder:1']);
    expect(first.toFire[0]!.climbKey).toBe(`ladder:1:${misses[0]!.sessionId}`);
    const history = [fired('ladder:1', '2026-11-02 20:00')];
    expect(decide(misses, '2026-11-02 20:01', { fired: history }).toFire).toEqual([]);
  });

  it('fires every rung reached at once when a record is back-filled, each with its own climb', () => {
    const misses = ['2026-11-02', '2026-11-09', '2026-11-16'].map((d) => rec(`${d} 18:00`, 'no_show'));
    const decision = decide(misses, '2026-11-20 12:00', { contacts: [ny('2026-11-20 12:00')] });
    expect(decision.toFire.map((f) => f.climbKey)).toEqual(misses.map((m, i) => `ladder:${i + 1}:${m.sessionId}`));
    expect(decision.rungsReached.map((r) => r.action)).toEqual(['outreach', 'checkin', 'formal_review']);
    expect(decision.nextRung).toEqual({ strikes: 5, action: 'discharge_review' });
  });

  it('fires a rung again after the count fell below it and climbed back (a new climb)', () => {
    const a = rec('2026-11-02 18:00', 'no_show');
    const b = rec('2026-12-10 18:00', 'no_show');
    const history = [fired('ladder:1', '2026-11-02 20:00')];
    // a aged out on 2 Dec; b starts a second climb to rung 1.
    const decision = decide([a, b], '2026-12-10 20:00', { fired: history, contacts: [ny('2026-12-10 20:00')] });
    expect(decision.toFire.map((f) => f.climbKey)).toEqual([`ladder:1:${b.sessionId}`]);
  });

  it('fires a rung again when an excused strike took the count below it and a new one climbs back', () => {
    const a = rec('2026-11-02 18:00', 'no_show');
    const b = rec('2026-11-04 18:00', 'excused');
    const c = rec('2026-11-06 18:00', 'no_show');
    const history = [fired('ladder:1', '2026-11-02 20:00'), fired('ladder:2', '2026-11-04 20:00')];
    const decision = decide([a, b, c], '2026-11-06 20:00', { fired: history, contacts: [ny('2026-11-06 20:00')] });
    expect(decision.toFire.map((f) => f.climbKey)).toEqual([`ladder:2:${c.sessionId}`]);
    expect(decision.noLongerApplies).toEqual(['ladder:2']);
  });

  it('does not fire again when a strike is back-filled behind a climb already proposed', () => {
    const a = rec('2026-11-04 18:00', 'no_show');
    const history = [fired('ladder:1', '2026-11-04 20:00')];
    const earlier = rec('2026-11-01 18:00', 'no_show');
    const decision = decide([earlier, a], '2026-11-05 12:00', { fired: history, contacts: [ny('2026-11-05 12:00')] });
    // Rung 1's climb now starts on 1 Nov, before the proposal: it stands. Rung 2 is new.
    expect(decision.toFire.map((f) => f.rule)).toEqual(['ladder:2']);
  });

  it('uses the program’s own ladder', () => {
    const misses = [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-03 18:00', 'no_show')];
    const decision = decide(misses, '2026-11-03 20:00', { policy: { strikeLadder: [{ strikes: 2, action: 'discharge_review' }] }, contacts: [ny('2026-11-03 20:00')] });
    expect(decision.toFire.map((f) => `${f.rule}/${f.alertKind}`)).toEqual(['ladder:2/review_due']);
  });
});

describe('presumed drop-out', () => {
  const three = () => ['2026-11-02', '2026-11-04', '2026-11-06'].map((d) => rec(`${d} 18:00`, 'no_show'));

  it('proposes a review after three unexcused misses in a row with no contact', () => {
    const misses = three();
    const decision = decide(misses, '2026-11-06 20:00', { policy: { strikeLadder: [] } });
    expect(decision).toMatchObject({ consecutiveMisses: 3, presumedDropOut: true });
    expect(decision.toFire).toEqual([{ rule: 'dropout', climbKey: `dropout:${misses[0]!.sessionId}`, action: 'formal_review', alertKind: 'review_due', count: 3 }]);
  });

  it('does not when they were in touch between the misses, or a session in between was attended or excused', () => {
    const misses = three();
    expect(dropOutRun(misses, [ny('2026-11-03 09:00')], policy, ny('2026-11-06 20:00')).misses).toBe(2);
    const attended = [misses[0]!, rec('2026-11-03 18:00', 'late'), misses[1]!, misses[2]!];
    expect(dropOutRun(attended, [], policy, ny('2026-11-06 20:00')).misses).toBe(2);
    const excused = [misses[0]!, { ...misses[1]!, status: 'excused' }, misses[2]!];
    expect(decide(excused, '2026-11-06 20:00').presumedDropOut).toBe(false);
  });

  it('counts a reported absence as contact at the session it was for', () => {
    const misses = three();
    // They told us (not an excused reason) before the third session.
    expect(dropOutRun(misses, [misses[2]!.startsAt], policy, ny('2026-11-06 20:00')).misses).toBe(0);
    expect(dropOutRun(misses, [misses[1]!.startsAt], policy, ny('2026-11-06 20:00')).misses).toBe(1);
  });

  it('fires once per run: a fourth miss continues the run and proposes nothing new', () => {
    const misses = [...three(), rec('2026-11-09 18:00', 'no_show')];
    const decision = decide(misses, '2026-11-09 20:00', { policy: { strikeLadder: [] }, fired: [fired('dropout', '2026-11-06 20:00')] });
    expect(decision.toFire).toEqual([]);
    expect(decision.consecutiveMisses).toBe(4);
  });

  it('a drop-out proposal whose first miss was excused since no longer applies', () => {
    const misses = three();
    misses[0] = { ...misses[0]!, overrideStatus: 'excused' };
    const decision = decide(misses, '2026-11-07 12:00', { policy: { strikeLadder: [] }, fired: [fired('dropout', '2026-11-06 20:00', 'd1')] });
    expect(decision.noLongerApplies).toEqual(['d1']);
  });
});
