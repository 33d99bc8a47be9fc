import type { SecretBox } from '../crypto/secret-box.js';
import type { Db } from '../db/database.js';
import type { Material } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';
import { sessionLabel } from './labels.js';
import { ServiceError } from './service-error.js';

/** A recording's passcode is sealed to its material: a sealed value copied to another row does not open. */
export const materialPasscodeAad = (externalKey: string) => `material:${externalKey}`;

type Actor = { organizationId: string; actor: string };

/** Adds a worksheet or link to the program's library (offered to absent participants, never counted as attendance). */
export async function addLibraryMaterial(deps: { prisma: Db }, input: Actor & { programId: string; kind: 'worksheet' | 'link'; title: string; url: string }): Promise<Material> {
  const { organizationId, actor, programId, kind } = input;
  return deps.prisma.$transaction(async (tx) => {
    const row = await tx.material.create({ data: { organizationId, programId, kind, title: input.title, url: input.url, createdBy: actor } });
    await writeAudit(tx, { organizationId, actor, action: 'material.create', entityType: 'Material', entityId: row.id, data: { programId, kind } });
    return row;
  });
}

/** Removes a material of the organization, audited; not found for anyone else's. */
export async function deleteMaterial(deps: { prisma: Db }, input: Actor & { materialId: string }): Promise<void> {
  const { organizationId, actor, materialId } = input;
  await deps.prisma.$transaction(async (tx) => {
    const row = await tx.material.findFirst({ where: { id: materialId, organizationId } });
    if (!row) throw new ServiceError('not_found', 'material not found');
    await tx.material.delete({ where: { id: materialId } });
    await writeAudit(tx, { organizationId, actor, action: 'material.delete', entityType: 'Material', entityId: materialId, data: { programId: row.programId, kind: row.kind } });
  });
}

export interface RecordingInput {
  session: { id: string; organizationId: string; programId: string; startsAt: Date; program: { name: string; timezone: string } };
  /** Unique per recording (`<platform>-recording:<id>`): a retried webhook stores it once. */
  externalKey: string;
  url: string;
  passcode?: string | null;
  /** Who stored it, for the audit log (`zoom:recording.completed`). */
  createdBy: string;
}

/** Stores a session's recording as a material of its program (passcode sealed), once per external key. */
export async function storeRecordingMaterial(deps: { prisma: Db; box: SecretBox }, input: RecordingInput): Promise<{ materialId: string; created: boolean }> {
  const { session, externalKey, passcode, createdBy } = input;
  const existing = await deps.prisma.material.findUnique({ where: { externalKey } });
  if (existing) return { materialId: existing.id, created: false };
  const material = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.material.create({
      data: {
        organizationId: session.organizationId,
        programId: session.programId,
        sessionId: session.id,
        kind: 'recording',
        title: `Recording: ${sessionLabel(session.program.name, session.startsAt, session.program.timezone)}`,
        url: input.url,
        encryptedPasscode: passcode ? deps.box.seal(passcode, materialPasscodeAad(externalKey)) : null,
        externalKey,
        createdBy,
      },
    });
    await writeAudit(tx, { organizationId: session.organizationId, actor: createdBy, action: 'material.recording_stored', entityType: 'Material', entityId: created.id, data: { sessionId: session.id } });
    return created;
  });
  return { materialId: material.id, created: true };
}

/** The session's recordings whose external key starts with this prefix (one platform's). */
export async function listSessionRecordingIds(deps: { prisma: Db }, sessionId: string, externalKeyPrefix: string): Promise<string[]> {
  const rows = await deps.prisma.material.findMany({ where: { sessionId, kind: 'recording', externalKey: { startsWith: externalKeyPrefix } }, select: { id: true } });
  return rows.map((row) => row.id);
}
