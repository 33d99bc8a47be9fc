import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { plainText } from '../../core/plain-text.js';
import { linkUnrecognizedPerson } from '../../services/identity-links.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import { parseInput } from '../api-error.js';
import { adminContext, requireId } from './auth.js';

const linkSchema = z.object({ personKey: plainText(300), participantId: z.uuid() }).strict();

export function identityRouter(deps: { prisma: Db; evaluator: SessionEvaluator }): Router {
  const router = Router();
  router.post('/sessions/:id/link', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const sessionId = requireId(req.params.id, 'session');
    const input = parseInput(linkSchema, req.body);
    const learned = await linkUnrecognizedPerson(deps, { organizationId, actor, sessionId, ...input });
    res.json({ linked: true, participantId: input.participantId, learned });
  });
  return router;
}
