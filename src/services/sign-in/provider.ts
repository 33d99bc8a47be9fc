import type { PlatformPerson } from '../staff-identities.js';

/** What the callback hands a provider: the code, and the values bound to this browser's sign-in. */
export interface SignInCallback {
  code: string;
  redirectUri: string;
  /** The OpenID nonce sent with the authorize request; the id token must carry it back. */
  nonce: string;
  /** PKCE: the verifier whose S256 challenge went with the authorize request. */
  codeVerifier: string;
}

/** One "Sign in with …" button: where to send the browser, and who the code says came back. */
export interface SignInProvider {
  method: PlatformPerson['method'];
  label: string;
  authorizeUrl(input: { state: string; nonce: string; codeChallenge: string; redirectUri: string }): string;
  identify(callback: SignInCallback): Promise<PlatformPerson>;
}

export class SignInRefused extends Error {
  override name = 'SignInRefused';
}
