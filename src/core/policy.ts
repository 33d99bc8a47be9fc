import { z } from 'zod';

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
