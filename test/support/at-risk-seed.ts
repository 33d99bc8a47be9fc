import { resolvePolicy } from '../../src/core/policy.js';
import type { Db } from '../../src/db/database.js';

const HOUR = 3_600_000;
const ZONES = ['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Australia/Sydney', 'Pacific/Auckland'];
/** Session starts, in hours from now: weeks back (strike history), this week's past, one running now (even programs), and ahead. */
const STARTS = [-20 * 24, -13 * 24, -9 * 24, -6 * 24, -3 * 24, -50, -26, -5, 3, 27, 51, 75];
/** One letter per finished session (see OUTCOME); cycled with an offset per person, so histories differ. */
const LETTERS = 'pplnnesxfp';
const OUTCOME: Record<string, { status: string; flags: string[]; minutes: number; override?: string }> = {
  p: { status: 'present', flags: [], minutes: 178 },
  l: { status: 'late', flags: ['late'], minutes: 150 },
  n: { status: 'no_show', flags: [], minutes: 0 },
  e: { status: 'excused', flags: [], minutes: 0 },
  s: { status: 'no_show', flags: [], minutes: 0, override: 'excused' },
  x: { status: 'present', flags: ['short_stay'], minutes: 60 },
  f: { status: 'present', flags: ['left_early'], minutes: 120 },
};

export interface RiskClinic {
  organizationId: string;
  programIds: string[];
  participantIds: string[];
}

/**
 * A clinic of `programs` × `perProgram` people with varied histories, written straight to the
 * database: program zones and hours rules differ, some people have their own zone, some are in two
 * programs or discharged, misses in a row, excused and staff-excused absences, short stays, a
 * session running now, absences announced for sessions ahead, make-ups booked (and one attended)
 * in another program this week, open and closed follow-ups.
 */
export async function seedRiskClinic(prisma: Db, now: Date, programs: number, perProgram: number, name = 'Risk Clinic'): Promise<RiskClinic> {
  const { id: organizationId } = await prisma.organization.create({ data: { name } });
  const programIds: string[] = [];
  const sessionsOf: { id: string; startsAt: Date; endsAt: Date }[][] = [];
  for (let p = 0; p < programs; p++) {
    const policy = resolvePolicy({
      weeklyHoursRequired: [9, 3, 0, 6][p % 4],
      weeklyHoursCredit: p % 3 === 0 ? 'present' : 'scheduled',
      excusedCountsAgainstHours: p % 5 === 1,
      strikeWindowDays: [30, 14, 60][p % 3],
    });
    const program = await prisma.program.create({ data: { organizationId, name: `Program ${String(p).padStart(2, '0')}`, timezone: ZONES[p % ZONES.length]!, policy, alertPlatform: 'slack', alertChannelId: 'C0STAFF' } });
    programIds.push(program.id);
    const starts = [...STARTS, ...(p % 2 === 0 ? [-1] : [])].map((h) => new Date(now.getTime() + (h + p / 4) * HOUR));
    await prisma.session.createMany({
      data: starts.map((startsAt, i) => ({ organizationId, programId: program.id, startsAt, endsAt: new Date(startsAt.getTime() + (i % 3 === 0 ? 2 : 3) * HOUR), meetingPlatform: 'zoom' as const, meetingId: `8600${p}` })),
    });
    sessionsOf.push(await prisma.session.findMany({ where: { programId: program.id }, orderBy: { startsAt: 'asc' }, select: { id: true, startsAt: true, endsAt: true } }));
  }
  const participantIds: string[] = [];
  const attendance: object[] = [];
  const absences: object[] = [];
  for (let p = 0; p < programs; p++) {
    for (let j = 0; j < perProgram; j++) {
      const participant = await prisma.participant.create({
        data: { organizationId, name: `Person ${p}-${String(j).padStart(2, '0')}`, timezone: j % 4 === 0 ? 'Pacific/Auckland' : j % 4 === 1 ? 'America/Los_Angeles' : null },
      });
      participantIds.push(participant.id);
      const participantId = participant.id;
      const inPrograms = [p, ...(j % 5 === 0 && programs > 1 ? [(p + 1) % programs] : [])];
      for (const q of inPrograms) {
        await prisma.enrollment.create({ data: { organizationId, programId: programIds[q]!, participantId, status: j % 11 === 10 ? 'discharged' : 'active' } });
      }
      for (const q of inPrograms) {
        const programId = programIds[q]!;
        let k = 0;
        let unfinished = 0;
        for (const session of sessionsOf[q]!) {
          const finished = session.endsAt <= now;
          if (!finished) {
            // Said they will miss sessions ahead: those who stopped coming all of them (a short week), every
            // sixth all but the next (at risk), every third the next one only.
            const nth = unfinished++;
            const skips = j % 6 === 5 || (j % 6 === 3 && nth > 0) || (j % 3 === 0 && j % 6 !== 3 && nth === 0);
            if (skips) absences.push({ organizationId, programId, participantId, sessionId: session.id, category: 'illness', excused: true, reportedBy: 'participant' });
            if (session.startsAt > now || skips) continue;
          }
          // Those who stopped coming (and those at risk) missed every finished session of the last eight days.
          const recent = session.startsAt.getTime() > now.getTime() - 8 * 24 * HOUR;
          const letter = (j % 6 === 5 || j % 6 === 3) && recent ? 'n' : LETTERS[(p * 7 + j * 3 + k++) % LETTERS.length]!;
          const outcome = OUTCOME[letter]!;
          attendance.push({
            organizationId,
            sessionId: session.id,
            participantId,
            status: finished ? outcome.status : 'present',
            flags: finished ? outcome.flags : [],
            minutesPresent: finished ? outcome.minutes : 30,
            final: finished,
            overrideStatus: finished ? (outcome.override ?? null) : null,
          });
          if (finished && (letter === 'e' || letter === 's')) absences.push({ organizationId, programId, participantId, sessionId: session.id, category: 'transport', excused: true, reportedBy: 'staff' });
        }
      }
      if (programs > 1 && j % 4 === 2) {
        // A make-up in the next program for the session three days ago: booked ahead, or (every other one) attended yesterday.
        const missed = sessionsOf[p]![4]!;
        const other = sessionsOf[(p + 1) % programs]!;
        const attended = j % 8 === 6;
        const makeUp = attended ? other.find((s) => s.endsAt <= now && s.startsAt.getTime() > now.getTime() - 30 * HOUR)! : other.find((s) => s.startsAt > now)!;
        await prisma.makeUpBooking.create({ data: { organizationId, participantId, missedSessionId: missed.id, makeUpSessionId: makeUp.id, state: attended ? 'attended' : 'booked' } });
        if (attended) attendance.push({ organizationId, sessionId: makeUp.id, participantId, status: 'present', flags: [], minutesPresent: 170, final: true });
      }
      if (j % 5 === 1) await prisma.followUp.create({ data: { organizationId, programId: programIds[p]!, participantId, kind: 'formal_review' } });
      if (j % 7 === 3) await prisma.followUp.create({ data: { organizationId, programId: programIds[p]!, participantId, kind: 'outreach', state: 'done' } });
    }
  }
  // A participant's make-up attendance may repeat a row the program's own history wrote; the first wins.
  const seen = new Set<string>();
  const unique = (attendance as { sessionId: string; participantId: string }[]).filter((a) => !seen.has(`${a.sessionId}:${a.participantId}`) && seen.add(`${a.sessionId}:${a.participantId}`));
  await prisma.attendance.createMany({ data: unique as never });
  await prisma.absence.createMany({ data: absences as never });
  return { organizationId, programIds, participantIds };
}
