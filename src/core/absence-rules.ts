import type { AbsenceCategory, Policy } from './policy.js';

/**
 * Whether a participant-reported absence is excused by the program's rules: its reason is on the
 * excused list and it came at least `absenceNoticeHours` before the session started. Staff may
 * still excuse any absence themselves, with a reason.
 */
export function isExcusedByPolicy(
  policy: Pick<Policy, 'excusedReasons' | 'absenceNoticeHours'>,
  absence: { category: AbsenceCategory; reportedAt: Date; sessionStartsAt: Date },
): boolean {
  if (!policy.excusedReasons.includes(absence.category)) return false;
  const deadline = absence.sessionStartsAt.getTime() - policy.absenceNoticeHours * 3600_000;
  return absence.reportedAt.getTime() <= deadline;
}
