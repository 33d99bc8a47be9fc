import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { plainText } from '../../core/plain-text.js';
import { addLibraryMaterial, deleteMaterial } from '../../services/materials.js';
import { listLibraryMaterials, listParticipantMessages } from '../../services/queries/care-queries.js';
import { notFound, parseInput } from '../api-error.js';
import { adminContext, requireId } from './auth.js';
import { loadProgram } from './programs.js';

const materialSchema = z
  .object({
    kind: z.enum(['worksheet', 'link']),
    title: plainText(200),
    url: z.url({ protocol: /^https$/ }).max(2000),
  })
  .strict();

type MaterialRow = { id: string; programId: string; kind: string; title: string; url: string; createdBy: string; createdAt: Date };
const serializeMaterial = (m: MaterialRow) => ({ id: m.id, programId: m.programId, kind: m.kind, title: m.title, url: m.url, createdBy: m.createdBy, createdAt: m.createdAt });

/**
 * The care workflows' admin routes: the program's materials library (offered to absent
 * participants, never counted as attendance) and what the bot wrote to one participant (the
 * participant outbox: sent, failed or skipped with the reason).
 */
export function materialsRouter(deps: { prisma: Db }): Router {
  const router = Router();

  router.get('/programs/:id/materials', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const rows = await listLibraryMaterials(deps, organizationId, program.id);
    res.json({ materials: rows.map(serializeMaterial) });
  });

  router.post('/programs/:id/materials', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const input = parseInput(materialSchema, req.body);
    const created = await addLibraryMaterial(deps, { organizationId, actor, programId: program.id, ...input });
    res.status(201).json(serializeMaterial(created));
  });

  router.delete('/materials/:id', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    await deleteMaterial(deps, { organizationId, actor, materialId: requireId(req.params.id, 'material') });
    res.status(204).end();
  });

  router.get('/participants/:id/messages', async (req, res) => {
    const { organizationId } = adminContext(res);
    const messages = await listParticipantMessages(deps, organizationId, requireId(req.params.id, 'participant'));
    if (!messages) throw notFound('participant');
    res.json({ messages });
  });

  return router;
}
