import { describe, expect, it } from 'vitest';
import { describeRule } from '../../../src/web/schedule-page.js';

describe('a schedule in words', () => {
  it('names the weekdays of a weekly rule in week order, with the times and length', () => {
    expect(describeRule({ rrule: 'FREQ=WEEKLY;BYDAY=TH,MO,WE', startTime: '18:00', durationMinutes: 180 })).toBe('Every Monday, Wednesday and Thursday, 18:00 to 21:00 (3 h)');
    expect(describeRule({ rrule: 'RRULE:FREQ=WEEKLY;BYDAY=SA', startTime: '09:30', durationMinutes: 45 })).toBe('Every Saturday, 09:30 to 10:15 (45 min)');
  });

  it('wraps an end past midnight', () => {
    expect(describeRule({ rrule: 'FREQ=WEEKLY;BYDAY=FR', startTime: '23:00', durationMinutes: 90 })).toBe('Every Friday, 23:00 to 00:30 (1 h 30 min)');
  });

  it("reads any other rule in rrule's own words", () => {
    expect(describeRule({ rrule: 'FREQ=MONTHLY;BYDAY=1MO', startTime: '10:00', durationMinutes: 60 })).toBe('Every month on the 1st Monday, 10:00 to 11:00 (1 h)');
  });
});
