import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import jsQRModule from 'jsqr';
import type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  ConsoleMessage,
  Page,
  Request,
  WebSocket,
} from 'playwright-core';
import { PATIENCE_MS } from '../../support/patience.js';

// jsqr is CommonJS: under nodenext its default import is module.exports, whose `default` is the function.
const jsQR = jsQRModule.default;

/** The policy the service is meant to send (helmet); every page in these tests is served under it. */
export const PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:";

/**
 * Makes the service send {@link PAGE_CSP} with the page, in addition to any
 * policy it sends itself (browsers enforce every policy they get), so that
 * anything inline or from elsewhere fails in these tests. Done on the real
 * server: a page fulfilled by the test instead would not come from loopback,
 * and Chromium's local-network checks would then refuse its websocket.
 */
export function enforcePageCsp(
  server: Server,
  imageOrigins: readonly string[] = [],
): void {
  const policy = PAGE_CSP.replace(
    "img-src 'self' data:",
    ["img-src 'self' data:", ...imageOrigins].join(' '),
  );
  server.prependListener(
    'request',
    (request: IncomingMessage, response: ServerResponse) => {
      const path = request.url?.split('?')[0];
      // The page as an OpenID authorization's interaction too (/oidc/interaction/:uid).
      if (
        path !== '/' &&
        path !== '/index.html' &&
        !/^\/oidc\/interaction\/[^/]+$/.test(path ?? '')
      )
        return;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with apply(this) below
      const writeHead = response.writeHead;
      response.writeHead = function (
        this: ServerResponse,
        ...args: Parameters<ServerResponse['writeHead']>
      ) {
        this.appendHeader('Content-Security-Policy', policy);
        return writeHead.apply(this, args);
      } as ServerResponse['writeHead'];
    },
  );
}

export const SCREENSHOT_DIR = new URL(
  '../../../test-results/screenshots/',
  import.meta.url,
);

export type PageState =
  | 'loading'
  | 'pending'
  | 'scanned'
  | 'authenticated'
  | 'denied'
  | 'expired'
  | 'error'
  | 'ended'
  | 'rate-limited';

/** The session's tokens as the page keeps them (client/src/session.ts). */
export interface PageSession {
  accessToken: string;
  refreshToken: string;
  receivedAt: number;
}

/** Where the page keeps {@link PageSession} in sessionStorage. */
export const PAGE_SESSION_KEY = 'telegram-qr-auth.session';

/** A Socket.IO frame a page's websocket sent or received: engine.io `4` (message), then the Socket.IO packet. */
export interface SocketFrame {
  socket: WebSocket;
  payload: string;
}

export interface OpenOptions extends Pick<
  BrowserContextOptions,
  | 'viewport'
  | 'colorScheme'
  | 'deviceScaleFactor'
  | 'isMobile'
  | 'hasTouch'
  | 'locale'
  | 'permissions'
  | 'reducedMotion'
> {
  /** While this returns true, websockets to the app fail as they do behind a proxy that drops upgrades. */
  blockWebSockets?: () => boolean;
}

/**
 * Chromium's console line for a photo that answered 404: how the service
 * says "this person has no photo" (the page then shows initials), not a fault.
 */
function isNoPhoto(message: ConsoleMessage): boolean {
  const { url } = message.location();
  return (
    message.text().includes('404') &&
    URL.canParse(url) &&
    new URL(url).pathname.includes('/auth/photos/')
  );
}

/**
 * One browser tab on the login page, recording what a person would not see
 * but a test must: console errors, requests and websockets.
 */
export class LoginPageTab {
  /** Console errors and uncaught exceptions, in order. */
  readonly errors: string[] = [];
  readonly requests: Request[] = [];
  /** Date.now() at each of {@link requests}. */
  readonly requestedAt: number[] = [];
  readonly websockets: WebSocket[] = [];
  /** Text frames every websocket sent, in order. */
  readonly framesSent: SocketFrame[] = [];
  /** Text frames every websocket received, in order. */
  readonly framesReceived: SocketFrame[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error' && !isNoPhoto(message))
        this.errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) =>
      this.errors.push(`uncaught: ${error.message}`),
    );
    page.on('request', (request) => {
      this.requests.push(request);
      this.requestedAt.push(Date.now());
    });
    page.on('websocket', (socket) => {
      this.websockets.push(socket);
      socket.on('framesent', ({ payload }) => {
        if (typeof payload === 'string')
          this.framesSent.push({ socket, payload });
      });
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string')
          this.framesReceived.push({ socket, payload });
      });
    });
  }

  static async open(
    browser: Browser,
    baseUrl: string,
    options: OpenOptions = {},
  ): Promise<LoginPageTab> {
    const { blockWebSockets, ...contextOptions } = options;
    const context = await browser.newContext({
      viewport: { width: 1024, height: 800 },
      // The browser's language (navigator.languages); the page speaks it.
      locale: 'en-US',
      ...contextOptions,
    });
    if (blockWebSockets) {
      await context.routeWebSocket(
        (url) => url.pathname.startsWith('/socket.io/'),
        (socket) => {
          if (blockWebSockets())
            void socket.close({ code: 1011, reason: 'blocked by the test' });
          else socket.connectToServer();
        },
      );
    }
    return new LoginPageTab(context, await context.newPage(), baseUrl);
  }

  /**
   * Opens the page (`search` e.g. `?lang=fa`); resolves once the QR code (or
   * the logged-in card, with a session) is shown.
   */
  async goto(expectState: PageState = 'pending', search = ''): Promise<void> {
    const response = await this.page.goto(`${this.baseUrl}/${search}`);
    // Up to img-src's own sources: a test may have allowed more (enforcePageCsp).
    const start = PAGE_CSP.slice(0, PAGE_CSP.indexOf(';', 20));
    if (!response?.headers()['content-security-policy']?.includes(start))
      throw new Error('the page was not served with the test CSP');
    await this.waitForState(expectState);
  }

  async waitForState(state: PageState, timeout = PATIENCE_MS): Promise<void> {
    await this.page
      .locator(`body[data-state="${state}"]`)
      .waitFor({ state: 'attached', timeout });
  }

  async state(): Promise<string | null> {
    return this.page.locator('body').getAttribute('data-state');
  }

  async transport(): Promise<string | null> {
    return this.page.locator('body').getAttribute('data-transport');
  }

  async waitForTransport(
    transport: 'socket' | 'polling' | 'none',
    timeout = PATIENCE_MS,
  ): Promise<void> {
    await this.page
      .locator(`body[data-transport="${transport}"]`)
      .waitFor({ state: 'attached', timeout });
  }

  /** The id of the element that has the keyboard focus. */
  focusedId(): Promise<string | undefined> {
    return this.page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { id: string } | null };
          }
        ).document.activeElement?.id,
    );
  }

  /** The status as it reads on screen (without what only screen readers hear). */
  status(): Promise<string> {
    return this.page
      .locator('#status')
      .evaluate((element: any) =>
        element.querySelector('[aria-hidden="true"]')
          ? element.querySelector('[aria-hidden="true"]').innerText
          : element.innerText,
      );
  }

  /** The status as screen readers hear it (the number to pick included). */
  spokenStatus(): Promise<string> {
    return this.page
      .locator('#status')
      .evaluate((element: any) =>
        element.querySelector('.visually-hidden')
          ? element.querySelector('.visually-hidden').textContent
          : element.textContent.trim(),
      );
  }

  /** The session's tokens the page keeps (sessionStorage), or undefined. */
  async storedSession(): Promise<PageSession | undefined> {
    const text = await this.page.evaluate(
      (key) =>
        (
          globalThis as unknown as {
            sessionStorage: { getItem(key: string): string | null };
          }
        ).sessionStorage.getItem(key),
      PAGE_SESSION_KEY,
    );
    return text ? (JSON.parse(text) as PageSession) : undefined;
  }

  /** How many items the page keeps in sessionStorage. */
  storageLength(): Promise<number> {
    return this.page.evaluate(
      () =>
        (globalThis as unknown as { sessionStorage: { length: number } })
          .sessionStorage.length,
    );
  }

  /** The access token of each connection to the `/sessions` namespace, in order (as sent on to the server: after a test's route rewrote it). */
  sessionSocketTokens(): string[] {
    return this.framesSent.flatMap(({ payload }) => {
      const match = /^40\/sessions,(.*)$/s.exec(payload);
      return match
        ? [(JSON.parse(match[1]) as { accessToken: string }).accessToken]
        : [];
    });
  }

  /** The websockets that asked for the `/sessions` namespace. */
  sessionWebSockets(): WebSocket[] {
    return [
      ...new Set(
        this.framesSent
          .filter(({ payload }) => payload.startsWith('40/sessions,'))
          .map(({ socket }) => socket),
      ),
    ];
  }

  /** The link of the "Open in Telegram" button. */
  async deepLink(): Promise<string> {
    const href = await this.page
      .getByRole('link', { name: 'Open in Telegram' })
      .getAttribute('href');
    if (!href) throw new Error('the "Open in Telegram" button has no link');
    return href;
  }

  /** The login token, as a phone would read it from the deep link. */
  async token(): Promise<string> {
    const token = new URL(await this.deepLink()).searchParams.get('start');
    if (!token) throw new Error('the deep link carries no token');
    return token;
  }

  /**
   * Reads the QR code as shown: a screenshot of it, decoded with jsQR from the
   * pixels the browser draws, the way a phone's camera would.
   */
  async readQr(): Promise<string | undefined> {
    const png = await this.page.locator('#qr-box').screenshot();
    // Runs in the page; the tests are compiled without DOM types, hence the loose typing there.
    const pixels = await this.page.evaluate(async (base64: string) => {
      const { document, Image } = globalThis as any;
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const { data, width, height } = context.getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      );
      // Base64 crosses to Node far faster than an array of numbers.
      let binary = '';
      for (let offset = 0; offset < data.length; offset += 0x8000) {
        binary += String.fromCharCode(
          ...(data.subarray(offset, offset + 0x8000) as number[]),
        );
      }
      return {
        rgba: globalThis.btoa(binary),
        width: width as number,
        height: height as number,
      };
    }, png.toString('base64'));
    const rgba = new Uint8ClampedArray(Buffer.from(pixels.rgba, 'base64'));
    return jsQR(rgba, pixels.width, pixels.height)?.data;
  }

  /** Requests sent since `since` (an index into {@link requests}) whose path starts with `prefix`. */
  requestsTo(prefix: string, since = 0): Request[] {
    return this.requests
      .slice(since)
      .filter((request) => new URL(request.url()).pathname.startsWith(prefix));
  }

  /** When the requests to `prefix` were sent (Date.now()). */
  timesOf(prefix: string): number[] {
    return this.requests.flatMap((request, index) =>
      new URL(request.url()).pathname.startsWith(prefix)
        ? [this.requestedAt[index]]
        : [],
    );
  }

  /** Resolves once `count` requests to `prefix` have been sent in all. */
  async waitForRequests(
    prefix: string,
    count: number,
    timeout = 10_000,
  ): Promise<void> {
    const deadline = Date.now() + timeout;
    while (this.requestsTo(prefix).length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `expected ${count} requests to ${prefix}, saw ${this.requestsTo(prefix).length}`,
        );
      await this.page.waitForTimeout(50);
    }
  }

  /**
   * A full-page screenshot in test-results/screenshots/<name>.png. On a touch
   * screen the viewport is grown to the page instead: Chromium's full-page
   * capture drops touch emulation, so the page would be drawn as on a desktop.
   */
  async screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const touch = await this.page.evaluate(
      () => (globalThis as any).matchMedia('(pointer: coarse)').matches,
    );
    const viewport = this.page.viewportSize();
    if (touch && viewport) {
      const height = await this.page.evaluate(
        () => (globalThis as any).document.documentElement.scrollHeight,
      );
      await this.page.setViewportSize({
        width: viewport.width,
        height: Math.max(viewport.height, height),
      });
    }
    // Let transitions (the QR fading in, the progress bar) settle.
    await this.page.waitForTimeout(300);
    await this.page.screenshot({
      path: new URL(`${name}.png`, SCREENSHOT_DIR).pathname,
      fullPage: !touch,
      animations: 'disabled',
    });
    if (touch && viewport) await this.page.setViewportSize(viewport);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
