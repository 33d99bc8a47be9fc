import { describe, expect, it } from 'vitest';
import { describeFollowUpReason, followUpActionWords } from '../../../src/core/follow-up-words.js';

const reason = (kind: string, rule: string | null) => describeFollowUpReason({ kind, rule, windowDays: 30, missesInARow: 3 });

describe('describeFollowUpReason', () => {
  it('says a ladder rung as strikes in the window and what is proposed', () => {
    expect(reason('formal_review', 'ladder:3')).toBe('3 strikes in 30 days — formal review');
    expect(reason('outreach', 'ladder:1')).toBe('1 strike in 30 days — reach out');
    expect(reason('discharge_review', 'ladder:5')).toBe('5 strikes in 30 days — discharge review');
  });

  it('says a presumed drop-out as stopped coming', () => {
    expect(reason('formal_review', 'dropout')).toBe('Stopped coming (3 missed in a row, no contact) — formal review');
    expect(reason('discharge_review', 'dropout')).toMatch(/^Stopped coming .* — discharge review$/);
  });

  it('says a follow-up staff opened, and an unknown rule or kind, without codes', () => {
    expect(reason('checkin', null)).toBe('Opened by staff — check-in with a facilitator');
    expect(reason('mystery_kind', 'rule:9')).toBe('Proposed by the attendance rules — follow-up');
    expect(followUpActionWords('formal_review')).toBe('formal review');
  });
});
