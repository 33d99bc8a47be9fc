import type { Db } from '../db/database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Audit actors in words for pages: `staff:<id>` is the person's name, `api-token:<id>` the token's
 * label; anything else (the admin token, a platform user, the system) as stored. Only this clinic's.
 */
export async function actorNames(prisma: Db, organizationId: string, actors: string[]): Promise<Map<string, string>> {
  const idsOf = (prefix: string) => [...new Set(actors.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length)).filter((id) => UUID.test(id)))];
  const [staff, tokens] = await Promise.all([
    prisma.staffAccount.findMany({ where: { organizationId, id: { in: idsOf('staff:') } }, select: { id: true, name: true } }),
    prisma.apiToken.findMany({ where: { organizationId, id: { in: idsOf('api-token:') } }, select: { id: true, label: true } }),
  ]);
  const names = new Map<string, string>();
  for (const s of staff) names.set(`staff:${s.id}`, s.name);
  for (const t of tokens) names.set(`api-token:${t.id}`, `API token “${t.label}”`);
  return names;
}
