import { createSigner } from '../../crypto/signed-token.js';

export type ConnectPlatform = 'slack' | 'teams' | 'zoom';

/** Ten minutes: long enough to click through a consent page, short enough that a leaked link dies. */
const CONNECT_TTL_MS = 10 * 60_000;

/**
 * "Connect Slack/Teams/Zoom" in a signed-in clinic's Settings carries this state through the
 * platform's install flow, so the install joins that clinic instead of founding a new one. It is
 * signed (a key derived from ENCRYPTION_KEY for this purpose only), names one clinic and one
 * platform, and expires: a workspace can never attach itself to a clinic that did not invite it.
 */
export function createConnectStates(encryptionKey: Buffer) {
  const signer = createSigner(encryptionKey, 'connect-state');
  return {
    sign(input: { organizationId: string; platform: ConnectPlatform; staffAccountId?: string | null }, nowMs: number): string {
      return signer.sign({ o: input.organizationId, p: input.platform, s: input.staffAccountId ?? null, exp: nowMs + CONNECT_TTL_MS });
    },
    /** The clinic a state invites this platform's install into; null when missing, forged, expired or for another platform. */
    verify(state: string | undefined | null, platform: ConnectPlatform, nowMs: number): { organizationId: string; staffAccountId: string | null } | null {
      const claims = signer.verify(state ?? undefined, nowMs);
      if (!claims || claims.p !== platform || typeof claims.o !== 'string') return null;
      return { organizationId: claims.o, staffAccountId: typeof claims.s === 'string' ? claims.s : null };
    },
  };
}

export type ConnectStates = ReturnType<typeof createConnectStates>;
