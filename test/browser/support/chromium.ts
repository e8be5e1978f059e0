import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` package; CI installs it (`.ci/run`). Never downloaded by the tests. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches the system Chromium headless. A missing browser fails the test
 * with a message saying what to install: browser tests never skip.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it. ` +
        "Install Debian's package (sudo apt-get install chromium) or run `bash .ci/run`, " +
        'or point CHROMIUM_PATH at another Chromium binary.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Timers of a page in the background are throttled; every test page is "in front".
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
    ],
  });
}
