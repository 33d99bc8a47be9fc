import { riskWhy, type RiskAssessment } from '../core/risk-ranking.js';
import type { ProgramRisk } from '../services/queries/at-risk.js';
import { html, type Html } from './html.js';

const ORDER_TEXT = (days: number) =>
  `Most at risk first: strikes in the last ${days} days, then sessions missed in a row, then hours short this week, then open follow-ups.`;

function riskItems(people: readonly RiskAssessment[]): Html {
  return html`<ol class="risk-list">${people.map(
    (r) => html`<li data-participant-id="${r.participantId}"><a href="/participants/${r.participantId}">${r.name}</a> <span class="why">${riskWhy(r)}</span></li>`,
  )}</ol>`;
}

/** The program page's first section: everyone at risk, most at risk first, each with why in words. */
export function renderProgramRisk(risk: ProgramRisk, options: { strikeWindowDays: number }): Html {
  return html`<section class="risk" aria-labelledby="risk-heading">
    <h2 id="risk-heading">Who is at risk${risk.atRisk.length ? html` <span class="count">(${risk.atRisk.length})</span>` : ''}</h2>
    ${risk.atRisk.length === 0
      ? html`<p class="muted">No one right now: no strikes, missed sessions, short weeks or open follow-ups.</p>`
      : html`<p class="muted">${ORDER_TEXT(options.strikeWindowDays)}</p>${riskItems(risk.atRisk)}`}
  </section>`;
}

/** How many of a program's at-risk people the compact section names before linking to the program. */
export const COMPACT_RISK_ROWS = 3;

/** The Programs list's "At risk": the first few of each program, and a link to the rest. */
export function renderCompactRisk(programs: readonly ProgramRisk[]): Html {
  const withRisk = programs.filter((p) => p.atRisk.length > 0);
  return html`<section class="risk compact" aria-labelledby="at-risk-heading">
    <h2 id="at-risk-heading">At risk</h2>
    ${withRisk.length === 0
      ? html`<p class="muted">No one in ${programs.length === 1 ? 'this program' : 'these programs'} is at risk right now.</p>`
      : withRisk.map(
          // The heading is not a link: the program list above already links the program by its name.
          (p) => html`<h3 id="risk-${p.programId}">${p.programName} <span class="count">(${p.atRisk.length})</span></h3>
            ${riskItems(p.atRisk.slice(0, COMPACT_RISK_ROWS))}
            <p><a href="/programs/${p.programId}" aria-describedby="risk-${p.programId}">${
              p.atRisk.length > COMPACT_RISK_ROWS ? `${p.atRisk.length - COMPACT_RISK_ROWS} more on the program page` : 'Why, on the program page'
            }</a></p>`,
        )}
  </section>`;
}
