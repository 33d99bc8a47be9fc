import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Request, Response, Router } from 'express';
import express from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { resolvePolicy } from '../../core/policy.js';
import type { AttendanceResult } from '../../core/attendance.js';
import { participantLabel, sessionLabel } from '../../services/labels.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import { decryptZoomAppContext } from './app-context.js';
import type { Signer } from '../../crypto/signed-token.js';

export type RosterState = 'joined' | 'late' | 'not_joined' | 'waiting_room' | 'left_early' | 'left' | 'excused';

/** Where someone is now, from the live evaluation: what a facilitator needs at a glance. */
export function rosterState(result: Pick<AttendanceResult, 'status' | 'flags' | 'presentNow' | 'waitingSince' | 'firstJoinAt'>): RosterState {
  if (result.status === 'excused' || result.status === 'made_up') return 'excused';
  if (result.presentNow) return result.flags.includes('late') || result.status === 'late' ? 'late' : 'joined';
  if (result.waitingSince) return 'waiting_room';
  if (result.firstJoinAt) return result.flags.includes('left_early') ? 'left_early' : 'left';
  return 'not_joined';
}

/** Zoom Apps pages must send OWASP headers; the CSP allows this origin only (no CDN, no inline code). */
function securityHeaders(res: Response) {
  res.set({
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'",
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(body: string, token?: string): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Rollcall roster</title><link rel="stylesheet" href="/zoom/panel/panel.css">',
    token ? `<meta name="rollcall-panel-token" content="${escapeHtml(token)}"><script type="module" src="/zoom/panel/panel.js"></script>` : '',
    `</head><body>${body}</body></html>`,
  ].join('');
}

const notice = (title: string, text: string) => page(`<h1>${escapeHtml(title)}</h1><p class="notice" id="notice">${escapeHtml(text)}</p>`);

export const OUTSIDE_ZOOM = 'Open this panel from the Rollcall app inside a Zoom meeting. Opened anywhere else it shows nothing.';
const TOKEN_TTL_MS = 10 * 60_000;

export interface PanelDeps {
  prisma: Db;
  evaluator: SessionEvaluator;
  log: Logger;
  clientSecret: string;
  signer: Signer;
  /** The clinic a Zoom account (id from the Home URL's `{accountId}`) installed into; the first organization for one that never did. */
  organizationFor(accountId: string): Promise<string>;
  /** Real time: Zoom's context and the token expire in wall-clock time. */
  nowMs(): number;
}

/**
 * The session running in a meeting (by Zoom's meeting UUID) that this user is staff of, in the one
 * clinic the panel was opened for. Presence facts only reach their own clinic's sessions, so a
 * meeting UUID names one clinic's session; the account (Home URL `{accountId}`, not secret but
 * only ever narrowing) pins it, and without it a UUID found in two clinics shows neither.
 */
async function staffSession(prisma: Db, meetingUuid: string, userId: string, organizationId: string | null) {
  const sessions = await prisma.session.findMany({
    where: { meetingPlatform: 'zoom', meetingInstanceId: meetingUuid, ...(organizationId ? { organizationId } : {}) },
    include: { program: true },
    orderBy: { startsAt: 'desc' },
    take: 10,
  });
  if (sessions.length === 0) return { session: null, staff: false } as const;
  const mine = sessions.filter((s) => s.program.staffUserIds.includes(userId));
  if (new Set(mine.map((s) => s.organizationId)).size > 1) return { session: sessions[0]!, staff: false, ambiguous: true } as const;
  return mine[0] ? ({ session: mine[0], staff: true } as const) : ({ session: sessions[0]!, staff: false } as const);
}

const sdkPath = createRequire(import.meta.url).resolve('@zoom/appssdk/dist/sdk.es.js');
const asset = (name: string) => readFileSync(new URL(`./panel/${name}`, import.meta.url), 'utf8');

/**
 * `GET /zoom/panel`: the Zoom App's home URL, the in-meeting roster for facilitators. Zoom sends
 * `x-zoom-app-context` (encrypted with the client secret): the user and the meeting. Only staff of
 * the program whose session runs in that meeting get a page with a token for the roster endpoint.
 */
export function panelRouter(deps: PanelDeps): Router {
  const router = express.Router();
  const { prisma, evaluator, signer } = deps;
  const sdk = readFileSync(sdkPath, 'utf8');
  const script = asset('panel.js');
  const css = asset('panel.css');

  router.get('/zoom/panel', async (req: Request, res: Response) => {
    securityHeaders(res);
    res.type('html');
    const header = req.headers['x-zoom-app-context'];
    const context = decryptZoomAppContext(Array.isArray(header) ? header[0] : header, deps.clientSecret, deps.nowMs());
    if (!context) return void res.send(notice('Rollcall', OUTSIDE_ZOOM));
    if (!context.mid) return void res.send(notice('Rollcall', 'Open this panel during a meeting to see its roster.'));
    const account = typeof req.query.accountId === 'string' && req.query.accountId && req.query.accountId !== 'none' ? req.query.accountId : null;
    const organizationId = account ? await deps.organizationFor(account) : null;
    const found = await staffSession(prisma, context.mid, context.uid, organizationId);
    const { session, staff } = found;
    if (!session) return void res.send(notice('Rollcall', 'No Rollcall session is running in this meeting yet. It appears once the meeting has started.'));
    if (!staff) {
      deps.log.info({ sessionId: session.id, ambiguous: 'ambiguous' in found }, 'zoom panel refused: not staff');
      return void res.send(notice('Rollcall', "Only this program's facilitators can see its roster."));
    }
    const token = signer.sign({ s: session.id, o: session.organizationId, u: context.uid, exp: deps.nowMs() + TOKEN_TTL_MS });
    const label = sessionLabel(session.program.name, session.startsAt, session.program.timezone);
    res.send(page(`<h1>Roster</h1><p class="session">${escapeHtml(label)}</p><ul id="roster" aria-live="polite"></ul><p class="updated" id="updated">Loading…</p>`, token));
  });

  router.get('/zoom/panel/roster', async (req: Request, res: Response) => {
    securityHeaders(res);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = signer.verify(bearer, deps.nowMs());
    if (!claims || typeof claims.s !== 'string' || typeof claims.o !== 'string' || typeof claims.u !== 'string') {
      return void res.status(401).json({ error: { code: 'unauthorized', message: 'panel token missing or expired' } });
    }
    const session = await prisma.session.findFirst({ where: { id: claims.s, organizationId: claims.o }, include: { program: true } });
    // Staff lists change: each renewal checks again.
    if (!session || !session.program.staffUserIds.includes(claims.u)) return void res.status(401).json({ error: { code: 'unauthorized', message: 'not staff of this session' } });
    const peeked = await evaluator.peek(session.id);
    const { nameDisplay } = resolvePolicy(session.program.policy);
    const names = new Map(peeked?.bundle.expected.map((p) => [p.participantId, p.name]));
    const rows = (peeked?.evaluation.participants ?? []).map(({ participantId, result }) => ({
      label: participantLabel(names.get(participantId), nameDisplay),
      state: rosterState(result),
      minutesPresent: result.minutesPresent,
    }));
    const token = signer.sign({ s: session.id, o: session.organizationId, u: claims.u, exp: deps.nowMs() + TOKEN_TTL_MS });
    res.json({ sessionId: session.id, rows, token });
  });

  const assetRoute = (path: string, type: string, content: string) =>
    router.get(path, (_req, res) => {
      securityHeaders(res);
      res.type(type).set('Cache-Control', 'public, max-age=300').send(content);
    });
  assetRoute('/zoom/panel/sdk.js', 'text/javascript', sdk);
  assetRoute('/zoom/panel/panel.js', 'text/javascript', script);
  assetRoute('/zoom/panel/panel.css', 'text/css', css);
  return router;
}
