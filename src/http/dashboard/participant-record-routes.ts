import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { defaultIdentityKind, type IdentityKind } from '../../core/identity.js';
import { plainText } from '../../core/plain-text.js';
import { addParticipantIdentity, removeParticipantIdentity } from '../../services/participant-identities.js';
import { addParticipantNote } from '../../services/participant-notes.js';
import { ServiceError } from '../../services/service-error.js';
import { setSmsConsent } from '../../services/sms-consent.js';
import { fieldErrors } from '../../web/form-fields.js';
import { ApiError } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { showParticipantPage } from './participant-view.js';
import { refuseViewer, requireCsrf, requireVisibleParticipant, staffOf } from './staff-guard.js';

const ZOOM_ONLY = new Set(['registrant_id', 'customer_key']);

/** What staff type for an id, checked for its kind: an email must be one, an account id has no spaces. */
const identitySchema = z
  .object({
    platform: z.enum(['zoom', 'teams', 'slack']),
    kind: z.enum(['account', 'email', 'alias', 'registrant_id', 'customer_key']),
    value: plainText(320),
  })
  .superRefine((input, ctx) => {
    if (ZOOM_ONLY.has(input.kind) && input.platform !== 'zoom') ctx.addIssue({ code: 'custom', path: ['kind'], message: 'Registration ids and customer keys are Zoom’s only: choose Zoom, or another kind.' });
    if (input.kind === 'email' && !z.email().safeParse(input.value).success) ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter an email address such as casey@example.org.' });
    if (input.kind !== 'email' && input.kind !== 'alias' && /\s/.test(input.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'An id has no spaces. For the name they join with, choose “Name they join with”.' });
    if (input.kind === 'alias' && input.value.length > 200) ctx.addIssue({ code: 'custom', path: ['value'], message: 'A name is at most 200 characters.' });
  });

const IDENTITY_MESSAGES: Record<string, string> = {
  platform: 'Choose Zoom, Microsoft Teams or Slack.',
  kind: 'Choose what kind of id this is.',
  value: 'Enter the id, email or name (at most 320 characters).',
};

const noteSchema = z.object({ text: plainText(4000) });
const consentSchema = z.object({ consent: z.enum(['yes', 'no']) });

const stringsOf = (body: unknown, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, typeof (body as Record<string, unknown>)[k] === 'string' ? ((body as Record<string, string>)[k] ?? '') : '']));

/**
 * What staff record about a participant from their page: ids and names platforms know them by,
 * notes, and their agreement to texts. Everyone but viewers; a facilitator only for participants of
 * their programs; each change audited as the signed-in person.
 */
export function participantRecordRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const visible: RequestHandler = async (req, res, next) => {
    const participantId = requireId(req.params.id, 'participant');
    await requireVisibleParticipant(deps.prisma, staffOf(res), participantId);
    const exists = await deps.prisma.participant.count({ where: { id: participantId, organizationId: staffOf(res).organizationId } });
    if (exists === 0) throw new ApiError(404, 'not_found', 'participant not found');
    next();
  };
  const chain = [guard, refuseViewer, form, requireCsrf, visible];

  router.post('/participants/:id/identities', ...chain, async (req, res) => {
    const staff = staffOf(res);
    const participantId = req.params.id as string;
    const values = stringsOf(req.body, ['platform', 'kind', 'value']);
    const refuse = (errors: Record<string, string>, status = 400) => showParticipantPage(deps, res, participantId, { identity: { values, errors }, status });
    const parsed = identitySchema.safeParse({ ...values, value: values.value?.trim() });
    if (!parsed.success) return refuse(fieldErrors(parsed.error.issues, { ...IDENTITY_MESSAGES, ...Object.fromEntries(parsed.error.issues.filter((i) => i.code === 'custom').map((i) => [String(i.path[0]), i.message])) }));
    const { platform, kind, value } = parsed.data;
    const stored: IdentityKind = kind === 'account' ? defaultIdentityKind(platform) : kind;
    try {
      await addParticipantIdentity(deps, { organizationId: staff.organizationId, actor: staff.actor, participantId, platform, kind: stored, value });
    } catch (error) {
      if (error instanceof ServiceError && error.kind === 'conflict') return refuse({ value: error.message }, 409);
      throw error;
    }
    res.redirect(303, `/participants/${participantId}?saved=identity#identities-heading`);
  });

  router.post('/participants/:id/identities/:identityId/remove', ...chain, async (req, res) => {
    const staff = staffOf(res);
    const participantId = req.params.id as string;
    const identityId = requireId(req.params.identityId, 'identity');
    await removeParticipantIdentity(deps, { organizationId: staff.organizationId, actor: staff.actor, participantId, identityId });
    res.redirect(303, `/participants/${participantId}?saved=identity-removed#identities-heading`);
  });

  router.post('/participants/:id/notes', ...chain, async (req, res) => {
    const staff = staffOf(res);
    const participantId = req.params.id as string;
    const values = stringsOf(req.body, ['text']);
    // Browsers send a textarea's line breaks as CRLF; a carriage return is otherwise a control character.
    const parsed = noteSchema.safeParse({ text: values.text?.replace(/\r\n?/g, '\n') });
    if (!parsed.success) {
      const errors = { text: 'Write the note (at most 4,000 characters, no control characters).' };
      return showParticipantPage(deps, res, participantId, { note: { values, errors }, status: 400 });
    }
    await addParticipantNote(deps, { organizationId: staff.organizationId, actor: staff.actor, participantId, text: parsed.data.text, at: deps.clock.now() });
    res.redirect(303, `/participants/${participantId}?saved=note#notes-heading`);
  });

  router.post('/participants/:id/sms-consent', ...chain, async (req, res) => {
    const staff = staffOf(res);
    const participantId = req.params.id as string;
    const parsed = consentSchema.safeParse(stringsOf(req.body, ['consent']));
    if (!parsed.success) return showParticipantPage(deps, res, participantId, { consentError: 'Choose whether they agreed to texts or stopped them.', status: 400 });
    const participant = await deps.prisma.participant.findFirstOrThrow({ where: { id: participantId, organizationId: staff.organizationId }, select: { phone: true } });
    if (!participant.phone) return showParticipantPage(deps, res, participantId, { consentError: 'Add their phone number first (Edit details).', status: 400 });
    const consent = parsed.data.consent === 'yes';
    const { changed } = await setSmsConsent(deps.prisma, { organizationId: staff.organizationId, participantId, consent, source: 'staff', actor: staff.actor, at: deps.clock.now() });
    res.redirect(303, `/participants/${participantId}?saved=${changed ? `sms-${parsed.data.consent}` : 'sms-same'}#contact-heading`);
  });

  return router;
}
