import { describe, expect, it } from 'vitest';
import { creditedMinutes, describeWeek, weekHours, type CreditRule, type WeekSessionLine } from '../../../src/core/weekly-credit.js';

// The program of the issue: Mon/Wed/Fri 07:00–10:00, 9 h a week required.
const H3 = 180;
const scheduled: CreditRule = { requiredMinutes: 540, credit: 'scheduled', excusedCountsAgainstHours: false };
const present: CreditRule = { ...scheduled, credit: 'present' };

const line = (over: Partial<WeekSessionLine>): WeekSessionLine => ({ scheduledMinutes: H3, status: 'present', flags: [], presentMinutes: H3, final: true, offered: true, ...over });
const attended = (minutes: number, flags: string[] = []) => line({ presentMinutes: minutes, flags });
const noShow = () => line({ status: 'no_show', presentMinutes: 0 });
const upcoming = () => line({ status: 'pending', presentMinutes: 0, final: false });

describe('creditedMinutes', () => {
  it.each([
    ['on time, scheduled credit', { status: 'present', presentMinutes: 179, flags: [] }, 'scheduled', 180],
    ['late join, scheduled credit', { status: 'late', presentMinutes: 160, flags: ['late'] }, 'scheduled', 180],
    ['short stay credits the minutes present', { status: 'present', presentMinutes: 94, flags: ['short_stay'] }, 'scheduled', 94],
    ['present credit counts raw minutes', { status: 'present', presentMinutes: 179, flags: [] }, 'present', 179],
    ['raw minutes never exceed the session', { status: 'present', presentMinutes: 200, flags: [] }, 'present', 180],
    ['no-show credits nothing', { status: 'no_show', presentMinutes: 0, flags: [] }, 'scheduled', 0],
    ['excused credits nothing', { status: 'excused', presentMinutes: 0, flags: [] }, 'scheduled', 0],
    ['a make-up stands in for the session', { status: 'made_up', presentMinutes: 0, flags: [] }, 'present', 180],
  ] as const)('%s', (_name, over, credit, expected) => {
    expect(creditedMinutes({ scheduledMinutes: H3, ...over }, credit)).toBe(expected);
  });
});

describe('weekHours', () => {
  it.each<[string, CreditRule, WeekSessionLine[], boolean, { state: string; credited: number; required: number; shortBy: number; text: string }]>([
    ['Jordan, 30 s late to each session, meets the week under scheduled credit', scheduled, [attended(179.5), attended(179), attended(179)], true, { state: 'met', credited: 540, required: 540, shortBy: 0, text: 'met' }],
    ['the same week under present credit is short by minutes', present, [attended(179), attended(179), attended(179)], true, { state: 'short', credited: 537, required: 540, shortBy: 3, text: 'short by 3 min' }],
    ['a missed session leaves the week short by its length', scheduled, [attended(180), noShow(), attended(180)], true, { state: 'short', credited: 360, required: 540, shortBy: 180, text: 'short by 3 h' }],
    ['a short stay credits only what was attended', scheduled, [attended(94, ['short_stay']), attended(180), attended(180)], true, { state: 'short', credited: 454, required: 540, shortBy: 86, text: 'short by 1 h 26 min' }],
    ['a holiday week (one session cancelled) requires what was offered', scheduled, [attended(180), attended(180)], true, { state: 'met', credited: 360, required: 360, shortBy: 0, text: 'met' }],
    ['an excused absence lowers the requirement by its length', scheduled, [attended(180), line({ status: 'excused', presentMinutes: 0 }), attended(180)], true, { state: 'met', credited: 360, required: 360, shortBy: 0, text: 'met' }],
    [
      'unless excused absences count against the hours',
      { ...scheduled, excusedCountsAgainstHours: true },
      [attended(180), line({ status: 'excused', presentMinutes: 0 }), attended(180)],
      true,
      { state: 'short', credited: 360, required: 540, shortBy: 180, text: 'short by 3 h' },
    ],
    ['Monday attended, two sessions left: on track, never a bare "not met"', scheduled, [attended(180), upcoming(), upcoming()], false, { state: 'on_track', credited: 180, required: 540, shortBy: 0, text: 'on track (2 sessions left)' }],
    ['a live session with no joins yet is still attendable: on track', scheduled, [attended(180), attended(180), line({ status: 'not_joined', presentMinutes: 0, final: false })], false, { state: 'on_track', credited: 360, required: 540, shortBy: 0, text: 'on track (1 session left)' }],
    ['Monday missed and Wednesday skipped: Friday cannot cover it', scheduled, [noShow(), line({ status: 'pending', final: false, presentMinutes: 0, skipping: true }), upcoming()], false, { state: 'at_risk', credited: 0, required: 540, shortBy: 360, text: 'at risk: 6 h cannot be made up this week' }],
    ['a session made up elsewhere counts as attended', scheduled, [attended(180), line({ status: 'made_up', final: true, presentMinutes: 0 }), attended(180)], true, { state: 'met', credited: 540, required: 540, shortBy: 0, text: 'met' }],
    ['a week with no sessions requires nothing', scheduled, [], true, { state: 'met', credited: 0, required: 0, shortBy: 0, text: 'met' }],
  ])('%s', (_name, rule, lines, weekOver, expected) => {
    const week = weekHours(rule, lines, weekOver);
    expect({ state: week.state, credited: week.creditedMinutes, required: week.requiredMinutes, shortBy: week.shortByMinutes, text: describeWeek(week) }).toEqual(expected);
  });

  it('a requirement below what is offered is the requirement', () => {
    expect(weekHours({ ...scheduled, requiredMinutes: 300 }, [attended(180), attended(180), upcoming()], false)).toMatchObject({ state: 'met', requiredMinutes: 300, creditedMinutes: 360 });
  });
});
