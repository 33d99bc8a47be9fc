import type { Express } from 'express';
import type { PlatformHost } from '../platforms/module.js';
import { readAttendance } from '../services/attendance-read.js';
import type { DashboardLiveFeed } from '../services/dashboard-live-feed.js';
import type { Workers } from '../workers.js';
import { adminRouter } from './admin/admin-router.js';
import { careRouter } from './admin/care.js';
import { deadLettersRouter } from './admin/dead-letters.js';
import { identityRouter } from './admin/identity-links.js';
import { importsRouter } from './admin/imports.js';
import { materialsRouter } from './admin/materials.js';
import { sessionAlertsRouter } from './admin/session-alerts.js';
import { createAuthLimiter, DEFAULT_AUTH_LIMITS, type AuthLimits } from './auth-limiter.js';
import { createDashboard } from './dashboard/dashboard-router.js';
import { createSigner } from '../crypto/signed-token.js';
import { signInProvidersFrom } from '../services/sign-in/providers.js';

export interface StaffRoutes {
  mount(app: Express): void;
  /** Ends the dashboard's open event streams, so the server can close. */
  close(): void;
}

/** What staff use: the admin API at /api/v1 and the dashboard, sharing one failed-authentication limiter. */
export function createStaffRoutes(host: PlatformHost, deps: { workers: Workers; liveFeed: DashboardLiveFeed; authLimits?: Partial<AuthLimits> }): StaffRoutes {
  const { prisma, clock, evaluator, config } = host;
  const authLimiter = createAuthLimiter(prisma, { ...DEFAULT_AUTH_LIMITS, ...deps.authLimits });
  const signIn = { providers: signInProvidersFrom(config), signer: createSigner(config.encryptionKey, 'staff-sign-in-state'), publicUrl: config.publicUrl };
  const cookies = { secure: config.publicUrl.startsWith('https:') };
  const dashboard = createDashboard({ prisma, config, authLimiter, clock, evaluator, enqueueDeliveries: host.enqueueDeliveries, liveFeed: deps.liveFeed, cookies, signIn,
    afterSessionsCreated: deps.workers.afterSessionsCreated,
    afterEnrolled: deps.workers.afterEnrolled,
    messengerFor: host.messengerFor,
  });
  const admin = {
    prisma,
    authLimiter,
    clock,
    afterSessionsCreated: deps.workers.afterSessionsCreated,
    afterEnrolled: deps.workers.afterEnrolled,
    readAttendance: (organizationId: string, sessionId: string) => readAttendance(host, organizationId, sessionId),
  };
  const more = [identityRouter(host), careRouter(host), importsRouter(host), materialsRouter(host), deadLettersRouter(host), sessionAlertsRouter(host)];
  return {
    mount(app) {
      app.use('/api/v1', adminRouter(admin, more));
      app.use(dashboard.router);
    },
    close: () => dashboard.close(),
  };
}
