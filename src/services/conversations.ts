import { recordAbsence } from './absences.js';
import { decideReply, type Reply } from '../core/conversation.js';
import { resolveOrganizationSettings } from '../core/organization-settings.js';
import { resolvePolicy, type AbsenceCategory } from '../core/policy.js';
import { isExcusedByPolicy } from '../core/absence-rules.js';
import { recordParticipantContact } from './participant-contact.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { findParticipantByChatUser } from './participant-lookup.js';
import { findMakeUps } from './makeups.js';
import { raiseParticipantAlert } from './participant-alerts.js';
import { loadParticipantProgress } from './participant-progress.js';
import type { SessionEvaluator } from './session-evaluator.js';

export interface ConversationDeps {
  prisma: Db;
  clock: Clock;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

const UNKNOWN_PERSON =
  "Hi! I'm Rollcall, your program's attendance helper. I don't know your account yet: please ask your clinic to connect it. If you are in danger, call or text 988, or call 911.";

/**
 * One direct message from a participant, on any platform. The crisis check runs first for
 * everyone, known or not, chat on or off; a crisis raises an urgent alert naming no words of the
 * message. The reply is decided by the pure core; this only gathers the facts and acts on them.
 */
export async function handleParticipantMessage(
  deps: ConversationDeps,
  input: { organizationId: string; platform: Platform; platformUserId: string; text: string; deliveryId: string },
): Promise<{ reply: Reply | { type: 'unknown_person'; text: string }; participantId?: string }> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: input.organizationId } });
  const settings = resolveOrganizationSettings(organization.settings);
  const participant = await findParticipantByChatUser(prisma, input.organizationId, input.platform, input.platformUserId);
  const progress = participant ? await loadParticipantProgress(deps, input.organizationId, participant.id) : undefined;
  const timezone = participant?.timezone ?? progress?.upcoming[0]?.timezone ?? 'UTC';
  const reply = decideReply({
    text: input.text,
    now,
    timezone,
    participantChatEnabled: settings.participantChat[input.platform],
    upcomingSessions: (progress?.upcoming ?? []).map((s) => ({ id: s.sessionId, startsAt: s.startsAt, endsAt: s.endsAt, programName: s.programName })),
    weekly: progress ? { minutes: progress.weekMinutes, requiredMinutes: progress.requiredMinutes, text: progress.weekText } : undefined,
    strikes: progress?.strikes,
    nextSession: progress?.upcoming[0] ? { startsAt: progress.upcoming[0].startsAt, programName: progress.upcoming[0].programName } : undefined,
    clinicContact: settings.clinicContact,
    crisisContacts: settings.crisisContacts,
  });
  if (reply.type === 'crisis') {
    // Someone not yet linked to a participant still reaches people: every program's staff is told,
    // with the platform account so they can find who it is.
    await raiseParticipantAlert(deps, {
      organizationId: input.organizationId,
      participantId: participant?.id ?? null,
      kind: 'crisis',
      dedupeKey: `${input.platform}-message:${input.deliveryId}`,
      detail: { via: input.platform, ...(participant ? {} : { displayName: `unlinked ${input.platform} user ${input.platformUserId}` }) },
    });
  }
  if (participant) await recordParticipantContact(prisma, input.organizationId, participant.id, now);
  if (!participant && reply.type !== 'crisis') return { reply: { type: 'unknown_person', text: UNKNOWN_PERSON } };
  return { reply, participantId: participant?.id };
}

/**
 * The participant confirmed an absence for a session: it is stored (excused when the category is
 * on the program's excused list), staff get `Absence reported` with the category only, and the
 * make-ups the participant may book are returned (services/makeups.ts).
 */
export async function confirmReportedAbsence(
  deps: ConversationDeps,
  input: { organizationId: string; platform: Platform; platformUserId: string; sessionId: string; category: AbsenceCategory },
): Promise<{ ok: false } | { ok: true; excused: boolean; makeUps: { sessionId: string; startsAt: Date; programName: string; timezone: string }[] }> {
  const { prisma } = deps;
  const participant = await findParticipantByChatUser(prisma, input.organizationId, input.platform, input.platformUserId);
  if (!participant) return { ok: false };
  const session = await prisma.session.findFirst({ where: { id: input.sessionId, organizationId: input.organizationId }, include: { program: true } });
  const enrolled = session && (await prisma.enrollment.findFirst({ where: { organizationId: input.organizationId, programId: session.programId, participantId: participant.id } }));
  if (!session || !enrolled) return { ok: false };
  const excused = isExcusedByPolicy(resolvePolicy(session.program.policy), { category: input.category, reportedAt: deps.clock.now(), sessionStartsAt: session.startsAt });
  const absence = await recordAbsence(deps, {
    organizationId: input.organizationId,
    programId: session.programId,
    sessionId: session.id,
    participantId: participant.id,
    category: input.category,
    excused,
    reportedBy: 'participant',
    reportedVia: input.platform,
    audit: { actor: `${input.platform}:${input.platformUserId}`, action: 'absence.report' },
    reuseWhere: { reportedBy: 'participant' },
  });
  await deps.evaluator.evaluate(session.id);
  const found = await findMakeUps(deps, { organizationId: input.organizationId, participantId: participant.id, missedSessionId: session.id });
  return {
    ok: true,
    excused: absence.excused,
    makeUps: (found?.options ?? []).slice(0, 4).map((s) => ({ ...s, timezone: found!.zone })),
  };
}
