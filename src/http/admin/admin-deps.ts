import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { AuthLimiter } from '../auth-limiter.js';
import type { AttendanceRow } from '../../services/attendance-read.js';

export type { AttendanceRow };


export interface AdminDeps {
  prisma: Db;
  /** Failed bearer tokens counted per address (http/auth-limiter.ts). */
  authLimiter: AuthLimiter;
  clock: Clock;
  /** Arms deadlines for new sessions (the attendance engine). */
  afterSessionsCreated(sessionIds: string[]): Promise<void>;
  /** After a participant is enrolled: the intake message, weekly progress planned (services/intake.ts). */
  afterEnrolled?(input: { organizationId: string; programId: string; participantId: string }): Promise<void>;
  /** Live or final attendance of one session of the organization. */
  readAttendance(organizationId: string, sessionId: string): Promise<AttendanceRow[]>;
}
