import { expect } from 'vitest';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/**
 * Signs in to the dashboard over plain HTTP as a browser would (the form's token in its cookie and
 * its field) and returns the session cookie, its full Set-Cookie line, and a CSRF token for forms.
 */
export async function signInOverHttp(baseUrl: string, token: string): Promise<{ cookie: string; setCookie: string; csrf: string }> {
  const form = await fetch(`${baseUrl}/sign-in`);
  const formCookie = form.headers.get('set-cookie')!.split(';')[0]!;
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie },
    body: new URLSearchParams({ _csrf: csrfOf(await form.text()), token, next: '/' }),
  });
  expect(response.status).toBe(303);
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('rollcall_session='))!;
  const cookie = setCookie.split(';')[0]!;
  const page = await (await fetch(`${baseUrl}/follow-ups`, { headers: { cookie } })).text();
  return { cookie, setCookie, csrf: csrfOf(page) };
}
