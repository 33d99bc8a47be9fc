import { z } from 'zod';
import { plainText } from './plain-text.js';

/** Where participants may chat with the bot. Slack is off by default: its terms forbid patient chat (DESIGN.md). */
export const participantChatSchema = z
  .object({ slack: z.boolean().default(false), teams: z.boolean().default(true), zoom: z.boolean().default(true) })
  .strict();

export const crisisContactSchema = z
  .object({ label: plainText(120), phone: plainText(40, { minLength: 0 }).optional(), text: plainText(40, { minLength: 0 }).optional(), url: z.string().url().optional() })
  .strict();

export const organizationSettingsSchema = z
  .object({
    participantChat: participantChatSchema.default({ slack: false, teams: true, zoom: true }),
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
