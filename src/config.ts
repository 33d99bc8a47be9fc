import { z } from 'zod';
import { loadDevelopmentSecrets } from './development-secrets.js';
import { describeWeakToken } from './token-strength.js';

const optional = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string())
  .optional()
  .transform((value) => (value ? value : undefined));

const absoluteUrl = z.string().url({ message: 'must be an absolute URL' });

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: absoluteUrl.optional(),
  ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  ENCRYPTION_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' })
    .optional(),
  ZOOM_WEBHOOK_SECRET_TOKEN: optional,
  ZOOM_CLIENT_ID: optional,
  ZOOM_CLIENT_SECRET: optional,
  ZOOM_BOT_JID: optional,
  ZOOM_API_URL: absoluteUrl.default('https://api.zoom.us/v2'),
  ZOOM_OAUTH_URL: absoluteUrl.default('https://zoom.us'),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_API_URL: absoluteUrl.default('https://slack.com/api/'),
  SLACK_OAUTH_URL: absoluteUrl.default('https://slack.com'),
  SLACK_CHANNEL_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MICROSOFT_LOGIN_URL: absoluteUrl.default('https://login.microsoftonline.com'),
  MICROSOFT_CLIENT_ID: optional,
  MICROSOFT_CLIENT_SECRET: optional,
  GRAPH_API_URL: absoluteUrl.default('https://graph.microsoft.com/v1.0'),
  MICROSOFT_BOT_OPENID_METADATA_URL: absoluteUrl.optional(),
  ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS: z.enum(['0', '1', '']).optional(),
  OPERATOR_NAME: optional,
  SUPPORT_EMAIL: z.email().optional(),
  PRIVACY_POLICY_FILE: optional,
  TERMS_FILE: optional,
  SUPPORT_FILE: optional,
  TEAMS_INSTALL_URL: absoluteUrl.optional(),
  TWILIO_ACCOUNT_SID: optional,
  TWILIO_AUTH_TOKEN: optional,
  TWILIO_MESSAGING_SERVICE_SID: optional,
  TWILIO_FROM_NUMBER: optional,
  TWILIO_API_URL: absoluteUrl.default('https://api.twilio.com'),
  ORGANIZATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  ROLLCALL_ROLE: z.enum(['all', 'web']).default('all'),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type TeamsInbound = 'authenticated' | 'development' | 'off';

export interface Config {
  production: boolean;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  logLevel: string;
  publicUrl: string;
  adminToken: string;
  encryptionKey: Buffer;
  /** Set only where this process generated the admin token now, so it can be printed once. */
  generatedAdminToken?: string;
  secrets: { postgresPassword: string };
  zoom: {
    /** Several secrets, comma-separated in the variable, so the secret can rotate without downtime. */
    webhookSecrets: string[];
    clientId?: string;
    clientSecret?: string;
    botJid?: string;
    apiUrl: string;
    oauthUrl: string;
  };
  slack: { signingSecret?: string; botToken?: string; clientId?: string; clientSecret?: string; stateSecret?: string; apiUrl: string; oauthUrl: string; channelIntervalMs: number };
  /** "Sign in with Microsoft": the Entra app that signs staff in (MICROSOFT_CLIENT_ID, else the bot's MICROSOFT_APP_ID). */
  microsoftSignIn?: { clientId: string; clientSecret: string };
  teams: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType?: string;
    loginUrl: string;
    graphUrl: string;
    /** Where the Bot Connector's token signing keys are published; unset: Bot Framework's public cloud. */
    openIdMetadataUrl?: string;
    /**
     * How POST /api/messages takes traffic: `authenticated` (an app id: Bot Connector JWTs only),
     * `development` (no app id, ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1: unauthenticated, loopback
     * serviceUrls only) or `off` (no app id: 401 to everything; a Zoom- or Slack-only clinic).
     */
    inbound: TeamsInbound;
  };
  /** The public face: who runs this deployment, and the operator's own legal pages (Markdown files). */
  site: {
    operatorName: string;
    supportEmail?: string;
    privacyFile?: string;
    termsFile?: string;
    supportFile?: string;
    /** Where "Add to Teams" points (the app's Teams Store or org-catalog link). */
    teamsInstallUrl?: string;
  };
  /** SMS through Twilio Programmable Messaging: on when the account SID and auth token are set (docs/sms.md). */
  twilio: { accountSid?: string; authToken?: string; messagingServiceSid?: string; fromNumber?: string; apiUrl: string };
  /** Days a clinic with no platform installed is kept before its data is deleted. */
  organizationRetentionDays: number;
  /**
   * `all`: this instance acknowledges, evaluates and works every job queue. `web`: it acknowledges
   * and serves pages, hands evaluations to the `session.evaluate` queue and works no job: instances
   * of role `all` on the same database do (docs/scaling.md).
   */
  role: 'all' | 'web';
}

/** Reads the environment once; a missing or malformed value throws one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])} ${issue.message} (see docs/configuration.md)`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    for (const name of ['ADMIN_TOKEN', 'ENCRYPTION_KEY', 'PUBLIC_URL'] as const) {
      if (!e[name]) throw new ConfigError(`${name} is required when NODE_ENV=production (see docs/configuration.md)`);
    }
  }
  // The admin token signs in to the dashboard and the admin API: in production it must be generated, not typed.
  const weakness = production && e.ADMIN_TOKEN ? describeWeakToken(e.ADMIN_TOKEN) : null;
  if (weakness) {
    throw new ConfigError(`ADMIN_TOKEN is too easy to guess (${weakness}); generate one, e.g. \`openssl rand -base64 32\` (see docs/configuration.md)`);
  }
  if (e.SLACK_CLIENT_ID && (!e.SLACK_CLIENT_SECRET || !e.SLACK_STATE_SECRET)) {
    throw new ConfigError('SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are required with SLACK_CLIENT_ID (see docs/configuration.md)');
  }
  // An open bot endpoint lets anyone post presence, crisis messages and staff actions: never in production.
  if (production && e.ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS === '1') {
    throw new ConfigError(
      'ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1 is for local development only and is refused when NODE_ENV=production: set MICROSOFT_APP_ID for Teams, or leave both unset to keep Teams off (see docs/configuration.md)',
    );
  }
  if (e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && !e.TWILIO_MESSAGING_SERVICE_SID && !e.TWILIO_FROM_NUMBER) {
    throw new ConfigError('TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER is required with TWILIO_ACCOUNT_SID (see docs/sms.md)');
  }
  const secrets = loadDevelopmentSecrets(e.DATA_DIR, { adminToken: e.ADMIN_TOKEN, encryptionKey: e.ENCRYPTION_KEY });
  const port = e.PORT;
  return {
    production,
    port,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    adminToken: secrets.adminToken,
    encryptionKey: Buffer.from(secrets.encryptionKey, 'base64'),
    generatedAdminToken: secrets.generatedAdminToken,
    secrets: { postgresPassword: secrets.postgresPassword },
    zoom: {
      webhookSecrets: (e.ZOOM_WEBHOOK_SECRET_TOKEN ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      clientId: e.ZOOM_CLIENT_ID,
      clientSecret: e.ZOOM_CLIENT_SECRET,
      botJid: e.ZOOM_BOT_JID,
      apiUrl: e.ZOOM_API_URL.replace(/\/$/, ''),
      oauthUrl: e.ZOOM_OAUTH_URL.replace(/\/$/, ''),
    },
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET,
      botToken: e.SLACK_BOT_TOKEN,
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      stateSecret: e.SLACK_STATE_SECRET,
      apiUrl: e.SLACK_API_URL,
      oauthUrl: e.SLACK_OAUTH_URL.replace(/\/$/, ''),
      channelIntervalMs: e.SLACK_CHANNEL_INTERVAL_MS,
    },
    microsoftSignIn: microsoftSignIn(e),
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
      fromNumber: e.TWILIO_FROM_NUMBER,
      apiUrl: e.TWILIO_API_URL.replace(/\/$/, ''),
    },
    teams: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      loginUrl: e.MICROSOFT_LOGIN_URL.replace(/\/$/, ''),
      graphUrl: e.GRAPH_API_URL.replace(/\/$/, ''),
      openIdMetadataUrl: e.MICROSOFT_BOT_OPENID_METADATA_URL,
      inbound: e.MICROSOFT_APP_ID ? 'authenticated' : e.ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS === '1' ? 'development' : 'off',
    },
    site: {
      operatorName: e.OPERATOR_NAME ?? 'the operator of this Rollcall service',
      supportEmail: e.SUPPORT_EMAIL,
      privacyFile: e.PRIVACY_POLICY_FILE,
      termsFile: e.TERMS_FILE,
      supportFile: e.SUPPORT_FILE,
      teamsInstallUrl: e.TEAMS_INSTALL_URL,
    },
    organizationRetentionDays: e.ORGANIZATION_RETENTION_DAYS,
    role: e.ROLLCALL_ROLE,
  };
}

/** Its own Entra app when given (a multi-tenant one, as staff come from many tenants), else the bot's app registration. */
function microsoftSignIn(e: z.infer<typeof environmentSchema>): Config['microsoftSignIn'] {
  const clientId = e.MICROSOFT_CLIENT_ID ?? e.MICROSOFT_APP_ID;
  const clientSecret = e.MICROSOFT_CLIENT_ID ? e.MICROSOFT_CLIENT_SECRET : e.MICROSOFT_APP_PASSWORD;
  if (e.MICROSOFT_CLIENT_ID && !e.MICROSOFT_CLIENT_SECRET) throw new ConfigError('MICROSOFT_CLIENT_SECRET is required with MICROSOFT_CLIENT_ID (see docs/configuration.md)');
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}
