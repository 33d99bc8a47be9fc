import type { AttendanceStatus } from './attendance-types.js';

/** What counts for rates and totals: the staff decision when there is one, else what was detected. */
export function effectiveStatus(detected: string, staffSet: string | null | undefined): AttendanceStatus {
  return (staffSet ?? detected) as AttendanceStatus;
}

/** Present, late, or made up in another session: the person took part. */
export function isAttended(status: string): boolean {
  return status === 'present' || status === 'late' || status === 'made_up';
}

/** Not yet knowable (pending) or answered in advance (excused): left out of rates. */
export function isCounted(status: string): boolean {
  return status !== 'pending' && status !== 'excused';
}

/** No-show once final, not joined while live. */
export function isMissed(status: string): boolean {
  return status === 'no_show' || status === 'not_joined';
}
