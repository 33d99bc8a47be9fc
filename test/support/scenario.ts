import { randomBytes } from 'node:crypto';
import { hashToken } from '../../src/http/admin/auth.js';
import { createZoomAccountKey } from '../../src/platforms/zoom/account-key.js';
import type { TestApp } from './test-app.js';

/**
 * The Zoom account of each scenario clinic, by the scenario's meeting id. Deliveries reach a clinic
 * only through its own installation (the first organization takes those with none), so a scenario
 * clinic has its own Zoom account and `zoomDelivery` sends a scenario meeting's events from it.
 */
export const scenarioZoomAccounts = new Map<string, string>();

export interface ScenarioPerson {
  name: string;
  email?: string;
  identities?: { platform: string; externalId: string; kind?: string }[];
}

/**
 * A clinic of its own (so identities never collide with another scenario's), with a Zoom account
 * installed (webhook events only, no tokens), a program, people and one session on a Zoom meeting,
 * all made through the admin API.
 */
export async function createScenario(
  app: Pick<TestApp, 'api' | 'database' | 'config'>,
  options: {
    meetingId: string;
    startsAt: Date;
    minutes: number;
    people: ScenarioPerson[];
    policy?: Record<string, unknown>;
    name?: string;
    /** Use the admin token's own organization (where chat installs land) instead of a new one. */
    inOrganizationOf?: { token: string; organizationId: string };
    /**
     * The staff channel and staff from the program's creation: a session already ended or running is
     * evaluated (and may be closed out) as it is created, and its alerts go where the program said then.
     */
    alertChannel?: { platform: string; channelId: string };
    staffUserIds?: string[];
  },
) {
  let api: (method: string, route: string, body?: unknown) => ReturnType<TestApp['api']>;
  let organization: { id: string };
  if (options.inOrganizationOf) {
    const { token } = options.inOrganizationOf;
    organization = { id: options.inOrganizationOf.organizationId };
    api = (method, route, body) => app.api(method, route, body, token);
  } else {
    const token = randomBytes(16).toString('hex');
    organization = await app.database.prisma.organization.create({ data: { name: `Clinic ${options.meetingId}` } });
    await app.database.prisma.apiToken.create({ data: { organizationId: organization.id, tokenHash: hashToken(token), label: 'scenario' } });
    scenarioZoomAccounts.set(options.meetingId, await webhookZoomAccountFor(app, organization.id));
    api = (method, route, body) => app.api(method, route, body, token);
  }
  const program = await api('POST', '/api/v1/programs', {
    name: options.name ?? `Group ${options.meetingId}`,
    timezone: 'America/New_York',
    alertChannel: options.alertChannel ?? { platform: 'slack', channelId: 'C-STAFF' },
    staffUserIds: options.staffUserIds,
    policy: options.policy,
  });
  if (program.status !== 201) throw new Error(`program: ${JSON.stringify(program.body)}`);
  const participants: Record<string, string> = {};
  for (const person of options.people) {
    const created = await api('POST', `/api/v1/programs/${program.body.id}/participants`, {
      ...person,
      enrolledAt: new Date(options.startsAt.getTime() - 86_400_000).toISOString(),
    });
    if (created.status !== 201) throw new Error(`participant: ${JSON.stringify(created.body)}`);
    participants[person.name] = created.body.id;
  }
  const session = await api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
    startsAt: options.startsAt.toISOString(),
    endsAt: new Date(options.startsAt.getTime() + options.minutes * 60_000).toISOString(),
    meeting: { platform: 'zoom', meetingId: options.meetingId },
  });
  if (session.status !== 201) throw new Error(`session: ${JSON.stringify(session.body)}`);
  return { api, organizationId: organization.id, programId: program.body.id as string, sessionId: session.body.id as string, participants };
}

export const minutes = (n: number) => n * 60_000;
export const at = (base: Date, offsetMs: number) => new Date(base.getTime() + offsetMs);
/** A whole second `n` minutes ago: Zoom reports times to the second, so scenarios start on one. */
export const minutesAgo = (n: number) => new Date(Math.floor((Date.now() - n * 60_000) / 1000) * 1000);

/** Admin API access to an existing clinic (a token as its Settings would issue one), for `inOrganizationOf`. */
export async function clinicAccess(app: Pick<TestApp, 'database'>, organizationId: string): Promise<{ token: string; organizationId: string }> {
  const token = randomBytes(16).toString('hex');
  await app.database.prisma.apiToken.create({ data: { organizationId, tokenHash: hashToken(token), label: 'test clinic access' } });
  return { token, organizationId };
}

/** The clinic a Zoom account installed into (each new account founds its own), with admin API access to it. */
export async function zoomClinicOf(app: Pick<TestApp, 'database' | 'config'>, accountId: string): Promise<{ token: string; organizationId: string }> {
  const externalId = createZoomAccountKey(app.config.encryptionKey)(accountId);
  const installation = await app.database.prisma.installation.findUniqueOrThrow({ where: { platform_externalId: { platform: 'zoom', externalId } } });
  return clinicAccess(app, installation.organizationId);
}

/**
 * Gives a clinic a Zoom account of its own, installed for webhooks only (no tokens: no chat, no
 * reports), and returns its id: deliveries carrying it reach that clinic's sessions.
 */
export async function webhookZoomAccountFor(app: Pick<TestApp, 'database' | 'config'>, organizationId: string): Promise<string> {
  const accountId = `ACCT-clinic-${randomBytes(6).toString('hex')}`;
  const externalId = createZoomAccountKey(app.config.encryptionKey)(accountId);
  await app.database.prisma.installation.create({ data: { organizationId, platform: 'zoom', externalId, data: {} } });
  return accountId;
}
