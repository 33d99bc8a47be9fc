import { DateTime } from 'luxon';
import { effectiveStatus } from '../core/attendance-outcome.js';
import { slotRates, weeklyAttendanceRates, type SlotRate, type WeekRate } from '../core/attendance-rates.js';
import type { Db } from '../db/database.js';

/** The charts' numbers for one program over the last `weeks` ISO weeks (this one included). */
export async function readAttendanceStats(
  prisma: Db,
  input: { organizationId: string; programId: string; timezone: string; now: Date; weeks?: number },
): Promise<{ weekly: WeekRate[]; slots: SlotRate[] }> {
  const since = DateTime.fromJSDate(input.now, { zone: input.timezone }).startOf('week').minus({ weeks: (input.weeks ?? 12) - 1 });
  const rows = await prisma.attendance.findMany({
    where: { organizationId: input.organizationId, session: { programId: input.programId, startsAt: { gte: since.toJSDate(), lte: input.now } } },
    select: { status: true, overrideStatus: true, session: { select: { startsAt: true } } },
  });
  const lines = rows.map((r) => ({ startsAt: r.session.startsAt, status: effectiveStatus(r.status, r.overrideStatus) }));
  return { weekly: weeklyAttendanceRates(lines, input.timezone), slots: slotRates(lines, input.timezone) };
}
