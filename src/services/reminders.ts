import { reminderMessage } from '../core/care-messages.js';
import { resolvePolicy } from '../core/policy.js';
import type { CareDeps } from './care-deps.js';
import { sendToParticipant } from './participant-outbox.js';
import { loadSessionSnapshot } from './session-snapshot.js';

/**
 * The DM `reminderMinutesBefore` a session with its join link, to everyone expected (enrolled and
 * make-up guests) except those who reported they will miss it. Once per participant and session.
 */
export async function sendSessionReminders(deps: CareDeps, sessionId: string): Promise<number> {
  const { prisma } = deps;
  const session = await prisma.session.findUnique({ where: { id: sessionId }, include: { program: true, schedule: true } });
  if (!session) return 0;
  const policy = resolvePolicy(session.program.policy);
  if (policy.reminderMinutesBefore <= 0 || session.startsAt <= deps.clock.now()) return 0;
  const facts = await loadSessionSnapshot(prisma, sessionId);
  if (!facts) return 0;
  const absent = new Set((await prisma.absence.findMany({ where: { organizationId: session.organizationId, sessionId }, select: { participantId: true } })).map((a) => a.participantId));
  const people = await prisma.participant.findMany({ where: { organizationId: session.organizationId, id: { in: facts.expected.map((p) => p.participantId).filter((id) => !absent.has(id)) } } });
  let sent = 0;
  for (const participant of people) {
    const result = await sendToParticipant(deps, {
      organizationId: session.organizationId,
      participantId: participant.id,
      dedupeKey: `reminder:${session.id}:${participant.id}`,
      purpose: 'reminder',
      // "Starts in 30 minutes" after the start would only confuse.
      expiresAt: session.startsAt,
      message: reminderMessage({
        participantName: participant.name,
        programName: session.program.name,
        startsAt: session.startsAt,
        zone: participant.timezone ?? session.program.timezone,
        joinUrl: session.joinUrl ?? session.schedule?.joinUrl ?? null,
        // Said as it is when sent: a reminder planned late still names the real wait.
        minutesBefore: Math.max(1, Math.round((session.startsAt.getTime() - deps.clock.now().getTime()) / 60_000)),
      }),
    });
    if (result.state === 'pending') sent += 1;
  }
  deps.log.info({ sessionId, sent }, 'session reminders');
  return sent;
}
