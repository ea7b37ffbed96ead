import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { tmpDir } from './tmp';

export const CHROMIUM = process.env.CAUDAL_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CAUDAL_CHROMIUM)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium leaves small logs in its temporary folder; this one goes with the test file's.
    env: { ...process.env, TMPDIR: tmpDir('caudal-chromium-') },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // Waits return as soon as the page is right; playwright's 30 s default failed e2e tests on a
  // loaded 2-core machine, so every page gets a bound for a hang instead (5 minutes).
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => {
    const page = await newPage(...args);
    page.setDefaultTimeout(300_000);
    return page;
  };
  return browser;
}

/** Screenshots of every screen land here, for people to look at (CI keeps them as artifacts). */
export function artifactPath(name: string): string {
  const dir = path.join(__dirname, '..', '..', 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
