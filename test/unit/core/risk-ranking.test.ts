import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../src/core/policy.js';
import { assessRisk, rankByRisk, riskWhy, whoIsAtRisk, type RiskFacts } from '../../../src/core/risk-ranking.js';
import type { StrikeRecord } from '../../../src/core/strike-marks.js';
import { weekHours, type WeekHours } from '../../../src/core/weekly-credit.js';

const ZONE = 'America/New_York';
const policy = resolvePolicy();
/** A local New York wall-clock time in November (UTC−5). */
const ny = (local: string) => new Date(`${local.replace(' ', 'T')}:00-05:00`);
let seq = 0;
const rec = (local: string, status: string, flags: string[] = []): StrikeRecord => ({ sessionId: `s${++seq}`, startsAt: ny(local), status, flags });
const rule = { requiredMinutes: 540, credit: 'scheduled' as const, excusedCountsAgainstHours: false };
const line = (status: 'present' | 'no_show' | 'pending', final = true) => ({ scheduledMinutes: 180, status, flags: [], presentMinutes: status === 'present' ? 180 : 0, final, offered: true });
const person = (name: string, records: StrikeRecord[], week: WeekHours | null = null, openFollowUps = 0): RiskFacts => ({ participantId: name, name, records, week, openFollowUps });

describe('who is at risk, and why in words', () => {
  it('says every reason: strikes in the window, misses in a row, hours short this week, open follow-ups', () => {
    const records = [rec('2026-11-02 18:00', 'present'), rec('2026-11-04 18:00', 'no_show'), rec('2026-11-05 18:00', 'no_show')];
    // A week over with one of three sessions attended: 3 h of 9 h.
    const week = weekHours(rule, [line('present'), line('no_show'), line('no_show')], true);
    const risk = assessRisk(person('Casey', records, week, 1), policy, ZONE, ny('2026-11-09 09:00'));
    expect(riskWhy(risk)).toBe('2 strikes in 30 days · missed the last 2 sessions · short by 6 h this week · 1 open follow-up');
    expect(risk).toMatchObject({ strikes: 2, missesInARow: 2, weekShortMinutes: 360, openFollowUps: 1 });
  });

  it('counts strikes at the time given: a miss leaves the window on its 31st local day', () => {
    const records = [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-04 18:00', 'present')];
    expect(assessRisk(person('A', records), policy, ZONE, ny('2026-12-01 23:59')).strikes).toBe(1);
    expect(assessRisk(person('A', records), policy, ZONE, ny('2026-12-02 00:01')).strikes).toBe(0);
    // A session after `now` is not counted yet.
    expect(assessRisk(person('A', records), policy, ZONE, ny('2026-11-01 12:00')).strikes).toBe(0);
  });

  it('ends a run of misses at an attendance, an excuse or a make-up, and says one miss in the singular', () => {
    expect(assessRisk(person('A', [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-04 18:00', 'late', ['late']), rec('2026-11-05 18:00', 'no_show')]), policy, ZONE, ny('2026-11-06 09:00')).reasons).toContain('missed the last session');
    expect(assessRisk(person('A', [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-04 18:00', 'excused')]), policy, ZONE, ny('2026-11-06 09:00')).missesInARow).toBe(0);
    expect(assessRisk(person('A', [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-04 18:00', 'made_up')]), policy, ZONE, ny('2026-11-06 09:00')).missesInARow).toBe(0);
  });

  it('never calls a running week short while its sessions can still cover it; says so when they cannot', () => {
    const onTrack = weekHours(rule, [line('present'), line('pending', false), line('pending', false)], false);
    expect(assessRisk(person('A', [], onTrack), policy, ZONE, ny('2026-11-03 09:00')).reasons).toEqual([]);
    const cannot = weekHours(rule, [line('no_show'), line('no_show'), line('pending', false)], false);
    expect(assessRisk(person('A', [], cannot), policy, ZONE, ny('2026-11-05 09:00')).reasons).toEqual(['at risk: 6 h cannot be made up this week']);
  });

  it('ranks by strikes, then misses in a row, then minutes short, then follow-ups, then name; the list leaves out those with no reason', () => {
    const short = (missed: number) => weekHours(rule, Array.from({ length: 3 }, (_, i) => line(i < missed ? 'no_show' : 'present')), true);
    const now = ny('2026-11-09 09:00');
    const people = [
      person('Zed', []),
      person('Ada', [], null, 2),
      person('Bo', [], short(1)),
      person('Cy', [], short(2), 0),
      person('Di', [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-04 18:00', 'present')]),
      person('Ed', [rec('2026-11-04 18:00', 'present'), rec('2026-11-05 18:00', 'no_show')]),
      person('Fay', [rec('2026-11-02 18:00', 'no_show'), rec('2026-11-05 18:00', 'no_show')]),
    ];
    expect(rankByRisk(people, policy, ZONE, now).map((r) => r.name)).toEqual(['Fay', 'Ed', 'Di', 'Cy', 'Bo', 'Ada', 'Zed']);
    expect(whoIsAtRisk(people, policy, ZONE, now).map((r) => r.name)).toEqual(['Fay', 'Ed', 'Di', 'Cy', 'Bo', 'Ada']);
  });

  it('counts late strikes by the program rule (every third late join is a strike)', () => {
    const lates = ['2026-11-02', '2026-11-04', '2026-11-05'].map((d) => rec(`${d} 18:00`, 'late', ['late']));
    expect(riskWhy(assessRisk(person('A', lates), policy, ZONE, ny('2026-11-06 09:00')))).toBe('1 strike in 30 days');
  });
});
