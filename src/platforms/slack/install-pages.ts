import type { ExpressReceiver, ExpressReceiverOptions, InstallURLOptions } from '@slack/bolt';
import type { ServerResponse } from 'node:http';
import type { Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { ConnectStates } from '../../services/installs/connect-state.js';
import { INSTALL_REFUSAL_TEXT } from '../../services/installs/place-install.js';
import { html } from '../../web/html.js';
import { renderPage } from '../../web/layout.js';
import { placements, SlackInstallRefused, type SlackRefusal } from './installation-store.js';

type InstallProvider = NonNullable<ExpressReceiver['installer']>;
type CallbackOptions = NonNullable<NonNullable<ExpressReceiverOptions['installerOptions']>['callbackOptions']>;

const REFUSAL_TEXT: Record<SlackRefusal, string> = {
  ...INSTALL_REFUSAL_TEXT,
  connect_expired: 'This Connect link has expired or is not valid. Start again from “Connect Slack” in your clinic’s Settings.',
};

function page(res: ServerResponse, status: number, title: string, body: ReturnType<typeof html>) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(renderPage({ title, section: 'none', body }).value);
}

/**
 * `GET /slack/install`, ahead of Bolt's own: a `?connect=` state from a clinic's Settings is
 * checked here (a bad one is refused before Slack is even asked) and travels, signed inside Slack's
 * OAuth state, to the callback, where the installation store places the workspace in that clinic.
 */
export function registerSlackInstallPath(router: Router, deps: { installer: () => InstallProvider | undefined; options: InstallURLOptions; connectStates: ConnectStates; clock: Clock; log: Logger }): void {
  router.get('/slack/install', async (req: Request, res: Response, next) => {
    const installer = deps.installer();
    if (!installer) return next();
    const connect = typeof req.query.connect === 'string' ? req.query.connect : undefined;
    if (req.query.connect !== undefined && !deps.connectStates.verify(connect, 'slack', deps.clock.now().getTime())) {
      return page(res, 400, 'Cannot connect', html`<h1>Slack was not connected</h1><p>${REFUSAL_TEXT.connect_expired}</p>`);
    }
    try {
      await installer.handleInstallPath(req, res, undefined, { ...deps.options, ...(connect ? { metadata: connect } : {}) });
    } catch (error) {
      next(error);
    }
  });
}

/** The pages Slack's OAuth callback ends on: where the workspace went, or why it was refused. */
export function slackCallbackOptions(log: Logger): CallbackOptions {
  return {
    successAsync: async (installation, _options, _req, res) => {
      const placed = placements.get(installation);
      const where = placed ? html`<p>${placed.outcome === 'reinstalled' ? 'Reinstalled for' : 'Connected to'} <strong>${placed.clinicName}</strong>.</p>` : '';
      page(res, 200, 'Rollcall installed', html`<h1>Rollcall is installed in Slack</h1>${where}<p><a href="/auth/slack">Sign in with Slack</a> to open your clinic’s dashboard.</p>`);
    },
    failureAsync: async (error, _options, _req, res) => {
      if (error instanceof SlackInstallRefused) {
        log.warn({ reason: error.reason }, 'slack install refused');
        return page(res, 403, 'Not installed', html`<h1>Rollcall was not installed</h1><p>${REFUSAL_TEXT[error.reason]}</p>`);
      }
      log.warn({ code: (error as { code?: string }).code }, 'slack install failed');
      page(res, 400, 'Not installed', html`<h1>Rollcall was not installed</h1><p>Slack did not complete the installation. <a href="/slack/install">Try again</a>.</p>`);
    },
  };
}
