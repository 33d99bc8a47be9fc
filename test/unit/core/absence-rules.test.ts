import { describe, expect, it } from 'vitest';
import { isExcusedByPolicy } from '../../../src/core/absence-rules.js';
import { resolvePolicy } from '../../../src/core/policy.js';

const start = new Date('2026-12-01T23:00:00Z');
const hoursBefore = (h: number) => new Date(start.getTime() - h * 3600_000);

describe('advance notice for a reported absence', () => {
  const policy = resolvePolicy({ absenceNoticeHours: 2 });

  it.each([
    ['a day ahead, illness', 'illness', 24, true],
    ['exactly the notice ahead', 'illness', 2, true],
    ['a minute too late', 'illness', 2 - 1 / 60, false],
    ['after the start', 'illness', -0.5, false],
    ['a day ahead, but work is not an excused reason', 'work_school', 24, false],
  ] as const)('%s → %s', (_name, category, hours, excused) => {
    expect(isExcusedByPolicy(policy, { category, reportedAt: hoursBefore(hours), sessionStartsAt: start })).toBe(excused);
  });

  it('with no notice required, any time before the start counts', () => {
    const none = resolvePolicy({ absenceNoticeHours: 0 });
    expect(isExcusedByPolicy(none, { category: 'technical', reportedAt: hoursBefore(0), sessionStartsAt: start })).toBe(true);
  });
});
