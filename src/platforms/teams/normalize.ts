import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cleanDisplayName, cleanPlatformText } from '../../core/platform-text.js';
import type { PresenceEvent, PresenceKind } from '../../core/presence-event.js';

/**
 * The one table of Teams meeting events we read. Teams sends the participant events with singular
 * names; @microsoft/teams-ai 1.7 listens for plural ones Teams never sends, so we route these
 * ourselves (docs/teams.md).
 */
export const MEETING_EVENTS: Readonly<Record<string, PresenceKind>> = {
  'application/vnd.microsoft.meetingStart': 'meeting_started',
  'application/vnd.microsoft.meetingEnd': 'meeting_ended',
  'application/vnd.microsoft.meetingParticipantJoin': 'joined',
  'application/vnd.microsoft.meetingParticipantLeave': 'left',
};

const text = z.string().trim().min(1);

/**
 * Every string of an inbound activity without NUL and the other C0 controls (tab and newline stay).
 * PostgreSQL refuses NUL in text and jsonb, so one in a name, a message or an id made the activity
 * fail on every retry; the rest garble logs and cards. Keys are left alone: they are field names.
 */
export function cleanActivityStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanPlatformText(value);
  if (depth > 32 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => cleanActivityStrings(item, depth + 1));
  const cleaned: Record<string, unknown> = {};
  // defineProperty: a `__proto__` key from JSON stays a plain field, as JSON.parse made it.
  for (const [key, item] of Object.entries(value)) Object.defineProperty(cleaned, key, { value: cleanActivityStrings(item, depth + 1), enumerable: true, writable: true, configurable: true });
  return cleaned;
}

/** The parts of a meeting event activity we read; Teams sends more. */
export const meetingActivitySchema = z.object({
  id: text,
  type: z.literal('event'),
  name: text,
  // botbuilder turns the wire's ISO string into a Date before handlers see it.
  timestamp: z.union([z.string(), z.date()]).optional(),
  conversation: z.object({ id: text, conversationType: z.string().optional() }),
  channelData: z.object({
    tenant: z.object({ id: text }).optional(),
    meeting: z.object({ id: text }),
  }),
  value: z
    .object({
      // Start and end arrive PascalCase (Teams' own casing); teams-ai v1 only casts them to camelCase types.
      Id: z.string().optional(),
      JoinUrl: z.string().optional(),
      MeetingType: z.string().optional(),
      StartTime: z.string().optional(),
      EndTime: z.string().optional(),
      members: z
        .array(
          z.object({
            user: z.object({ id: text, name: z.string().optional(), aadObjectId: z.string().optional() }),
            meeting: z.object({ inMeeting: z.boolean().optional(), role: z.string().optional() }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type MeetingActivity = z.infer<typeof meetingActivitySchema>;

export type MeetingNormalizeResult = { type: 'presence'; events: PresenceEvent[]; activity: MeetingActivity } | { type: 'invalid'; issues: string[] };

const dedupeKey = (activityId: string, member: string) => createHash('sha256').update(`teams|${activityId}|${member}`).digest('hex');

function dateOf(...candidates: (string | Date | undefined)[]): Date | undefined {
  for (const candidate of candidates) {
    const date = candidate ? new Date(candidate) : undefined;
    if (date && !Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

/**
 * One meeting event activity → presence facts. A join or leave carries `members[]`: one fact per
 * member, each keyed by the activity id and the member, so Teams' retry of the activity (same id)
 * stores nothing twice. Members are named by their AAD object id; guests have none and are named
 * by their Teams id and display name, which sends them down the unrecognized-joiner path.
 */
export function normalizeMeetingActivity(raw: unknown, receivedAt: Date): MeetingNormalizeResult {
  const parsed = meetingActivitySchema.safeParse(raw);
  if (!parsed.success) return { type: 'invalid', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const activity = parsed.data;
  const kind = MEETING_EVENTS[activity.name];
  if (!kind) return { type: 'invalid', issues: [`name: not a meeting event: ${activity.name}`] };
  const base = { platform: 'teams' as const, kind, meetingId: activity.channelData.meeting.id, accountId: activity.channelData.tenant?.id };
  const value = activity.value ?? {};
  if (kind === 'meeting_started' || kind === 'meeting_ended') {
    const occurredAt = dateOf(kind === 'meeting_started' ? value.StartTime : value.EndTime, activity.timestamp) ?? receivedAt;
    return { type: 'presence', activity, events: [{ ...base, occurredAt, dedupeKey: dedupeKey(activity.id, kind) }] };
  }
  // Join and leave events carry no time of their own: the activity's timestamp is when Teams saw it.
  const occurredAt = dateOf(activity.timestamp) ?? receivedAt;
  const events = (value.members ?? []).map((member): PresenceEvent => {
    const aad = member.user.aadObjectId?.trim() || undefined;
    const displayName = cleanDisplayName(member.user.name ?? '');
    return {
      ...base,
      occurredAt,
      person: { key: aad ?? member.user.id, ...(aad ? { userId: aad } : {}), ...(displayName ? { displayName } : {}) },
      dedupeKey: dedupeKey(activity.id, aad ?? member.user.id),
    };
  });
  if (events.length === 0) return { type: 'invalid', issues: ['value.members: a join or leave names no one'] };
  return { type: 'presence', activity, events };
}
