// The dashboard in a real browser: Debian's chromium, driven by playwright-core, against an
// in-process node with peers on loopback. Without a browser this test fails and says how to
// install one (CI installs it in .ci/run).
import { existsSync } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { nodeIdToHex } from '@ethp2p/enode';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { FullNodeOptions } from '../../src/node/config.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { loopbackNode } from '../node/helpers.ts';
import { chainFixture } from './helpers.ts';

/** Where Debian's chromium package puts the browser; `ETHP2P_CHROMIUM` overrides it. */
const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const STEP_MS = 15_000;

/** The browser to drive: `ETHP2P_CHROMIUM` when set, else Debian's chromium. */
function chromiumPath(): string {
  const override = process.env.ETHP2P_CHROMIUM;
  const candidates = override !== undefined && override !== '' ? [override] : CHROMIUM_PATHS;
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      `no Chromium found (looked at ${candidates.join(', ')}): the dashboard's browser test ` +
        'needs one. Install Debian\'s: "apt-get update && apt-get install -y chromium" (as ' +
        'root), or set ETHP2P_CHROMIUM to a Chromium or Chrome binary',
    );
  }
  return found;
}

const fixture = chainFixture(5, 'ethp2p-dashboard-browser-');
const nodes: FullNode[] = [];
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await Promise.all(nodes.map((n) => n.stop()));
}, STEP_MS);

/** A loopback node named `name` over the test chain, started. */
async function startNode(name: string, options: Partial<FullNodeOptions> = {}): Promise<FullNode> {
  const node = loopbackNode({
    datadir: join(fixture.dir, name),
    chain: fixture.chain,
    name: `${name}/v1.0`,
    ...options,
  });
  nodes.push(node);
  await node.start();
  return node;
}

/** Waits until `selector` is in the page (or, with `gone`, no longer is); fails after 10 s. */
async function shows(page: Page, selector: string, what: string, gone = false): Promise<void> {
  try {
    await page.waitForSelector(selector, {
      state: gone ? 'detached' : 'attached',
      timeout: 10_000,
    });
  } catch (err) {
    throw new Error(`the page never showed ${what} (${selector})`, { cause: err });
  }
}

/** The node IDs of the peers table's rows, in order. */
async function rowIds(page: Page): Promise<string[]> {
  const rows = page.locator('#peers tbody tr');
  const ids: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    ids.push((await rows.nth(i).getAttribute('data-id')) ?? '');
  }
  return ids;
}

const peerRow = (id: string): string => `#peers tr[data-id="${id}"]`;

describe('the dashboard in Chromium', () => {
  it('shows the peers, adds a new one without reload, updates the chart, and screenshots', async () => {
    const executablePath = chromiumPath();
    // The dashboard's samples follow their own clock; the node runs on the system's.
    const clock = new SimulatedClock(Date.now());
    const hub = await startNode('hub', {
      http: { host: '127.0.0.1', port: 0 },
      dashboard: { clock },
    });
    const first = await startNode('alice', { bootnodes: [hub.self()], staticNodes: [hub.self()] });
    await waitFor(() => hub.peerSet.len === 1, {
      on: { emitters: [hub.peerSet.events], events: ['peer:registered'] },
      what: 'the first peer',
    });

    browser = await chromium.launch({ executablePath, headless: true, timeout: STEP_MS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(hub.dashboardUrl ?? '', { timeout: STEP_MS });
    await shows(page, '#conn-state[data-state="live"]', 'the live state');
    const idFirst = nodeIdToHex(first.self().id);
    await shows(page, peerRow(idFirst), 'the first peer');
    expect(await rowIds(page)).toEqual([idFirst]);
    expect(await page.textContent('#peer-count')).toBe('1');
    expect(await page.textContent('#head-number')).toBe('#5');
    const firstRow = page.locator(`#peers tr[data-id="${idFirst}"]`);
    expect(await firstRow.locator('td').first().textContent()).toBe('alice');
    expect(await firstRow.textContent()).toContain('eth/69');
    expect(await firstRow.textContent()).toContain('inbound');

    // A second peer appears without a reload.
    // Its client name is markup: the page must show it as text.
    const markup = '<img src=x onerror=alert(1)>';
    const second = await startNode('bob', {
      name: `${markup}/v1`,
      bootnodes: [hub.self()],
      staticNodes: [hub.self()],
    });
    const idSecond = nodeIdToHex(second.self().id);
    await shows(page, peerRow(idSecond), 'the second peer');
    expect((await rowIds(page)).sort()).toEqual([idFirst, idSecond].sort());
    const secondRow = page.locator(peerRow(idSecond));
    expect(await secondRow.locator('td').first().textContent()).toBe(markup);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.textContent('#peer-count')).toBe('2');
    expect(await page.textContent('#activity')).toContain('peer added');

    // Each tick of the dashboard's clock adds a point to the chart.
    const samples = async () => Number(await page.getAttribute('#traffic-chart', 'data-samples'));
    expect(await samples()).toBe(0);
    for (let i = 1; i <= 3; i++) {
      clock.advance(1000);
      await shows(page, `#traffic-chart[data-samples="${i}"]`, `${i} chart samples`);
    }
    expect(await page.textContent('#rate-in')).toMatch(/B\/s$/);
    const totalIn = await page.textContent('#total-in');
    expect(totalIn).toMatch(/^[1-9]/); // the eth Status exchanges

    // And a peer that leaves is removed.
    await second.stop();
    await shows(page, peerRow(idSecond), 'the second peer gone', true);
    expect(await rowIds(page)).toEqual([idFirst]);

    const screenshot = join(fixture.dir, 'dashboard.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    // ETHP2P_DASHBOARD_SCREENSHOT=<file> keeps a copy (how docs/ got its picture).
    const keep = process.env.ETHP2P_DASHBOARD_SCREENSHOT;
    if (keep !== undefined && keep !== '') await copyFile(screenshot, keep);
    expect(errors).toEqual([]);
  }, 60_000);
});
