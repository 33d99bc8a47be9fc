import { Router } from 'express';
import { z } from 'zod';
import { organizationSettingsSchema, resolveOrganizationSettings } from '../../core/organization-settings.js';
import { plainText } from '../../core/plain-text.js';
import { writeAudit } from '../../services/audit.js';
import { parseInput } from '../api-error.js';
import type { Db } from '../../db/database.js';
import { adminContext } from './auth.js';

const patchSchema = z
  .object({
    name: plainText(200).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export function organizationRouter(prisma: Db): Router {
  const router = Router();

  const serialize = (org: { id: string; name: string; settings: unknown }) => ({
    id: org.id,
    name: org.name,
    settings: resolveOrganizationSettings(org.settings),
  });

  router.get('/organization', async (_req, res) => {
    const { organizationId } = adminContext(res);
    res.json(serialize(await prisma.organization.findUniqueOrThrow({ where: { id: organizationId } })));
  });

  router.patch('/organization', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const input = parseInput(patchSchema, req.body);
    const existing = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
    const current = resolveOrganizationSettings(existing.settings);
    const merged = input.settings
      ? {
          ...current,
          ...input.settings,
          participantChat: { ...current.participantChat, ...((input.settings.participantChat as object | undefined) ?? {}) },
        }
      : current;
    const settings = parseInput(organizationSettingsSchema, merged, 'settings.');
    const updated = await prisma.$transaction(async (tx) => {
      const org = await tx.organization.update({ where: { id: organizationId }, data: { name: input.name, settings } });
      await writeAudit(tx, {
        organizationId,
        actor,
        action: 'organization.update',
        entityType: 'Organization',
        entityId: organizationId,
        data: { participantChat: settings.participantChat, fields: Object.keys(input.settings ?? {}) },
      });
      return org;
    });
    res.json(serialize(updated));
  });

  return router;
}
