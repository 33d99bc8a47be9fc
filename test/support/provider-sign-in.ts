import type { FakeMicrosoftLogin, FakeMicrosoftPerson } from './fake-microsoft-login.js';
import type { FakeSlack, FakeSlackOpenIdPerson } from './fake-slack.js';
import type { FakeZoom } from './fake-zoom.js';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export interface ProviderSignIn {
  status: number;
  location: string | null;
  /** The dashboard session cookie when signed in. */
  cookie: string | null;
  text: string;
  csrf: string;
}

/** Starts "Sign in with …" as a browser would: the app's redirect, its state cookie and the authorize URL's parameters. */
export async function startProviderSignIn(appUrl: string, method: 'slack' | 'microsoft' | 'zoom') {
  const start = await fetch(`${appUrl}/auth/${method}`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const stateCookie = start.headers.getSetCookie().find((c) => c.includes('rollcall_auth='))!.split(';')[0]!;
  return { status: start.status, authorize, stateCookie, state: authorize.searchParams.get('state')!, nonce: authorize.searchParams.get('nonce') ?? '', codeChallenge: authorize.searchParams.get('code_challenge') ?? '' };
}

/** Comes back from the provider to the callback with this code; follows a successful sign-in to its first page. */
export async function finishProviderSignIn(appUrl: string, method: string, started: { stateCookie: string; state: string }, code: string): Promise<ProviderSignIn> {
  const callback = await fetch(`${appUrl}/auth/${method}/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(started.state)}`, { headers: { cookie: started.stateCookie }, redirect: 'manual' });
  const session = callback.headers.getSetCookie().find((c) => c.startsWith('rollcall_session='));
  const cookie = session ? session.split(';')[0]! : null;
  const location = callback.headers.get('location');
  let text = await callback.text();
  if (cookie && location) text = await (await fetch(`${appUrl}${location}`, { headers: { cookie } })).text();
  return { status: callback.status, location, cookie, text, csrf: csrfOf(text) };
}

export async function signInWithSlack(appUrl: string, slack: FakeSlack, person: Omit<FakeSlackOpenIdPerson, 'nonce'>): Promise<ProviderSignIn> {
  const started = await startProviderSignIn(appUrl, 'slack');
  return finishProviderSignIn(appUrl, 'slack', started, slack.issueOpenIdCode({ ...person, nonce: started.nonce }));
}

export async function signInWithMicrosoft(appUrl: string, login: FakeMicrosoftLogin, person: FakeMicrosoftPerson, options?: { foreignKey?: boolean; issuer?: string }): Promise<ProviderSignIn> {
  const started = await startProviderSignIn(appUrl, 'microsoft');
  return finishProviderSignIn(appUrl, 'microsoft', started, login.issueCode(person, started, options));
}

export async function signInWithZoom(appUrl: string, zoom: FakeZoom, person: { accountId: string; userId: string }): Promise<ProviderSignIn> {
  const started = await startProviderSignIn(appUrl, 'zoom');
  zoom.account = { id: person.accountId, userId: person.userId };
  return finishProviderSignIn(appUrl, 'zoom', started, zoom.issueCode());
}
