import { Router } from 'express';
import { z } from 'zod';
import { organizationSettingsSchema } from '../../core/organization-settings.js';
import { plainText } from '../../core/plain-text.js';
import type { Db } from '../../db/database.js';
import { updateOrganization } from '../../services/organization-changes.js';
import { readOrganization } from '../../services/queries/organization-queries.js';
import { parseInput } from '../api-error.js';
import { adminContext } from './auth.js';

const patchSchema = z
  .object({
    name: plainText(200).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export function organizationRouter(deps: { prisma: Db }): Router {
  const router = Router();

  router.get('/organization', async (_req, res) => {
    const { organizationId } = adminContext(res);
    res.json(await readOrganization(deps, organizationId));
  });

  router.patch('/organization', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const input = parseInput(patchSchema, req.body);
    const current = (await readOrganization(deps, organizationId)).settings;
    const merged = input.settings
      ? {
          ...current,
          ...input.settings,
          participantChat: { ...current.participantChat, ...((input.settings.participantChat as object | undefined) ?? {}) },
        }
      : current;
    const settings = parseInput(organizationSettingsSchema, merged, 'settings.');
    res.json(await updateOrganization(deps, { organizationId, actor, name: input.name, settings, givenFields: Object.keys(input.settings ?? {}) }));
  });

  return router;
}
