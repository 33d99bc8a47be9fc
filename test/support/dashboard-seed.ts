import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { resolvePolicy } from '../../src/core/policy.js';
import type { Db } from '../../src/db/database.js';
import { hashToken } from '../../src/http/admin/auth.js';
import { writeAudit } from '../../src/services/audit.js';

export const SEED_ZONE = 'America/New_York';

/** Who attended which seeded session: one letter per session, oldest first (p present, l late, n no-show, e excused by an absence, s no-show that staff excused). */
export const SEED_PATTERN: Record<string, string> = {
  'Avery Stone': 'pppll',
  'Blake Rivera': 'pepnp',
  'Casey Morgan, Jr.': 'nplsn',
};

const LETTER: Record<string, { status: string; minutes: number; override?: string }> = {
  p: { status: 'present', minutes: 178 },
  l: { status: 'late', minutes: 150 },
  n: { status: 'no_show', minutes: 0 },
  e: { status: 'excused', minutes: 0 },
  s: { status: 'no_show', minutes: 0, override: 'excused' },
};

export interface Seed {
  token: string;
  organizationId: string;
  programId: string;
  participants: Record<string, string>;
  sessionIds: string[];
  followUpId: string;
}

/**
 * A clinic with one evening program, three participants and five finished sessions over the last
 * two weeks, written straight to the database as the engine would have left them (finalized, so the
 * sweep leaves them alone): statuses, minutes, one reported absence, one staff decision, one open follow-up.
 */
export async function seedClinic(prisma: Db, now: Date, options: { name?: string } = {}): Promise<Seed> {
  const token = randomBytes(16).toString('hex');
  const organization = await prisma.organization.create({ data: { name: options.name ?? 'Maple Clinic' } });
  const organizationId = organization.id;
  await prisma.apiToken.create({ data: { organizationId, tokenHash: hashToken(token), label: 'seed' } });
  const program = await prisma.program.create({
    data: { organizationId, name: 'Adult IOP – Evening', timezone: SEED_ZONE, policy: resolvePolicy({}), alertPlatform: 'slack', alertChannelId: 'C0STAFF' },
  });
  const participants: Record<string, string> = {};
  for (const name of Object.keys(SEED_PATTERN)) {
    const first = name.split(' ')[0]!.toLowerCase();
    const participant = await prisma.participant.create({ data: { organizationId, name, email: `${first}@example.org` } });
    participants[name] = participant.id;
    await prisma.identity.create({ data: { organizationId, participantId: participant.id, platform: 'zoom', kind: 'email', value: `${first}@example.org` } });
    await prisma.identity.create({ data: { organizationId, participantId: participant.id, platform: 'zoom', kind: 'alias', value: `${first}'s iphone` } });
    await prisma.enrollment.create({ data: { organizationId, programId: program.id, participantId: participant.id, enrolledAt: new Date(now.getTime() - 30 * 86_400_000) } });
  }
  const today = DateTime.fromJSDate(now, { zone: SEED_ZONE }).startOf('day');
  const sessionIds: string[] = [];
  for (const daysAgo of [12, 10, 8, 5, 3]) {
    const startsAt = today.minus({ days: daysAgo }).set({ hour: 18 }).toJSDate();
    const endsAt = new Date(startsAt.getTime() + 180 * 60_000);
    const session = await prisma.session.create({
      data: { organizationId, programId: program.id, startsAt, endsAt, meetingPlatform: 'zoom', meetingId: '85512345678', startedAt: startsAt, endedAt: endsAt, finalizedAt: endsAt },
    });
    sessionIds.push(session.id);
  }
  for (const [name, pattern] of Object.entries(SEED_PATTERN)) {
    const participantId = participants[name]!;
    for (const [i, letter] of [...pattern].entries()) {
      const sessionId = sessionIds[i]!;
      const outcome = LETTER[letter]!;
      await prisma.attendance.create({
        data: {
          organizationId,
          sessionId,
          participantId,
          status: outcome.status,
          flags: outcome.status === 'late' ? ['late'] : [],
          minutesPresent: outcome.minutes,
          final: true,
          overrideStatus: outcome.override ?? null,
          overrideReason: outcome.override ? 'called ahead' : null,
          overriddenBy: outcome.override ? 'slack:U0FACIL' : null,
        },
      });
      if (letter === 'e') {
        await prisma.absence.create({ data: { organizationId, programId: program.id, participantId, sessionId, category: 'illness', excused: true, reportedBy: 'participant', reportedVia: 'slack' } });
      }
      if (letter === 's') {
        await prisma.absence.create({ data: { organizationId, programId: program.id, participantId, sessionId, category: 'transport', excused: true, reportedBy: 'staff' } });
        await writeAudit(prisma, { organizationId, actor: 'slack:U0FACIL', action: 'attendance.override', entityType: 'Participant', entityId: participantId, data: { sessionId, status: 'excused' } });
      }
    }
  }
  const followUp = await prisma.followUp.create({
    data: { organizationId, programId: program.id, participantId: participants['Casey Morgan, Jr.']!, kind: 'outreach', createdAt: new Date(now.getTime() - 2 * 86_400_000) },
  });
  return { token, organizationId, programId: program.id, participants, sessionIds, followUpId: followUp.id };
}

/** RFC 4180, enough for the report's own output in tests. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}
