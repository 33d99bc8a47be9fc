import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { organizationSettingsSchema } from '../../core/organization-settings.js';
import { plainText } from '../../core/plain-text.js';
import { updateOrganization } from '../../services/organization-changes.js';
import { readOrganization } from '../../services/queries/organization-queries.js';
import { CONTACT_ROWS, PARTICIPANT_CHAT_PLATFORMS } from '../../web/clinic-form.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { showSettingsIndex } from './settings-routes.js';
import { requireCsrf, requireRole, staffOf } from './staff-guard.js';

const nameSchema = plainText(200);
const labelSchema = plainText(120);
const phoneSchema = plainText(40);

/** Settings' "Clinic": its name and crisis contacts, saved through the admin API's updateOrganization. */
export function clinicRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.post('/settings/clinic', guard, requireRole('owner', 'admin'), form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const body = req.body as Record<string, unknown>;
    const keys = ['name', ...Array.from({ length: CONTACT_ROWS }, (_, i) => [`contact${i + 1}Label`, `contact${i + 1}Phone`]).flat()];
    const values = Object.fromEntries(keys.map((k) => [k, typeof body[k] === 'string' ? (body[k] as string).trim() : '']));
    const errors: Record<string, string> = {};
    if (!nameSchema.safeParse(values.name).success) errors.name = 'Enter the clinic’s name (at most 200 characters).';
    const current = await readOrganization(deps, staff.organizationId);
    const contacts: z.infer<typeof organizationSettingsSchema>['crisisContacts'] = [];
    for (let i = 1; i <= CONTACT_ROWS; i++) {
      const label = values[`contact${i}Label`]!;
      const phone = values[`contact${i}Phone`]!;
      if (!label && !phone) continue;
      if (!labelSchema.safeParse(label).success) errors[`contact${i}Label`] = 'Say who this is (at most 120 characters).';
      if (phone && !phoneSchema.safeParse(phone).success) errors[`contact${i}Phone`] = 'Enter a phone number of at most 40 characters.';
      // A contact kept under the same name keeps its text line and link (set through the admin API).
      const before = current.settings.crisisContacts.find((c) => c.label === label);
      contacts.push({ label, ...(phone ? { phone } : {}), ...(before?.text ? { text: before.text } : {}), ...(before?.url ? { url: before.url } : {}) });
    }
    if (Object.keys(errors).length > 0) return showSettingsIndex(deps, res, { values, errors }, 400);
    const settings = organizationSettingsSchema.parse({ ...current.settings, crisisContacts: contacts });
    await updateOrganization(deps, { organizationId: staff.organizationId, actor: staff.actor, name: values.name, settings, givenFields: ['name', 'crisisContacts'] });
    res.redirect(303, '/settings?saved=clinic');
  });

  // Checkboxes: a ticked box sends "on", an unticked one nothing; anything else was not sent by this form.
  router.post('/settings/participant-chat', guard, requireRole('owner', 'admin'), form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const body = req.body as Record<string, unknown>;
    const odd = PARTICIPANT_CHAT_PLATFORMS.find((p) => body[p.key] !== undefined && body[p.key] !== 'on');
    if (odd) return showSettingsIndex(deps, res, undefined, 400, false, `the choice for ${odd.label} was not understood; tick the box or leave it empty.`);
    const current = await readOrganization(deps, staff.organizationId);
    const participantChat = Object.fromEntries(PARTICIPANT_CHAT_PLATFORMS.map((p) => [p.key, body[p.key] === 'on'])) as typeof current.settings.participantChat;
    const settings = organizationSettingsSchema.parse({ ...current.settings, participantChat });
    await updateOrganization(deps, { organizationId: staff.organizationId, actor: staff.actor, settings, givenFields: ['participantChat'] });
    res.redirect(303, '/settings?saved=participant-chat');
  });

  return router;
}
