import type { SlotRate, WeekRate } from '../core/attendance-rates.js';
import { DateTime } from 'luxon';
import { formatPercent, formatWeekOf } from './format.js';
import { html, type Html } from './html.js';

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Attendance rate per ISO week as bars with their value written on them; a data table follows for screen readers. */
export function weeklyRateChart(rates: WeekRate[], id: string): Html {
  if (rates.length === 0) return html`<p class="muted">No finished sessions in the last weeks yet.</p>`;
  const width = 640;
  const height = 220;
  const left = 40;
  const bottom = 30;
  const top = 16;
  const plotH = height - bottom - top;
  const step = (width - left - 10) / rates.length;
  const barW = Math.min(48, step * 0.7);
  const y = (rate: number) => top + plotH * (1 - rate);
  const bars = rates.map((r, i) => {
    const x = left + i * step + (step - barW) / 2;
    const rate = r.rate ?? 0;
    return html`<g>
      <rect class="bar-rate" x="${x.toFixed(1)}" y="${y(rate).toFixed(1)}" width="${barW.toFixed(1)}" height="${(plotH * rate).toFixed(1)}"><title>${formatWeekOf(r.weekStart)}: ${formatPercent(r.rate)} (${r.attended} of ${r.counted})</title></rect>
      <text x="${(x + barW / 2).toFixed(1)}" y="${(y(rate) - 4).toFixed(1)}" text-anchor="middle">${formatPercent(r.rate)}</text>
      <text x="${(x + barW / 2).toFixed(1)}" y="${height - 10}" text-anchor="middle">${DateTime.fromISO(r.weekStart).toFormat('d LLL')}</text>
    </g>`;
  });
  const gridLines = [0, 0.5, 1].map(
    (g) => html`<line class="grid-line" x1="${left}" x2="${width - 10}" y1="${y(g)}" y2="${y(g)}"></line><text x="${left - 6}" y="${y(g) + 4}" text-anchor="end">${g * 100}%</text>`,
  );
  return html`<figure class="chart">
    <svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">
      <title id="${id}-title">Attendance rate per week</title>
      <desc id="${id}-desc">${rates.map((r) => `${formatWeekOf(r.weekStart)}: ${formatPercent(r.rate)}`).join('; ')}</desc>
      ${gridLines}
      <line class="axis" x1="${left}" x2="${width - 10}" y1="${top + plotH}" y2="${top + plotH}"></line>
      ${bars}
    </svg>
    <figcaption class="muted">Present, late or made up, out of every expected attendance except excused ones; weeks from Monday, in the program's time zone; each bar is labelled with its Monday.</figcaption>
  </figure>
  <details class="data"><summary>Weekly attendance as a table</summary>
    <table><thead><tr><th scope="col">Week</th><th scope="col" class="num">Attended</th><th scope="col" class="num">Expected</th><th scope="col" class="num">Rate</th></tr></thead>
    <tbody>${rates.map((r) => html`<tr><td>${formatWeekOf(r.weekStart)}</td><td class="num">${r.attended}</td><td class="num">${r.counted}</td><td class="num">${formatPercent(r.rate)}</td></tr>`)}</tbody></table>
  </details>`;
}

/** No-show and late rates by weekday and time slot, as paired horizontal bars labelled in words and numbers. */
export function slotRateChart(rates: SlotRate[], id: string): Html {
  if (rates.length === 0) return html`<p class="muted">No finished sessions in the last weeks yet.</p>`;
  const width = 640;
  const rowH = 44;
  const left = 150;
  const right = 120;
  const height = rates.length * rowH + 30;
  const plotW = width - left - right;
  const rows = rates.map((r, i) => {
    const y0 = 10 + i * rowH;
    const label = `${WEEKDAYS[r.weekday]} ${r.slot}`;
    return html`<g>
      <text x="${left - 8}" y="${y0 + 20}" text-anchor="end">${label} (${r.counted})</text>
      <rect class="bar-noshow" x="${left}" y="${y0 + 4}" width="${(plotW * r.noShowRate).toFixed(1)}" height="14"><title>${label}: no-show ${formatPercent(r.noShowRate)}</title></rect>
      <text x="${(left + plotW * r.noShowRate + 6).toFixed(1)}" y="${y0 + 16}">No-show ${formatPercent(r.noShowRate)}</text>
      <rect class="bar-late" x="${left}" y="${y0 + 22}" width="${(plotW * r.lateRate).toFixed(1)}" height="14"><title>${label}: late ${formatPercent(r.lateRate)}</title></rect>
      <text x="${(left + plotW * r.lateRate + 6).toFixed(1)}" y="${y0 + 34}">Late ${formatPercent(r.lateRate)}</text>
    </g>`;
  });
  return html`<figure class="chart">
    <svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">
      <title id="${id}-title">No-show and late rates by weekday and time slot</title>
      <desc id="${id}-desc">${rates.map((r) => `${WEEKDAYS[r.weekday]} ${r.slot}: no-show ${formatPercent(r.noShowRate)}, late ${formatPercent(r.lateRate)}`).join('; ')}</desc>
      <line class="axis" x1="${left}" x2="${left}" y1="4" y2="${height - 20}"></line>
      ${rows}
    </svg>
    <figcaption class="muted">Share of expected attendances (excused left out) by local weekday and start: morning before 12:00, afternoon before 17:00, evening after. The number in brackets is how many were counted.</figcaption>
  </figure>
  <details class="data"><summary>Rates by weekday and time slot as a table</summary>
    <table><thead><tr><th scope="col">Weekday</th><th scope="col">Slot</th><th scope="col" class="num">Counted</th><th scope="col" class="num">No-show</th><th scope="col" class="num">Late</th></tr></thead>
    <tbody>${rates.map((r) => html`<tr><td>${WEEKDAYS[r.weekday]}</td><td>${r.slot}</td><td class="num">${r.counted}</td><td class="num">${formatPercent(r.noShowRate)}</td><td class="num">${formatPercent(r.lateRate)}</td></tr>`)}</tbody></table>
  </details>`;
}
