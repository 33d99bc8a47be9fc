import type { Participant, Program, Schedule, Session, Identity } from '../../generated/prisma/client.js';
import { policySchema } from '../../core/policy.js';

/** The stored policy with every default filled in (fields added since it was stored included). */
function policyWithDefaults(stored: unknown): unknown {
  const parsed = policySchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : stored;
}

export function serializeProgram(program: Program) {
  return {
    id: program.id,
    name: program.name,
    timezone: program.timezone,
    policy: policyWithDefaults(program.policy),
    alertChannel: { platform: program.alertPlatform, channelId: program.alertChannelId },
    staffUserIds: program.staffUserIds,
    createdAt: program.createdAt,
    updatedAt: program.updatedAt,
  };
}

export function serializeParticipant(participant: Participant & { identities?: Identity[] }) {
  return {
    id: participant.id,
    name: participant.name,
    email: participant.email,
    timezone: participant.timezone,
    phone: participant.phone,
    smsConsent: participant.smsConsent,
    /** When and how consent last changed (null: never given). */
    smsConsentChange: participant.smsConsentAt ? { at: participant.smsConsentAt, source: participant.smsConsentSource } : null,
    identities: (participant.identities ?? []).map((identity) => ({ platform: identity.platform, kind: identity.kind, externalId: identity.value })),
    createdAt: participant.createdAt,
  };
}

export function serializeSchedule(schedule: Schedule) {
  return {
    id: schedule.id,
    programId: schedule.programId,
    rrule: schedule.rrule,
    startTime: schedule.startTime,
    durationMinutes: schedule.durationMinutes,
    anchor: schedule.anchor,
    meeting: { platform: schedule.meetingPlatform, meetingId: schedule.meetingId, ...(schedule.joinUrl ? { joinUrl: schedule.joinUrl } : {}) },
  };
}

export function serializeSession(session: Session) {
  return {
    id: session.id,
    programId: session.programId,
    scheduleId: session.scheduleId,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    meeting: { platform: session.meetingPlatform, meetingId: session.meetingId, ...(session.joinUrl ? { joinUrl: session.joinUrl } : {}) },
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    finalizedAt: session.finalizedAt,
    /** What the platform's post-meeting report changed (docs/design.md, "After a session"); null until merged. */
    reconciledAt: session.reconciledAt,
    reconciliation: session.reconciliation,
  };
}
