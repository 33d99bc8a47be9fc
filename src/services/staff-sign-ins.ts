import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { StaffRole } from '../generated/prisma/client.js';
import { hashToken } from '../crypto/token-hash.js';
import { writeAudit } from './audit.js';

const SESSION_HOURS = 12;

/** Who is signed in, as every dashboard page sees it. */
export interface SignedInStaff {
  id: string;
  organizationId: string;
  /** The person; null for the admin-token sign-in (the first organization's shared token, an owner). */
  staffAccountId: string | null;
  role: StaffRole;
  /** For the page header and audit trail in words. */
  name: string;
  /** The signed-in clinic's name, shown in every page's header. */
  clinicName: string;
  /** Since when the clinic has no platform installed (the retention countdown); null while one is. */
  platformsGoneAt: Date | null;
  /** Facilitators: the programs they are assigned to, all they may see. null: the whole clinic. */
  programIds: string[] | null;
  actor: string;
  /** The token every form of this session must echo (CSRF). */
  csrfToken: string;
}

/**
 * A way to sign in: it proves who someone is and for which organization. The admin token is the
 * first; Slack, Microsoft and Zoom sign-in (OpenID Connect) will be others, each ending in
 * `signInStaff` with its own method and subject (docs/dashboard.md).
 */
export interface SignInIdentity {
  organizationId: string;
  method: 'admin_token' | 'slack' | 'microsoft' | 'zoom';
  /** Who within that method: the token's label, or the platform user id. */
  subject: string;
  /** The person's staff account (every sign-in but the admin token's). */
  staffAccountId?: string;
}

/**
 * The admin token (ADMIN_TOKEN, or another operator-provisioned token of an organization) signs in
 * as that organization's owner. Tokens staff create in Settings (`createdByActor` set) are for the
 * admin API only: a token an admin made must not become an owner's dashboard session.
 */
export async function identifyByAdminToken(prisma: Db, token: string): Promise<SignInIdentity | null> {
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token.trim()) } });
  return row && !row.createdByActor ? { organizationId: row.organizationId, method: 'admin_token', subject: row.label } : null;
}

/** Opens a session; the returned token goes in the cookie and only its hash is stored. */
export async function signInStaff(prisma: Db, identity: SignInIdentity, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  // A person is named by their staff account (HIPAA unique user identification); the shared admin token by its label.
  const actor = identity.staffAccountId ? `staff:${identity.staffAccountId}` : `dashboard:${identity.method}:${identity.subject}`;
  await prisma.$transaction(async (tx) => {
    const session = await tx.staffSignIn.create({
      data: { organizationId: identity.organizationId, tokenHash: hashToken(token), method: identity.method, actor, expiresAt, staffAccountId: identity.staffAccountId ?? null },
    });
    // The entity type is the stored name (the table is still `DashboardSession`), as in earlier audit rows.
    await writeAudit(tx, { organizationId: identity.organizationId, actor, action: 'dashboard.sign_in', entityType: 'DashboardSession', entityId: session.id });
  });
  return { token, expiresAt };
}

/** The live session a cookie token names, or null (unknown, expired or signed out). */
export async function findSignedInStaff(prisma: Db, token: string, now: Date): Promise<SignedInStaff | null> {
  const row = await prisma.staffSignIn.findUnique({ where: { tokenHash: hashToken(token) }, include: { staffAccount: { include: { assignments: { select: { programId: true } } } }, organization: { select: { name: true, platformsGoneAt: true } } } });
  if (!row || row.revokedAt || row.expiresAt <= now) return null;
  const account = row.staffAccount;
  // A person removed or not (yet) approved is signed out everywhere at once.
  if (account && account.status !== 'active') return null;
  return {
    id: row.id,
    organizationId: row.organizationId,
    staffAccountId: account?.id ?? null,
    role: account?.role ?? 'owner',
    name: account?.name ?? 'Administrator (admin token)',
    clinicName: row.organization.name,
    platformsGoneAt: row.organization.platformsGoneAt,
    programIds: account?.role === 'facilitator' ? account.assignments.map((a) => a.programId) : null,
    actor: row.actor,
    csrfToken: csrfTokenFor(token),
  };
}

/** Sign-out: the token stops working at once, on every instance. */
export async function signOutStaff(prisma: Db, session: SignedInStaff, now: Date): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.staffSignIn.update({ where: { id: session.id }, data: { revokedAt: now } });
    await writeAudit(tx, { organizationId: session.organizationId, actor: session.actor, action: 'dashboard.sign_out', entityType: 'DashboardSession', entityId: session.id });
  });
}

/** Derived from the session's secret, so nothing more is stored and a token is useless without the cookie. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('rollcall-dashboard-csrf').digest('base64url');
}
