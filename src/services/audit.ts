import type { Prisma } from '../generated/prisma/client.js';

type AuditWriter = { auditLog: { create(args: { data: Prisma.AuditLogUncheckedCreateInput }): Promise<unknown> } };

export interface AuditEntry {
  organizationId: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  /** Ids and decisions only: the audit log is read by many and holds no clinical words. */
  data?: Prisma.InputJsonValue;
}

/** Every change a person makes is recorded with who, when and what (DESIGN.md, "Care and safety"). */
export async function writeAudit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({ data: { ...entry, data: entry.data ?? {} } });
}
