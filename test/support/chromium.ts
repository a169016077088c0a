// Debian's Chromium (installed by scripts/ensure-deps.sh), driven by playwright-core: never a
// browser download. Each call gets a fresh profile directory, removed on close.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface HeadlessPage {
  page: Page;
  /** Console messages of type error and uncaught page errors, in order. */
  errors: string[];
  close(): Promise<void>;
}

export async function openHeadless(): Promise<HeadlessPage> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: scripts/ensure-deps.sh installs Debian's chromium (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'trainflow-chromium-'));
  let context: BrowserContext | undefined;
  try {
    // launchPersistentContext is how playwright takes a --user-data-dir.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return {
    page,
    errors,
    async close() {
      await context!.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
