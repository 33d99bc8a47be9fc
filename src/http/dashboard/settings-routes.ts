import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { resolvePolicy } from '../../core/policy.js';
import { readConnections } from '../../services/installs/connections.js';
import { saveProgramChanges } from '../../services/program-changes.js';
import { listProgramParticipants, listPrograms, requireProgram } from '../../services/queries/program-queries.js';
import { readPolicyForm, type FormBody } from '../../web/policy-form.js';
import { renderProgramSettings, renderSettingsIndex, type ProgramSettingsData } from '../../web/settings-page.js';
import { requireId } from '../admin/auth.js';
import { readOrganization } from '../../services/queries/organization-queries.js';
import { CONTACT_ROWS, renderClinicForm, renderParticipantChatForm } from '../../web/clinic-form.js';
import { html } from '../../web/html.js';
import type { FormState } from '../../web/form-fields.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireCsrf, requireRole, requireVisibleProgram, staffOf } from './staff-guard.js';

const channelSchema = z.object({ platform: z.enum(['slack', 'teams', 'zoom']), channelId: z.string().trim().min(1, 'Enter the channel id.').max(200) });

/** Settings: the clinic (its name and crisis contacts, participant chat; with a refused form's errors), programs, connections. */
export async function showSettingsIndex(
  deps: DashboardDeps,
  res: express.Response,
  form?: FormState,
  status = 200,
  saved: 'clinic' | 'participant-chat' | false = false,
  chatError?: string,
): Promise<void> {
  const staff = staffOf(res);
  const canEdit = staff.role === 'owner' || staff.role === 'admin';
  const programs = (await listPrograms(deps, staff.organizationId, 'name')).filter((p) => !staff.programIds || staff.programIds.includes(p.id));
  const connections = { list: await readConnections(deps, staff.organizationId), canConnect: canEdit };
  const organization = await readOrganization(deps, staff.organizationId);
  const values = Object.fromEntries([
    ['name', organization.name],
    ...Array.from({ length: CONTACT_ROWS }, (_, i) => {
      const contact = organization.settings.crisisContacts[i];
      return [[`contact${i + 1}Label`, contact?.label ?? ''], [`contact${i + 1}Phone`, contact?.phone ?? '']];
    }).flat(),
  ]) as Record<string, string>;
  const clinic = html`${renderClinicForm({ csrfToken: staff.csrfToken, form: form ?? { values, errors: {} }, canEdit, saved: saved === 'clinic' })}
    ${renderParticipantChatForm({ csrfToken: staff.csrfToken, chosen: organization.settings.participantChat, canEdit, saved: saved === 'participant-chat', error: chatError })}`;
  res.status(status).type('html').send(renderSettingsIndex(programs, staff.csrfToken, connections, clinic).value);
}

export function settingsRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  const managers = requireRole('owner', 'admin');
  const loadProgram = (organizationId: string, rawId: string | string[] | undefined) => requireProgram(deps, organizationId, requireId(rawId, 'program'));
  /** The programs whose sessions may stand in for this one's: the clinic's others. */
  const partnersOf = async (organizationId: string, programId: string) =>
    (await listPrograms(deps, organizationId, 'name')).filter((p) => p.id !== programId).map((p) => ({ id: p.id, name: p.name }));
  const show = async (res: express.Response, data: Omit<ProgramSettingsData, 'participants' | 'csrfToken' | 'partners'>, status = 200) => {
    const staff = staffOf(res);
    const [participants, partners] = await Promise.all([listProgramParticipants(deps, staff.organizationId, data.program.id), partnersOf(staff.organizationId, data.program.id)]);
    res.status(status).type('html').send(renderProgramSettings({ ...data, participants, partners, csrfToken: staff.csrfToken }).value);
  };

  router.get('/settings', guard, async (req, res) => {
    const saved = req.query.saved === 'clinic' || req.query.saved === 'participant-chat' ? req.query.saved : false;
    await showSettingsIndex(deps, res, undefined, 200, saved);
  });

  router.get('/programs/:id/settings', guard, async (req, res) => {
    const staff = staffOf(res);
    const program = await loadProgram(staff.organizationId, req.params.id);
    requireVisibleProgram(staff, program.id);
    const saved = typeof req.query.saved === 'string' ? req.query.saved : undefined;
    await show(res, { program, values: resolvePolicy(program.policy), errors: {}, saved });
  });

  router.post('/programs/:id/settings', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await loadProgram(staff.organizationId, req.params.id);
    const result = readPolicyForm(req.body as FormBody, resolvePolicy(program.policy), await partnersOf(staff.organizationId, program.id));
    if (!result.policy) {
      await show(res, { program, values: result.values, errors: result.errors }, 400);
      return;
    }
    await saveProgramChanges(deps, { organizationId: staff.organizationId, actor: staff.actor, programId: program.id, changes: { policy: result.policy }, fields: ['policy'] });
    res.redirect(303, `/programs/${program.id}/settings?saved=policy`);
  });

  router.post('/programs/:id/channel', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await loadProgram(staff.organizationId, req.params.id);
    const parsed = channelSchema.safeParse(req.body);
    if (!parsed.success) {
      const channelErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
      await show(res, { program, values: resolvePolicy(program.policy), errors: {}, channelErrors }, 400);
      return;
    }
    await saveProgramChanges(deps, { organizationId: staff.organizationId, actor: staff.actor, programId: program.id, changes: { alertChannel: parsed.data }, fields: ['alertChannel'] });
    res.redirect(303, `/programs/${program.id}/settings?saved=channel`);
  });

  return router;
}
