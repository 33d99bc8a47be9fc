import { IANAZone } from 'luxon';
import { z } from 'zod';
import { e164Schema } from '../../core/phone-number.js';
import { plainText } from '../../core/plain-text.js';

export const platformSchema = z.enum(['zoom', 'teams', 'slack']);

export const timezoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), { message: 'must be an IANA time zone such as America/New_York' });

export const channelSchema = z.object({ platform: platformSchema, channelId: plainText(200) }).strict();

export const meetingSchema = z
  .object({ platform: platformSchema, meetingId: plainText(200), joinUrl: z.url({ protocol: /^https$/ }).max(2000).optional() })
  .strict();

export const identityKindSchema = z.enum(['user_id', 'email', 'registrant_id', 'customer_key', 'alias', 'aad_object_id']);

export const identityInputSchema = z
  .object({ platform: platformSchema, externalId: plainText(320), kind: identityKindSchema.optional() })
  .strict();

export const programCreateSchema = z
  .object({
    name: plainText(200),
    timezone: timezoneSchema,
    policy: z.record(z.string(), z.unknown()).optional(),
    alertChannel: channelSchema,
    staffUserIds: z.array(plainText(200)).max(200).optional(),
  })
  .strict();

export const programPatchSchema = programCreateSchema.partial().strict();

/** How staff record consent: on the intake form, or themselves (a participant's own texts record the rest). */
const smsConsentSourceSchema = z.enum(['intake_form', 'staff']);

export const participantPatchSchema = z
  .object({ phone: e164Schema.nullable().optional(), smsConsent: z.boolean().optional(), smsConsentSource: smsConsentSourceSchema.optional() })
  .strict()
  .refine((input) => input.phone !== undefined || input.smsConsent !== undefined, { message: 'give phone or smsConsent' });

export const participantCreateSchema = z
  .object({
    name: plainText(200),
    email: z.string().trim().toLowerCase().email().optional(),
    timezone: timezoneSchema.optional(),
    identities: z.array(identityInputSchema).max(20).optional(),
    /** The participant's mobile number, E.164; texted only with smsConsent (docs/sms.md). */
    phone: e164Schema.optional(),
    smsConsent: z.boolean().optional(),
    /** Where the consent was given; staff when absent. */
    smsConsentSource: smsConsentSourceSchema.optional(),
    /** Intake: sessions that ended before it are not theirs. Defaults to now; earlier when back-filling. */
    enrolledAt: z.iso.datetime({ offset: true, message: 'must be ISO-8601 with an offset' }).optional(),
  })
  .strict();

export const scheduleCreateSchema = z
  .object({
    rrule: plainText(500),
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM (24-hour)' }),
    durationMinutes: z.number().int().min(5).max(12 * 60),
    meeting: meetingSchema,
    /** The first day the rule may fall on (YYYY-MM-DD, in the program's zone); today when absent. */
    startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be YYYY-MM-DD' }).optional(),
  })
  .strict();

const instant = z.iso.datetime({ offset: true, message: 'must be ISO-8601 with an offset, e.g. 2026-12-01T18:00:00-05:00' });

/** A back-filled session's presence, entered with it: each participant's stays. */
const enteredPresenceSchema = z
  .array(
    z
      .object({
        participantId: z.uuid(),
        intervals: z
          .array(z.object({ joinedAt: instant, leftAt: instant }).strict().refine((i) => new Date(i.leftAt) > new Date(i.joinedAt), { path: ['leftAt'], message: 'must be after joinedAt' }))
          .min(1)
          .max(50),
      })
      .strict(),
  )
  .max(500);

export const sessionCreateSchema = z
  .object({ startsAt: instant, endsAt: instant, meeting: meetingSchema, presence: enteredPresenceSchema.optional() })
  .strict()
  .refine((s) => new Date(s.endsAt) > new Date(s.startsAt), { path: ['endsAt'], message: 'must be after startsAt' })
  .refine((s) => new Date(s.endsAt).getTime() - new Date(s.startsAt).getTime() <= 12 * 3600_000, {
    path: ['endsAt'],
    message: 'a session lasts at most 12 hours',
  });
