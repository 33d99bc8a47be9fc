import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { plainText } from '../../core/plain-text.js';
import { writeAudit } from '../../services/audit.js';
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
  const { prisma } = deps;
  const router = Router();

  router.get('/programs/:id/materials', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const rows = await prisma.material.findMany({ where: { organizationId, programId: program.id, kind: { in: ['worksheet', 'link'] } }, orderBy: { createdAt: 'asc' } });
    res.json({ materials: rows.map(serializeMaterial) });
  });

  router.post('/programs/:id/materials', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const input = parseInput(materialSchema, req.body);
    const created = await prisma.$transaction(async (tx) => {
      const row = await tx.material.create({ data: { organizationId, programId: program.id, kind: input.kind, title: input.title, url: input.url, createdBy: actor } });
      await writeAudit(tx, { organizationId, actor, action: 'material.create', entityType: 'Material', entityId: row.id, data: { programId: program.id, kind: input.kind } });
      return row;
    });
    res.status(201).json(serializeMaterial(created));
  });

  router.delete('/materials/:id', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const id = requireId(req.params.id, 'material');
    await prisma.$transaction(async (tx) => {
      const row = await tx.material.findFirst({ where: { id, organizationId } });
      if (!row) throw notFound('material');
      await tx.material.delete({ where: { id } });
      await writeAudit(tx, { organizationId, actor, action: 'material.delete', entityType: 'Material', entityId: id, data: { programId: row.programId, kind: row.kind } });
    });
    res.status(204).end();
  });

  router.get('/participants/:id/messages', async (req, res) => {
    const { organizationId } = adminContext(res);
    const participantId = requireId(req.params.id, 'participant');
    const participant = await prisma.participant.findFirst({ where: { id: participantId, organizationId } });
    if (!participant) throw notFound('participant');
    const rows = await prisma.participantOutboxMessage.findMany({ where: { organizationId, participantId }, orderBy: { createdAt: 'desc' }, take: 100 });
    res.json({
      messages: rows.map((m) => ({
        id: m.id,
        purpose: m.purpose,
        state: m.state,
        platform: m.platform,
        attempts: m.attempts,
        lastError: m.lastError,
        createdAt: m.createdAt,
        sentAt: m.sentAt,
        text: (m.message as { text?: string }).text ?? '',
      })),
    });
  });

  return router;
}
