import { Router } from 'express';
import type { Db } from '../../db/database.js';
import { policySchema } from '../../core/policy.js';
import { writeAudit } from '../../services/audit.js';
import { ApiError, notFound, parseInput } from '../api-error.js';
import { adminContext, requireId } from './auth.js';
import { programCreateSchema, programPatchSchema } from './schemas.js';
import { serializeProgram } from './serialize.js';

export function programsRouter(prisma: Db): Router {
  const router = Router();

  router.get('/programs', async (_req, res) => {
    const { organizationId } = adminContext(res);
    const programs = await prisma.program.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } });
    res.json({ programs: programs.map(serializeProgram) });
  });

  router.post('/programs', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const input = parseInput(programCreateSchema, req.body);
    const policy = parseInput(policySchema, input.policy ?? {}, 'policy.');
    await requirePartnersInOrganization(prisma, organizationId, policy.makeUpPartnerProgramIds);
    const program = await prisma.$transaction(async (tx) => {
      const created = await tx.program.create({
        data: {
          organizationId,
          name: input.name,
          timezone: input.timezone,
          policy,
          alertPlatform: input.alertChannel.platform,
          alertChannelId: input.alertChannel.channelId,
          staffUserIds: input.staffUserIds ?? [],
        },
      });
      await writeAudit(tx, { organizationId, actor, action: 'program.create', entityType: 'Program', entityId: created.id });
      return created;
    });
    res.status(201).json(serializeProgram(program));
  });

  router.get('/programs/:id', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await prisma.program.findFirst({ where: { id: requireId(req.params.id, 'program'), organizationId } });
    if (!program) throw notFound('program');
    res.json(serializeProgram(program));
  });

  router.patch('/programs/:id', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const id = requireId(req.params.id, 'program');
    const input = parseInput(programPatchSchema, req.body);
    const existing = await prisma.program.findFirst({ where: { id, organizationId } });
    if (!existing) throw notFound('program');
    // A policy change is merged over the stored policy, then validated whole.
    const policy = input.policy ? parseInput(policySchema, { ...(existing.policy as object), ...input.policy }, 'policy.') : undefined;
    if (policy) await requirePartnersInOrganization(prisma, organizationId, policy.makeUpPartnerProgramIds);
    const program = await prisma.$transaction(async (tx) => {
      const updated = await tx.program.update({
        where: { id },
        data: {
          name: input.name,
          timezone: input.timezone,
          policy,
          alertPlatform: input.alertChannel?.platform,
          alertChannelId: input.alertChannel?.channelId,
          staffUserIds: input.staffUserIds,
        },
      });
      await writeAudit(tx, { organizationId, actor, action: 'program.update', entityType: 'Program', entityId: id, data: { fields: Object.keys(input) } });
      return updated;
    });
    res.json(serializeProgram(program));
  });

  return router;
}

/** Make-up partners are programs of the same clinic: an id of another one is refused like a typo. */
async function requirePartnersInOrganization(prisma: Db, organizationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await prisma.program.findMany({ where: { organizationId, id: { in: ids.map((id) => id.toLowerCase()) } }, select: { id: true } });
  const known = new Set(found.map((program) => program.id));
  const index = ids.findIndex((id) => !known.has(id.toLowerCase()));
  if (index < 0) return;
  const field = `policy.makeUpPartnerProgramIds.${index}`;
  throw new ApiError(400, 'invalid_input', `${field}: not a program of this organization`, [{ field, message: 'not a program of this organization' }]);
}

/** Loads a program of the caller's organization or answers 404. */
export async function loadProgram(prisma: Db, organizationId: string, rawId: string | string[] | undefined) {
  const program = await prisma.program.findFirst({ where: { id: requireId(rawId, 'program'), organizationId } });
  if (!program) throw notFound('program');
  return program;
}
