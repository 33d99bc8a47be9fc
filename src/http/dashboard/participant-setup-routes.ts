import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { plainText } from '../../core/plain-text.js';
import type { Platform } from '../../core/presence-event.js';
import { isPrismaError } from '../../db/prisma-errors.js';
import { enrollParticipant } from '../../services/enrollments.js';
import { dischargeParticipant, enrollInAnotherProgram, updateParticipant } from '../../services/participant-changes.js';
import { readParticipantTimeline } from '../../services/participant-timeline.js';
import { listPrograms, requireProgram } from '../../services/queries/program-queries.js';
import { emptyForm, fieldErrors, type FormState } from '../../web/form-fields.js';
import { renderAddParticipantPage, renderParticipantManagement } from '../../web/participant-forms.js';
import { renderParticipantPage } from '../../web/participant-page.js';
import { notFound } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import { timezoneSchema } from '../admin/schemas.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireCsrf, requireRole, requireVisibleParticipant, staffOf } from './staff-guard.js';

const PLATFORMS = ['zoom', 'teams', 'slack'] as const satisfies readonly Platform[];
const optionalZone = z.union([z.literal(''), timezoneSchema]);
const optionalEmail = z.union([z.literal(''), z.string().toLowerCase().email()]);
const detailsSchema = z.object({ name: plainText(200), email: optionalEmail, timezone: optionalZone });
const platformId = z.union([z.literal(''), plainText(320)]);
const addSchema = detailsSchema.extend({ zoom: platformId, teams: platformId, slack: platformId });

const MESSAGES: Record<string, string> = {
  name: 'Enter the participant’s name (at most 200 characters).',
  email: 'Enter an email address such as casey@example.org, or leave it empty.',
  timezone: 'Choose a time zone.',
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

  const showParticipant = async (res: Response, participantId: string, state?: FormState, status = 200, saved?: string) => {
    const staff = staffOf(res);
    const timeline = await readParticipantTimeline(deps, staff.organizationId, participantId);
    if (!timeline) throw notFound('participant');
    const { participant } = timeline;
    const manage =
      staff.role === 'owner' || staff.role === 'admin'
        ? renderParticipantManagement({
            participantId,
            programZone: participant.enrollments[0]?.program.timezone ?? 'UTC',
            enrollments: participant.enrollments,
            otherPrograms: (await listPrograms(deps, staff.organizationId, 'name')).filter((p) => !participant.enrollments.some((e) => e.program.id === p.id)),
            csrfToken: staff.csrfToken,
            form: state ?? emptyForm({ name: participant.name, email: participant.email ?? '', timezone: participant.timezone ?? '' }),
          })
        : undefined;
    res.status(status).type('html').send(renderParticipantPage(timeline, staff.csrfToken, { manage, saved }).value);
  };

  router.get('/participants/:id', guard, async (req, res) => {
    const staff = staffOf(res);
    const participantId = requireId(req.params.id, 'participant');
    await requireVisibleParticipant(deps.prisma, staff, participantId);
    await showParticipant(res, participantId, undefined, 200, typeof req.query.saved === 'string' ? req.query.saved : undefined);
  });

  router.post('/participants/:id/edit', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const participantId = requireId(req.params.id, 'participant');
    const values = valuesOf(req.body, ['name', 'email', 'timezone']);
    const parsed = detailsSchema.safeParse(values);
    if (!parsed.success) return showParticipant(res, participantId, { values, errors: fieldErrors(parsed.error.issues, MESSAGES) }, 400);
    const { name, email, timezone } = parsed.data;
    await updateParticipant(deps, { organizationId: staff.organizationId, actor: staff.actor, participantId, changes: { name, email: email || null, timezone: timezone || null } });
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
