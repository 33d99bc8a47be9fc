import { z } from 'zod';
import { plainText } from './plain-text.js';

/** What the bot proposes at each strike count; a person decides (DESIGN.md, "Strikes"). */
export const strikeActionSchema = z.enum(['outreach', 'checkin', 'formal_review', 'discharge_review']);
export type StrikeAction = z.infer<typeof strikeActionSchema>;

export const absenceCategorySchema = z.enum(['technical', 'illness', 'family_emergency', 'work_school', 'transport', 'other']);
export type AbsenceCategory = z.infer<typeof absenceCategorySchema>;

export const nameDisplaySchema = z.enum(['first_last_initial', 'initials', 'full']);
export type NameDisplay = z.infer<typeof nameDisplaySchema>;

const minutes = (max: number) => z.number().int().min(0).max(max);

/** A program's attendance policy; every field has the default of DESIGN.md's rule table. */
export const policySchema = z
  .object({
    lateAfterMinutes: minutes(240).default(5),
    noShowAfterMinutes: minutes(240).default(15),
    leftEarlyMinutes: minutes(240).default(10),
    minAttendancePercent: z.number().min(0).max(100).default(75),
    waitingRoomAlertMinutes: minutes(120).default(2),
    rejoinWindowMinutes: minutes(120).default(5),
    weeklyHoursRequired: z.number().min(0).max(80).default(9),
    /** `scheduled`: a session attended credits its scheduled length (a short stay its minutes); `present`: raw minutes (src/core/weekly-credit.ts). */
    weeklyHoursCredit: z.enum(['scheduled', 'present']).default('scheduled'),
    /** An excused absence still counts against the week's hours; by default it lowers the requirement by its length. */
    excusedCountsAgainstHours: z.boolean().default(false),
    strikeWindowDays: z.number().int().min(1).max(365).default(30),
    /** Every Nth late join or short stay adds a strike; 0 turns it off. */
    lateStrikeEvery: z.number().int().min(0).max(50).default(3),
    strikeLadder: z
      .array(z.object({ strikes: z.number().int().min(1).max(50), action: strikeActionSchema }))
      .default([
        { strikes: 1, action: 'outreach' },
        { strikes: 2, action: 'checkin' },
        { strikes: 3, action: 'formal_review' },
        { strikes: 5, action: 'discharge_review' },
      ]),
    consecutiveMissesForReview: z.number().int().min(1).max(50).default(3),
    excusedReasons: z.array(absenceCategorySchema).default(['illness', 'family_emergency', 'technical']),
    nameDisplay: nameDisplaySchema.default('first_last_initial'),
    /** A participant-reported absence counts as excused only when reported this many hours before the start (and its reason is excused). */
    absenceNoticeHours: z.number().min(0).max(168).default(2),
    /** Short stays count toward `lateStrikeEvery` together with late joins. */
    shortStaysCountAsLates: z.boolean().default(true),
    /** A make-up must take place within this many days after the missed session. */
    makeUpWindowDays: z.number().int().min(0).max(90).default(14),
    /** Other programs whose sessions may stand in as make-ups (same organization). */
    makeUpPartnerProgramIds: z.array(z.uuid()).max(20).default([]),
    /** Most participants a session takes, counting make-up guests; 0 means no limit. */
    sessionCapacity: z.number().int().min(0).max(500).default(12),
    /** Zoom recordings of this program's sessions may be kept and offered to absent participants (psychoeducation only). */
    recordingsShareable: z.boolean().default(false),
    /** Minutes before each session the participant is reminded, with the join link; 0 turns reminders off. */
    reminderMinutesBefore: minutes(1440).default(30),
    /** Local day and time of the weekly progress message; null turns it off. */
    weeklyProgress: z
      .object({ weekday: z.number().int().min(1).max(7), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM') })
      .nullable()
      .default({ weekday: 1, time: '09:00' }),
    /** The caring message after a no-show, with reply buttons. */
    noShowFollowUp: z.boolean().default(true),
    /** Connection losses in one session before troubleshooting help is offered. */
    connectionLossesForHelp: z.number().int().min(1).max(20).default(2),
    /** Who participants contact for technical trouble, e.g. "IT help line (555) 010-0100". */
    techContact: plainText(200).optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (policy.lateAfterMinutes > policy.noShowAfterMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['lateAfterMinutes'],
        message: 'lateAfterMinutes must not exceed noShowAfterMinutes',
      });
    }
    const steps = policy.strikeLadder.map((step) => step.strikes);
    if (steps.some((count, i) => i > 0 && count <= steps[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['strikeLadder'], message: 'strikeLadder must be in increasing order of strikes' });
    }
  });

export type Policy = z.infer<typeof policySchema>;

export function resolvePolicy(input: unknown = {}): Policy {
  return policySchema.parse(input ?? {});
}
