import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { hashToken } from '../crypto/token-hash.js';
import { writeAudit } from './audit.js';
import { ServiceError } from './service-error.js';

/** last-used time is written at most this often: the admin API is not slowed by a write per call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The admin API token stored under this hash (tokens are kept only as hashes), or null. */
export async function findApiToken(deps: { prisma: Db }, tokenHash: string) {
  return deps.prisma.apiToken.findUnique({ where: { tokenHash } });
}

/** Who a token acts as in the audit log: a token made in Settings by its id; the operator's ADMIN_TOKEN by its label, as before. */
export function apiTokenActor(token: { id: string; label: string; createdByActor: string | null }): string {
  return token.createdByActor ? `api-token:${token.id}` : `admin-api:${token.label}`;
}

export async function touchApiToken(prisma: Db, token: { id: string; lastUsedAt: Date | null }, now: Date): Promise<void> {
  if (token.lastUsedAt && now.getTime() - token.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await prisma.apiToken.updateMany({ where: { id: token.id }, data: { lastUsedAt: now } });
}

export async function listApiTokens(prisma: Db, organizationId: string) {
  return prisma.apiToken.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' }, select: { id: true, label: true, createdByActor: true, createdById: true, createdAt: true, lastUsedAt: true } });
}

/** A new token for the clinic's admin API: returned once, stored only as its hash. */
export async function createApiToken(prisma: Db, input: { organizationId: string; label: string; actor: string; staffAccountId: string | null }): Promise<{ id: string; token: string }> {
  const token = `rc_${randomBytes(32).toString('base64url')}`;
  return prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { organizationId: input.organizationId, tokenHash: hashToken(token), label: input.label, createdById: input.staffAccountId, createdByActor: input.actor },
    });
    await writeAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: 'api_token.create', entityType: 'ApiToken', entityId: row.id, data: { label: input.label } });
    return { id: row.id, token };
  });
}

/** Revoked at once. The operator's tokens (ADMIN_TOKEN) are set in the environment and stay. */
export async function revokeApiToken(prisma: Db, input: { organizationId: string; tokenId: string; actor: string }): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id: input.tokenId, organizationId: input.organizationId } });
    if (!row) throw new ServiceError('not_found', 'token not found');
    if (!row.createdByActor) throw new ServiceError('conflict', 'This token is set by the operator (ADMIN_TOKEN) and is changed in the deployment’s configuration.');
    await tx.apiToken.delete({ where: { id: row.id } });
    await writeAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: 'api_token.revoke', entityType: 'ApiToken', entityId: row.id, data: { label: row.label } });
  });
}
