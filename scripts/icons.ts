/**
 * `npx tsx scripts/icons.ts`: renders every icon the marketplaces ask for from manifests/icons/rollcall.svg
 * with the Debian Chromium (playwright-core), into manifests/icons/ (committed):
 * - Slack app icon: square, 512 to 2000 px (slack-512.png, slack-1024.png);
 * - Teams: color 192×192, outline 32×32 white on transparent (teams-color-192.png, teams-outline-32.png);
 * - Zoom Marketplace app icon: 160×160 (zoom-160.png, light and dark mode use the same mark);
 * - the site's favicon (favicon-32.png) and a touch icon (icon-180.png).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const dir = new URL('../manifests/icons/', import.meta.url);
const svg = readFileSync(new URL('rollcall.svg', dir), 'utf8');

const ICONS: { file: string; size: number; outline?: boolean }[] = [
  { file: 'slack-512.png', size: 512 },
  { file: 'slack-1024.png', size: 1024 },
  { file: 'teams-color-192.png', size: 192 },
  { file: 'teams-outline-32.png', size: 32, outline: true },
  { file: 'zoom-160.png', size: 160 },
  { file: 'favicon-32.png', size: 32 },
  { file: 'icon-180.png', size: 180 },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
    // Teams' outline icon is the mark alone, white on transparent.
    const style = `html,body{margin:0;background:transparent}svg{display:block;width:${icon.size}px;height:${icon.size}px}${icon.outline ? '#background{display:none}' : ''}`;
    await page.setContent(`<!doctype html><style>${style}</style>${svg}`);
    writeFileSync(new URL(icon.file, dir), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } }));
    await page.close();
  }
} finally {
  await browser.close();
}
