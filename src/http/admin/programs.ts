import { Router } from 'express';
import type { Db } from '../../db/database.js';
import { policySchema } from '../../core/policy.js';
import { createProgram, updateProgram } from '../../services/program-changes.js';
import { listPrograms, requireProgram } from '../../services/queries/program-queries.js';
import { parseInput } from '../api-error.js';
import { adminContext, requireId } from './auth.js';
import { programCreateSchema, programPatchSchema } from './schemas.js';
import { serializeProgram } from './serialize.js';

export function programsRouter(deps: { prisma: Db }): Router {
  const router = Router();

  router.get('/programs', async (_req, res) => {
    const { organizationId } = adminContext(res);
    const programs = await listPrograms(deps, organizationId);
    res.json({ programs: programs.map(serializeProgram) });
  });

  router.post('/programs', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const input = parseInput(programCreateSchema, req.body);
    const policy = parseInput(policySchema, input.policy ?? {}, 'policy.');
    const program = await createProgram(deps, { organizationId, actor, ...input, policy });
    res.status(201).json(serializeProgram(program));
  });

  router.get('/programs/:id', async (req, res) => {
    const { organizationId } = adminContext(res);
    res.json(serializeProgram(await loadProgram(deps, organizationId, req.params.id)));
  });

  router.patch('/programs/:id', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const id = requireId(req.params.id, 'program');
    const input = parseInput(programPatchSchema, req.body);
    const existing = await requireProgram(deps, organizationId, id);
    // A policy change is merged over the stored policy, then validated whole.
    const policy = input.policy ? parseInput(policySchema, { ...(existing.policy as object), ...input.policy }, 'policy.') : undefined;
    const program = await updateProgram(deps, { organizationId, actor, programId: id, changes: { ...input, policy }, fields: Object.keys(input) });
    res.json(serializeProgram(program));
  });

  return router;
}

/** Loads a program of the caller's organization or answers 404. */
export async function loadProgram(deps: { prisma: Db }, organizationId: string, rawId: string | string[] | undefined) {
  return requireProgram(deps, organizationId, requireId(rawId, 'program'));
}
