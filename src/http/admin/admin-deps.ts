import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';

export interface AttendanceRow {
  participantId: string;
  name: string;
  status: string;
  flags: string[];
  minutesPresent: number;
  firstJoinAt: Date | null;
  lastLeaveAt: Date | null;
  /** What the engine detected; `status` shows staff's decision in its place when there is one. */
  detectedStatus: string;
  override: { status: string; reason: string | null; by: string | null; at: Date | null } | null;
}

export interface AdminDeps {
  prisma: Db;
  clock: Clock;
  /** Arms deadlines for new sessions (the attendance engine). */
  afterSessionsCreated(sessionIds: string[]): Promise<void>;
  /** After a participant is enrolled: the intake message, weekly progress planned (services/intake.ts). */
  afterEnrolled?(input: { organizationId: string; programId: string; participantId: string }): Promise<void>;
  /** Live or final attendance of one session of the organization. */
  readAttendance(organizationId: string, sessionId: string): Promise<AttendanceRow[]>;
}
