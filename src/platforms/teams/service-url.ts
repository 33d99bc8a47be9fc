import { isIP } from 'node:net';
import type { TeamsInbound } from '../../config.js';

/** The JWT claim in which the Bot Connector names the serviceUrl it sent the activity from. */
const SERVICE_URL_CLAIM = 'serviceurl';

/** A 127.0.0.0/8, ::1 or `localhost` URL over http(s): a connector on this machine (a fake, an emulator). */
export function isLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

interface ClaimsLike {
  getClaimValue?(type: string): string | null;
}

/**
 * Why an activity's serviceUrl may not be followed, or null when it may. Rollcall replies to, and
 * stores for later alerts, the activity's serviceUrl: following one the caller chose would make
 * the server POST where an attacker says (SSRF) and send staff alerts there. Authenticated, it must
 * be the one Bot Framework signed (the token's `serviceurl` claim; botbuilder skips that check for
 * an activity with no serviceUrl and for emulator tokens). Under the development switch it must be
 * on this machine.
 */
export function serviceUrlRefusal(inbound: TeamsInbound, serviceUrl: unknown, identity: ClaimsLike | undefined): string | null {
  if (inbound === 'off') return 'Teams is not configured';
  if (inbound === 'development') return isLoopbackUrl(serviceUrl) ? null : 'serviceUrl is not a loopback address (ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS)';
  const claimed = identity?.getClaimValue?.(SERVICE_URL_CLAIM);
  return typeof serviceUrl === 'string' && serviceUrl.length > 0 && claimed === serviceUrl ? null : 'serviceUrl is not the one the token names';
}
