import { Router } from 'express';

/** Microsoft's Teams JavaScript client library (TeamsJS v2), loaded from Microsoft's CDN by Teams pages. */
const TEAMS_JS = 'https://res.cdn.office.net/teams-js/2.19.0/js/MicrosoftTeams.min.js';

const page = (title: string, body: string, script = '') =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>` +
  `<style>body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.4;color:#242424}</style>` +
  `<body>${body}${script ? `<script src="${TEAMS_JS}"></script><script>${script}</script>` : ''}</body></html>`;

/**
 * The meeting surface the manifest declares (a side-panel tab). Adding it to a meeting is how the
 * bot joins the meeting's chat and so receives its events; the tab itself only explains, and
 * shows no attendance: a meeting's panel is seen by everyone in it.
 */
export function tabPages(publicUrl: string): Router {
  const router = Router();
  router.get('/teams/tab/configure', (_req, res) => {
    const save = `microsoftTeams.app.initialize().then(function(){microsoftTeams.pages.config.registerOnSaveHandler(function(e){microsoftTeams.pages.config.setConfig({contentUrl:${JSON.stringify(`${publicUrl}/teams/tab/meeting`)},entityId:'rollcall-meeting',suggestedDisplayName:'Rollcall'}).then(function(){e.notifySuccess()})});microsoftTeams.pages.config.setValidityState(true)})`;
    res.type('html').send(page('Add Rollcall', '<h1>Rollcall</h1><p>Rollcall will take attendance for this meeting from Teams\' meeting events. Select Save to add it.</p>', save));
  });
  router.get('/teams/tab/meeting', (_req, res) => {
    res
      .type('html')
      .send(page('Rollcall', '<h1>Rollcall is taking attendance</h1><p>Facilitators see who has joined in their staff channel. Participants can message Rollcall in a personal chat to say they will miss a session.</p>', 'microsoftTeams.app.initialize()'));
  });
  router.get('/teams/privacy', (_req, res) => {
    res.type('html').send(
      page(
        'Rollcall privacy',
        '<h1>Rollcall and your data</h1><ul>' +
          '<li>Rollcall records who joined your program\'s sessions and when, to help your care team follow up. Your clinic controls this data and decides how long it is kept; ask your clinic to see or delete it.</li>' +
          '<li>Staff alerts name participants by first name and last initial and never include what a participant wrote or anything clinical.</li>' +
          '<li>Messages you send Rollcall are used to answer you (for example to record an absence); a message about a crisis alerts your care team without quoting it.</li>' +
          '<li>Every action staff take on an alert is recorded with who and when.</li></ul>',
      ),
    );
  });
  router.get('/teams/terms', (_req, res) => {
    res.type('html').send(page('Rollcall terms', '<h1>Terms of use</h1><p>Rollcall is run by your clinic for its group programs. It helps with attendance; it is not an emergency service. If you are in danger, call or text 988, or call 911.</p>'));
  });
  return router;
}
