import { describe, expect, it } from 'vitest';
import { reviewDateOptions, reviewDueAt } from '../../../../src/services/staff-actions/follow-up-choices.js';

describe('review day choices', () => {
  it('offers the next seven local days, starting tomorrow in the program’s zone', () => {
    // 23:30 on Sat 31 Oct in New York is already 1 Nov in UTC.
    const options = reviewDateOptions(new Date('2026-11-01T03:30:00Z'), 'America/New_York');
    expect(options.map((o) => o.value)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07']);
    expect(options[0]!.label).toBe('Sun 1 Nov');
  });

  it('is due at 09:00 local on the chosen day, across a daylight-saving change', () => {
    expect(reviewDueAt('2026-10-31', 'America/New_York')!.toISOString()).toBe('2026-10-31T13:00:00.000Z');
    expect(reviewDueAt('2026-11-02', 'America/New_York')!.toISOString()).toBe('2026-11-02T14:00:00.000Z');
    expect(reviewDueAt('not a day', 'America/New_York')).toBeNull();
  });
});
