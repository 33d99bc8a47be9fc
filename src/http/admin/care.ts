import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { absenceCategorySchema } from '../../core/policy.js';
import { plainText } from '../../core/plain-text.js';
import { excuseAttendance, overrideAttendance, OVERRIDE_STATUSES, reportAbsenceByStaff, serializeAbsence } from '../../services/attendance-changes.js';
import { decideFollowUp, serializeFollowUp } from '../../services/follow-ups.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import { listFollowUps, readStrikeSummaries } from '../../services/queries/care-queries.js';
import { notFound, parseInput } from '../api-error.js';
import { adminContext, requireId } from './auth.js';
import { loadProgram } from './programs.js';

export interface CareRouterDeps {
  prisma: Db;
  clock: Clock;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

const instant = z.iso.datetime({ offset: true, message: 'must be ISO-8601 with an offset' });
const reason = plainText(500);

const followUpQuery = z.object({ state: z.enum(['open', 'done', 'dismissed']).optional(), programId: z.uuid().optional(), participantId: z.uuid().optional() });
const followUpPatch = z
  .object({
    state: z.enum(['open', 'done', 'dismissed']).optional(),
    assignee: plainText(200).nullable().optional(),
    outcome: plainText(500).optional(),
    note: plainText(1000).optional(),
    dueAt: instant.nullable().optional(),
  })
  .strict();
const absenceCreate = z.object({ sessionId: z.uuid(), category: absenceCategorySchema, excused: z.boolean().optional(), reason: reason.optional() }).strict();
const excuseBody = z.object({ category: absenceCategorySchema, reason }).strict();
const overrideBody = z.object({ status: z.enum(OVERRIDE_STATUSES), reason }).strict();

/** Follow-ups, strikes, absences, excuses and overrides: every change audited, strikes recomputed. */
export function careRouter(deps: CareRouterDeps): Router {
  const router = Router();

  router.get('/follow-ups', async (req, res) => {
    const { organizationId } = adminContext(res);
    const query = parseInput(followUpQuery, req.query, 'query.');
    const followUps = await listFollowUps(deps, organizationId, query);
    res.json({ followUps: followUps.map(serializeFollowUp) });
  });

  router.patch('/follow-ups/:id', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const id = requireId(req.params.id, 'follow-up');
    const input = parseInput(followUpPatch, req.body);
    const dueAt = input.dueAt === undefined ? undefined : input.dueAt === null ? null : new Date(input.dueAt);
    const closing = input.state === 'done' || input.state === 'dismissed';
    const updated = await decideFollowUp(deps, {
      organizationId,
      followUpId: id,
      actor,
      change: { ...input, dueAt },
      // The channel sees what was decided, never the note's or outcome's words.
      line: closing ? { action: input.state === 'done' ? 'mark_done' : 'dismiss', by: actor } : input.dueAt ? { action: 'schedule_review', by: actor } : input.note ? { action: 'add_note', by: actor } : undefined,
    });
    if (!updated) throw notFound('follow-up');
    res.json(serializeFollowUp(updated));
  });

  router.get('/programs/:id/strikes', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const { participantId } = parseInput(z.object({ participantId: z.uuid().optional() }), req.query, 'query.');
    res.json({ strikes: await readStrikeSummaries(deps, organizationId, program.id, participantId) });
  });

  router.post('/participants/:id/absences', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const participantId = requireId(req.params.id, 'participant');
    const input = parseInput(absenceCreate, req.body);
    const absence = await reportAbsenceByStaff(deps, { organizationId, participantId, actor, ...input });
    res.status(201).json(serializeAbsence(absence));
  });

  router.post('/sessions/:id/attendance/:participantId/excuse', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const sessionId = requireId(req.params.id, 'session');
    const participantId = requireId(req.params.participantId, 'participant');
    const input = parseInput(excuseBody, req.body);
    const absence = await excuseAttendance(deps, { organizationId, sessionId, participantId, actor, ...input });
    res.json(serializeAbsence(absence));
  });

  router.put('/sessions/:id/attendance/:participantId/override', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const sessionId = requireId(req.params.id, 'session');
    const participantId = requireId(req.params.participantId, 'participant');
    const input = parseInput(overrideBody, req.body);
    const row = await overrideAttendance(deps, { organizationId, sessionId, participantId, actor, ...input });
    res.json(serializeOverride(row));
  });

  router.delete('/sessions/:id/attendance/:participantId/override', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const sessionId = requireId(req.params.id, 'session');
    const participantId = requireId(req.params.participantId, 'participant');
    const row = await overrideAttendance(deps, { organizationId, sessionId, participantId, actor, status: null });
    res.json(serializeOverride(row));
  });

  return router;
}

function serializeOverride(row: { sessionId: string; participantId: string; status: string; overrideStatus: string | null; overrideReason: string | null; overriddenBy: string | null; overriddenAt: Date | null }) {
  return {
    sessionId: row.sessionId,
    participantId: row.participantId,
    status: row.overrideStatus ?? row.status,
    detectedStatus: row.status,
    override: row.overrideStatus ? { status: row.overrideStatus, reason: row.overrideReason, by: row.overriddenBy, at: row.overriddenAt } : null,
  };
}
