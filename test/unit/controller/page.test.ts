/**
 * The page in a real headless Chromium (Debian's, driven by playwright-core; no browser download):
 * it loads from the server alone, shows every member and every object, marks a failed object, and
 * shows the failure's message on one click. GITFED_SCREENSHOT=file.png keeps a screenshot.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { buildReport, countActions, type MemberReport, type ObjectStatus } from '../../../src/apply/status/report.js';
import { serve, type HttpServer } from '../../../src/controller/http.js';
import { PAGE_ASSETS } from '../../../src/controller/page.js';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags that work on this machine's closed network (no background connections, no sandbox as root). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const HEAD = 'c0ffee0000000000000000000000000000000000';
const OLD = 'abcdef1000000000000000000000000000000000';
const objects = ['apps/Deployment/shop/web', 'apps/Deployment/shop/api', '/ConfigMap/shop/settings', '/Service/shop/web', '/Namespace//shop', 'batch/Job/shop/migrate'];
const display = (k: string) => { const [, kind, ns, name] = k.split('/'); return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`; };
const line = (key: string, over: Partial<ObjectStatus> = {}): ObjectStatus => ({ key, object: display(key), action: 'unchanged', health: 'Ready', ...over });
const member = (cluster: string, over: Partial<MemberReport>, lines: ObjectStatus[]): MemberReport => ({ cluster, context: cluster, branchCommit: HEAD, state: 'Synced', health: 'Ready', lastAttempt: '2026-05-01T10:00:00Z', lastSynced: '2026-05-01T10:00:00Z', counts: countActions(lines), objects: lines, ...over });

const REPORT = buildReport('https://git.example.com/platform/fleet.git', [
  member('cloud-eu-1', {}, objects.map((k) => line(k))),
  member('cloud-us-1', { state: 'Failed', message: '1 object(s) failed' }, objects.map((k) => (k.endsWith('/api') ? line(k, { action: 'failed', message: 'admission webhook "policy.example.com" denied the request: image must be signed', health: undefined }) : line(k)))),
  member('edge-berlin', { state: 'Unreachable', branchCommit: OLD, message: 'no answer in 10000 ms; last synced 4m ago at abcdef1' }, objects.slice(0, 4).map((k) => line(k))),
  member('edge-paris', { state: 'Drifted' }, objects.slice(0, 5).map((k) => (k.includes('ConfigMap') ? line(k, { drift: ['/data/mode'], message: 'drifted; not corrected (drift policy report)' }) : k.includes('/Deployment/shop/web') ? line(k, { health: 'Progressing' }) : line(k)))),
], { now: '2026-05-01T10:00:05Z', branchCommit: HEAD, fleet: 'shop' });

const available = existsSync(CHROMIUM);

describe.skipIf(!available && process.env.CI !== 'true')('the page, in headless Chromium', () => {
  let server: HttpServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await serve({ report: async () => REPORT, health: () => ({ ok: true }), ready: () => ({ ok: true }), metrics: async () => ({ contentType: 'text/plain', text: '' }), assets: PAGE_ASSETS }, { address: '127.0.0.1:0' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows every member and object, marks the failure, and opens its message on one click', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 560 } });
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(`http://${server.address}/`)) foreign.push(r.url()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`http://${server.address}/`);
    await page.waitForSelector('#matrix tbody tr');

    expect(await page.$$eval('thead th.member .name', (ths) => ths.map((t) => t.textContent))).toEqual(['cloud-eu-1', 'cloud-us-1', 'edge-berlin', 'edge-paris']);
    expect(await page.$$eval('tbody th.object', (ths) => ths.map((t) => t.textContent))).toEqual([...objects].sort().map(display));
    const state = (key: string, m: string) => page.$eval(`tr[data-key="${key}"] td[data-member="${m}"]`, (td) => (td as unknown as { dataset: Record<string, string> }).dataset.state);
    expect(await state('apps/Deployment/shop/api', 'cloud-us-1')).toBe('failed');
    expect(await state('apps/Deployment/shop/api', 'cloud-eu-1')).toBe('ok');
    expect(await state('apps/Deployment/shop/web', 'edge-berlin')).toBe('unreachable');
    expect(await state('/ConfigMap/shop/settings', 'edge-paris')).toBe('drifted');
    expect(await state('apps/Deployment/shop/web', 'edge-paris')).toBe('progressing');
    expect(await state('batch/Job/shop/migrate', 'edge-paris')).toBe('none');
    // The member behind the branch head says so.
    expect(await page.$eval('th.member[data-member="edge-berlin"] .rev', (e) => e.className)).toContain('behind');
    expect(await page.$eval('th.member[data-member="cloud-eu-1"] .rev', (e) => e.className)).not.toContain('behind');

    expect(await page.isHidden('#detail')).toBe(true);
    await page.click('tr[data-key="apps/Deployment/shop/api"] td[data-member="cloud-us-1"] button');
    expect(await page.textContent('#detail-title')).toBe('Deployment/shop/api on cloud-us-1');
    expect(await page.textContent('#detail-body')).toContain('admission webhook "policy.example.com" denied the request: image must be signed');

    await page.check('#problems');
    expect(await page.$$eval('tbody tr', (trs) => trs.map((t) => (t as unknown as { dataset: Record<string, string> }).dataset.key))).toEqual(['/ConfigMap/shop/settings', '/Service/shop/web', 'apps/Deployment/shop/api', 'apps/Deployment/shop/web']);
    if (process.env.GITFED_SCREENSHOT) {
      await page.uncheck('#problems');
      await page.screenshot({ path: process.env.GITFED_SCREENSHOT });
    }
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('asks for the token when the server wants one, and then shows the fleet', async () => {
    const guarded = await serve({ report: async () => REPORT, health: () => ({ ok: true }), ready: () => ({ ok: true }), metrics: async () => ({ contentType: 'text/plain', text: '' }), assets: PAGE_ASSETS }, { address: '127.0.0.1:0', token: 'page-token-0123456789' });
    try {
      const page = await browser.newPage();
      await page.goto(`http://${guarded.address}/`);
      await page.waitForSelector('#login:not([hidden])');
      await page.fill('#token', 'page-token-0123456789');
      await page.click('#login button');
      await page.waitForSelector('#matrix tbody tr');
      expect(await page.$$eval('thead th.member', (ths) => ths.length)).toBe(4);
    } finally {
      await guarded.close();
    }
  });
});
