import type { Db } from '../db/database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Audit actors in words for pages: `staff:<id>` is the person's name, `api-token:<id>` the token's
 * label; anything else (the admin token, a platform user, the system) as stored. Only this clinic's.
 */
export async function actorNames(prisma: Db, organizationId: string, actors: string[]): Promise<Map<string, string>> {
  const idsOf = (prefix: string) => [...new Set(actors.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length)).filter((id) => UUID.test(id)))];
  const tokenIds = idsOf('api-token:');
  const [staff, created] = await Promise.all([
    prisma.staffAccount.findMany({ where: { organizationId, id: { in: idsOf('staff:') } }, select: { id: true, name: true } }),
    // From the token's creation entry: a revoked token's row is gone, its label is not.
    prisma.auditLog.findMany({ where: { organizationId, action: 'api_token.create', entityId: { in: tokenIds } }, select: { entityId: true, data: true } }),
  ]);
  const names = new Map<string, string>();
  for (const s of staff) names.set(`staff:${s.id}`, s.name);
  for (const c of created) {
    const label = (c.data as { label?: unknown } | null)?.label;
    if (typeof label === 'string') names.set(`api-token:${c.entityId}`, `API token “${label}”`);
  }
  return names;
}
