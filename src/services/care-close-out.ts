import { noShowFollowUpMessage } from '../core/care-messages.js';
import { connectionLossesByParticipant } from '../core/connection-losses.js';
import type { CareDeps } from './care-deps.js';
import { sendToParticipant } from './participant-outbox.js';
import { listLibraryMaterials } from './queries/care-queries.js';
import type { CloseOutStep } from './session-close-out.js';
import { sendConnectionHelp } from './tech-help.js';
import { warnIfHoursAtRisk } from './weekly-progress.js';

/**
 * After a session is finalized: the caring message to each unexcused no-show who has not told us
 * anything (`noShowFollowUp`), troubleshooting help to whoever lost their connection
 * `connectionLossesForHelp` times, and the week's early warning for everyone expected.
 */
export function careCloseOutStep(deps: CareDeps): CloseOutStep {
  return {
    name: 'care',
    messagesParticipants: true,
    async run(sessionId) {
      const { prisma } = deps;
      const peeked = await deps.evaluator.peek(sessionId);
      if (!peeked) return;
      const { bundle } = peeked;
      const { organizationId } = bundle.session;
      const policy = bundle.program.policy;
      const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { schedule: true } });
      const joinUrl = session.joinUrl ?? session.schedule?.joinUrl ?? null;
      if (policy.noShowFollowUp) {
        const [noShows, absences] = await Promise.all([
          prisma.attendance.findMany({ where: { organizationId, sessionId, final: true, status: 'no_show', overrideStatus: null }, select: { participantId: true } }),
          prisma.absence.findMany({ where: { organizationId, sessionId }, select: { participantId: true } }),
        ]);
        const told = new Set(absences.map((a) => a.participantId));
        // Make-up guests who did not come are not asked here: their booking is recorded as missed.
        const enrolledIds = new Set((await prisma.enrollment.findMany({ where: { organizationId, programId: bundle.program.id }, select: { participantId: true } })).map((e) => e.participantId));
        // The program's library, offered to someone who missed a session (never counted as attendance).
        const materials = (await listLibraryMaterials(deps, organizationId, bundle.program.id, 5)).map((m) => ({ title: m.title, url: m.url }));
        for (const { participantId } of noShows.filter((n) => !told.has(n.participantId) && enrolledIds.has(n.participantId))) {
          await sendToParticipant(deps, { organizationId, participantId, dedupeKey: `no-show:${sessionId}:${participantId}`, purpose: 'no_show_follow_up', message: noShowFollowUpMessage({ sessionId, materials }) });
        }
      }
      const losses = connectionLossesByParticipant(bundle.session.meetingPlatform, bundle.events, bundle.expected);
      for (const [participantId, count] of losses) {
        if (count < policy.connectionLossesForHelp) continue;
        await sendConnectionHelp(deps, { organizationId, programId: bundle.program.id, sessionId, participantId, joinUrl, ...(policy.techContact ? { techContact: policy.techContact } : {}) });
      }
      const enrolled = await prisma.enrollment.findMany({ where: { organizationId, programId: bundle.program.id, status: 'active' }, select: { participantId: true } });
      for (const { participantId } of enrolled) await warnIfHoursAtRisk(deps, { organizationId, programId: bundle.program.id, participantId });
    },
  };
}
