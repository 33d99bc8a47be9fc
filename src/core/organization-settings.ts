import { z } from 'zod';
import { e164Schema } from './phone-number.js';
import { plainText } from './plain-text.js';

/**
 * Where participants may chat with the bot. Slack is off by default: its terms forbid patient chat
 * (DESIGN.md). SMS is on by default, which matters only where Twilio is configured (docs/sms.md).
 */
export const participantChatSchema = z
  .object({ slack: z.boolean().default(false), teams: z.boolean().default(true), zoom: z.boolean().default(true), sms: z.boolean().default(true) })
  .strict();

/** The order in which the bot looks for a participant's channel; platforms left out come after, in the default order. */
export const DEFAULT_CHAT_ORDER = ['teams', 'zoom', 'slack', 'sms'] as const;
export const chatOrderSchema = z.array(z.enum(DEFAULT_CHAT_ORDER)).max(4).refine((list) => new Set(list).size === list.length, { message: 'names a platform twice' });

export const crisisContactSchema = z
  .object({ label: plainText(120), phone: plainText(40, { minLength: 0 }).optional(), text: plainText(40, { minLength: 0 }).optional(), url: z.string().url().optional() })
  .strict();

export const organizationSettingsSchema = z
  .object({
    participantChat: participantChatSchema.default({ slack: false, teams: true, zoom: true, sms: true }),
    /** e.g. ["sms", "teams"]: text first where the participant consented, then chat. */
    participantChatOrder: chatOrderSchema.default([...DEFAULT_CHAT_ORDER]),
    /** How a program is named in text messages, which can be read on a lock screen (minimum necessary). */
    smsProgramName: plainText(60).default('your group'),
    /**
     * The clinic's own Twilio numbers (E.164) in the deployment's Twilio account: texts to them are
     * this clinic's, and its texts go from the first (docs/sms.md, "Several clinics").
     */
    smsNumbers: z.array(e164Schema).max(20).refine((list) => new Set(list).size === list.length, { message: 'names a number twice' }).default([]),
    /** The clinic's own Messaging Service (MG…): texts go through it, and texts it forwards are this clinic's. */
    smsMessagingServiceSid: z.string().trim().regex(/^MG[0-9a-f]{32}$/, { message: 'must be a Messaging Service SID (MG followed by 32 hex digits)' }).optional(),
    /** Resources given with every crisis reply, after the national ones (988, 911). */
    crisisContacts: z.array(crisisContactSchema).max(10).default([]),
    /** Where participants can reach the clinic when chat with the bot is off on their platform. */
    clinicContact: plainText(200, { minLength: 0 }).optional(),
  })
  .strict();

export type OrganizationSettings = z.infer<typeof organizationSettingsSchema>;

export function resolveOrganizationSettings(stored: unknown): OrganizationSettings {
  return organizationSettingsSchema.parse(stored ?? {});
}
