import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../src/db/database.js';
import { placeInstall, type InstallClaim } from '../../src/services/installs/place-install.js';
import { createConnectStates } from '../../src/services/installs/connect-state.js';
import { createTestDatabase } from '../support/test-database.js';

let prisma: Db;
beforeAll(async () => {
  prisma = createPrisma(await createTestDatabase());
});
afterAll(async () => prisma.$disconnect());

const install = (claim: InstallClaim) =>
  placeInstall(prisma, claim, async (tx, organizationId) => {
    await tx.installation.upsert({
      where: { platform_externalId: { platform: claim.platform, externalId: claim.externalId } },
      create: { organizationId, platform: claim.platform, externalId: claim.externalId, encryptedTokens: 'sealed' },
      update: { encryptedTokens: 'sealed' },
    });
  });

describe('which clinic an install belongs to', () => {
  it('founds a clinic per new workspace, named by the platform, and keeps it on reinstall', async () => {
    const first = await install({ platform: 'slack', externalId: 'T0ALPHA', displayName: 'Alpha Wellness' });
    const second = await install({ platform: 'slack', externalId: 'T0BETA', displayName: 'Beta Recovery' });
    expect(first).toMatchObject({ outcome: 'created' });
    expect(second).toMatchObject({ outcome: 'created' });
    if (!('organizationId' in first) || !('organizationId' in second)) throw new Error('refused');
    expect(first.organizationId).not.toBe(second.organizationId);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: second.organizationId } })).name).toBe('Beta Recovery');
    expect(await install({ platform: 'slack', externalId: 'T0ALPHA', displayName: 'Renamed' })).toEqual({ organizationId: first.organizationId, outcome: 'reinstalled' });
  });

  it('joins the clinic a Connect state names, once per platform, and never moves a workspace between clinics', async () => {
    const clinic = await prisma.organization.create({ data: { name: 'Gamma House' } });
    expect(await install({ platform: 'zoom', externalId: 'hmac1:gamma', displayName: 'Gamma Zoom', connectTo: clinic.id })).toEqual({
      organizationId: clinic.id,
      outcome: 'connected',
    });
    expect(await install({ platform: 'zoom', externalId: 'hmac1:other', displayName: 'Other', connectTo: clinic.id })).toEqual({ refused: 'platform_taken' });
    const elsewhere = await install({ platform: 'teams', externalId: 'tenant-delta', displayName: 'Delta' });
    if (!('organizationId' in elsewhere)) throw new Error('refused');
    expect(await install({ platform: 'teams', externalId: 'tenant-delta', displayName: 'Delta', connectTo: clinic.id })).toEqual({ refused: 'connected_elsewhere' });
    expect(await prisma.installation.count({ where: { organizationId: clinic.id } })).toBe(1);
  });

  it('founds one clinic when two callbacks for a new workspace race', async () => {
    const before = await prisma.organization.count();
    const both = await Promise.all([1, 2].map(() => install({ platform: 'slack', externalId: 'T0RACE', displayName: 'Race Clinic' })));
    expect(await prisma.organization.count()).toBe(before + 1);
    expect(both.map((p) => ('outcome' in p ? p.outcome : p.refused)).sort()).toEqual(['created', 'reinstalled']);
  });
});

describe('Connect state', () => {
  const states = createConnectStates(Buffer.alloc(32, 7));
  it('names one clinic for one platform until it expires, and a forged one names none', () => {
    const state = states.sign({ organizationId: 'org-1', platform: 'slack' }, 1_000);
    expect(states.verify(state, 'slack', 2_000)).toEqual({ organizationId: 'org-1', staffAccountId: null });
    expect(states.verify(state, 'zoom', 2_000)).toBeNull();
    expect(states.verify(state, 'slack', 1_000 + 10 * 60_000)).toBeNull();
    expect(states.verify(`${state.split('.')[0]}x.${state.split('.')[1]}`, 'slack', 2_000)).toBeNull();
    expect(createConnectStates(Buffer.alloc(32, 8)).verify(state, 'slack', 2_000)).toBeNull();
  });
});
