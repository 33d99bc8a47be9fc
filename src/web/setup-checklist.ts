import type { SetupChecklist } from '../services/queries/setup-checklist.js';
import { html, type Html } from './html.js';

/** The first-run list of an empty clinic: each step done or not, with where to do it. */
export function renderSetupChecklist(c: SetupChecklist): Html {
  const program = c.firstProgramId;
  const steps: { done: boolean; text: string; href?: string; how?: string }[] = [
    { done: c.clinicNamed, text: 'Name the clinic', href: '/settings#clinic-heading', how: 'in Settings' },
    { done: c.crisisContacts, text: 'Add crisis contacts', href: '/settings#clinic-heading', how: 'in Settings' },
    { done: c.chatConnected, text: 'Connect a chat platform', href: '/settings#connections-heading', how: 'in Settings, Connections' },
    { done: c.program, text: 'Add a program', href: '#add-program-heading', how: 'below' },
    { done: c.schedule, text: 'Add a schedule', href: program ? `/programs/${program}/schedule` : undefined, how: program ? "on the program's Schedule page" : 'once there is a program' },
    { done: c.participants, text: 'Add participants', href: program ? `/programs/${program}/participants/new` : undefined, how: program ? 'by hand or by importing a CSV' : 'once there is a program' },
  ];
  const done = steps.filter((s) => s.done).length;
  return html`<section class="checklist" aria-labelledby="checklist-heading">
    <h2 id="checklist-heading">Set up your clinic</h2>
    <p>${done} of ${steps.length} steps done.</p>
    <ol>${steps.map(
      (s) => html`<li class="${s.done ? 'done' : 'todo'}"><span class="check">${s.done ? 'Done' : 'To do'}:</span> ${
        s.href && !s.done ? html`<a href="${s.href}">${s.text}</a>` : s.text
      }${s.done ? '' : html` <span class="muted">(${s.how})</span>`}</li>`,
    )}</ol>
  </section>`;
}
