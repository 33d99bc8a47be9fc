import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { toE164 } from '../../core/phone-number.js';
import { plainText } from '../../core/plain-text.js';
import type { Platform } from '../../core/presence-event.js';
import { isPrismaError } from '../../db/prisma-errors.js';
import { enrollParticipant } from '../../services/enrollments.js';
import { dischargeParticipant, enrollInAnotherProgram, updateParticipant } from '../../services/participant-changes.js';
import { requireProgram } from '../../services/queries/program-queries.js';
import { fieldErrors } from '../../web/form-fields.js';
import { renderAddParticipantPage } from '../../web/participant-forms.js';
import { requireId } from '../admin/auth.js';
import { timezoneSchema } from '../admin/schemas.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { showParticipantPage } from './participant-view.js';
import { requireCsrf, requireRole, requireVisibleParticipant, staffOf } from './staff-guard.js';

const PLATFORMS = ['zoom', 'teams', 'slack'] as const satisfies readonly Platform[];
const optionalZone = z.union([z.literal(''), timezoneSchema]);
const optionalEmail = z.union([z.literal(''), z.string().toLowerCase().email()]);
const detailsSchema = z.object({ name: plainText(200), email: optionalEmail, timezone: optionalZone });
const platformId = z.union([z.literal(''), plainText(320)]);
const addSchema = detailsSchema.extend({ zoom: platformId, teams: platformId, slack: platformId });
/** Staff type numbers as they write them ("+1 415 555 0123"); stored as E.164. */
const optionalPhone = z.union([
  z.literal(''),
  z.string().transform((value, ctx) => toE164(value) ?? (ctx.addIssue({ code: 'custom', message: 'not a phone number' }), z.NEVER)),
]);
const editSchema = detailsSchema.extend({ phone: optionalPhone });

const MESSAGES: Record<string, string> = {
  name: 'Enter the participant’s name (at most 200 characters).',
  email: 'Enter an email address such as casey@example.org, or leave it empty.',
  timezone: 'Choose a time zone.',
  phone: 'Enter the number with its country code, such as +1 415 555 0123, or leave it empty.',
};

const valuesOf = (body: unknown, keys: string[]) =>
  Object.fromEntries(keys.map((k) => {
    const v = (body as Record<string, unknown>)[k];
    return [k, typeof v === 'string' ? v.trim() : ''];
  }));

/** "Add participant", edit and discharge: the services the admin API calls, audited as the signed-in person. */
export function participantSetupRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const managers = requireRole('owner', 'admin');

  router.get('/programs/:id/participants/new', guard, managers, async (req, res) => {
    const staff = staffOf(res);
    const program = await requireProgram(deps, staff.organizationId, requireId(req.params.id, 'program'));
    res.type('html').send(renderAddParticipantPage({ program, csrfToken: staff.csrfToken }).value);
  });

  router.post('/programs/:id/participants', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await requireProgram(deps, staff.organizationId, requireId(req.params.id, 'program'));
    const values = valuesOf(req.body, ['name', 'email', 'timezone', ...PLATFORMS]);
    const refuse = (errors: Record<string, string>, status = 400) =>
      res.status(status).type('html').send(renderAddParticipantPage({ program, csrfToken: staff.csrfToken, form: { values, errors } }).value);
    const parsed = addSchema.safeParse(values);
    if (!parsed.success) return refuse(fieldErrors(parsed.error.issues, MESSAGES));
    const input = parsed.data;
    const identities = PLATFORMS.filter((p) => input[p]).map((platform) => ({ platform, externalId: input[platform] }));
    let participantId: string;
    try {
      const participant = await enrollParticipant(deps, {
        organizationId: staff.organizationId,
        actor: staff.actor,
        programId: program.id,
        name: input.name,
        email: input.email || undefined,
        timezone: input.timezone || undefined,
        identities,
        enrolledAt: deps.clock.now(),
      });
      participantId = participant.id;
    } catch (error) {
      if (!isPrismaError(error, 'P2002')) throw error;
      return refuse(Object.fromEntries(identities.map((i) => [i.platform, 'One of these ids already belongs to someone in your clinic.'])), 409);
    }
    await deps.afterEnrolled({ organizationId: staff.organizationId, programId: program.id, participantId }).catch((error: unknown) => req.log.warn({ err: error }, 'intake not sent'));
    res.redirect(303, `/participants/${participantId}?saved=added`);
  });

  router.get('/participants/:id', guard, async (req, res) => {
    const staff = staffOf(res);
    const participantId = requireId(req.params.id, 'participant');
    await requireVisibleParticipant(deps.prisma, staff, participantId);
    await showParticipantPage(deps, res, participantId, { saved: typeof req.query.saved === 'string' ? req.query.saved : undefined });
  });

  router.post('/participants/:id/edit', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const participantId = requireId(req.params.id, 'participant');
    const values = valuesOf(req.body, ['name', 'email', 'timezone', 'phone']);
    const refuse = (errors: Record<string, string>, status = 400) => showParticipantPage(deps, res, participantId, { edit: { values, errors }, status });
    const parsed = editSchema.safeParse(values);
    if (!parsed.success) return refuse(fieldErrors(parsed.error.issues, MESSAGES));
    const { name, email, timezone, phone } = parsed.data;
    try {
      await updateParticipant(deps, { organizationId: staff.organizationId, actor: staff.actor, participantId, changes: { name, email: email || null, timezone: timezone || null, phone: phone || null }, at: deps.clock.now() });
    } catch (error) {
      if (!isPrismaError(error, 'P2002')) throw error;
      return refuse({ phone: 'This number already belongs to someone else in your clinic.' }, 409);
    }
    res.redirect(303, `/participants/${participantId}?saved=details`);
  });

  router.post('/participants/:id/discharge', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const participantId = requireId(req.params.id, 'participant');
    const programId = requireId((req.body as Record<string, string | undefined>).programId, 'program');
    await dischargeParticipant(deps, { organizationId: staff.organizationId, actor: staff.actor, participantId, programId, at: deps.clock.now() });
    res.redirect(303, `/participants/${participantId}?saved=discharged`);
  });

  router.post('/participants/:id/enrol', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const participantId = requireId(req.params.id, 'participant');
    const programId = requireId((req.body as Record<string, string | undefined>).programId, 'program');
    await enrollInAnotherProgram(deps, { organizationId: staff.organizationId, actor: staff.actor, participantId, programId, at: deps.clock.now() });
    await deps.afterEnrolled({ organizationId: staff.organizationId, programId, participantId }).catch((error: unknown) => req.log.warn({ err: error }, 'intake not sent'));
    res.redirect(303, `/participants/${participantId}?saved=enrolled`);
  });

  return router;
}
