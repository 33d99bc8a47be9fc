import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import { findDeadLetter, listDeadLetters, readDeadLetterBody } from '../../services/dead-letters.js';
import { notFound, parseInput } from '../api-error.js';
import { adminContext, requireId } from './auth.js';

const listQuerySchema = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const readQuerySchema = z.object({ include: z.enum(['body']).optional() });

/**
 * Signed platform deliveries Rollcall kept but could not use (services/dead-letters.ts), of the
 * caller's organization: when, which event and why. The body (which may hold names) only on
 * request for one dead letter, and that read is audited.
 */
export function deadLettersRouter(deps: { prisma: Db; box: SecretBox; clock: Clock }): Router {
  const router = Router();

  router.get('/dead-letters', async (req, res) => {
    const { organizationId } = adminContext(res);
    const query = parseInput(listQuerySchema, req.query, 'query.');
    const rows = await listDeadLetters(deps, organizationId, { now: deps.clock.now(), limit: query.limit, since: query.since ? new Date(query.since) : undefined });
    res.json({ deadLetters: rows });
  });

  router.get('/dead-letters/:id', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const id = requireId(req.params.id, 'dead letter');
    const query = parseInput(readQuerySchema, req.query, 'query.');
    const row = await findDeadLetter(deps, organizationId, id);
    if (!row) throw notFound('dead letter');
    if (query.include !== 'body') return void res.json(row);
    const body = await readDeadLetterBody(deps, { organizationId, actor, id });
    res.set('Cache-Control', 'no-store').json({ ...row, body });
  });

  return router;
}
