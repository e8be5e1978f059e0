import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { newUser, startUpdate } from './telegram-updates.js';

/** An instance of the service the load is spread over. */
export interface LoadInstance {
  url: string;
}

export interface LoginLoadOptions {
  instances: readonly LoadInstance[];
  logins: number;
  /** New logins started per second. */
  ratePerSecond: number;
  webhookSecret: string;
  /** Called once per login when its browser got an answer (or gave up): to time a fault. */
  onSettled?: (settled: number) => void;
}

/** What a person would notice, counted over the whole load. */
export interface LoginLoadCounts {
  started: number;
  /** The browser got its result. */
  delivered: number;
  /** The bot said "logged in" and the browser never got it, or was told the login is unknown. */
  lost: number;
  /** A result reached one browser twice. */
  duplicated: number;
  /** The person was told it did not work (the bot or the browser), or the webhook never took the /start. */
  failed: number;
  /** No token within the browser's patience. */
  neverStarted: number;
  /** Answers 5xx other than 503: never allowed. */
  otherServerErrors: number;
  tokenRetries: number;
  updateResends: number;
}

/** The page's retry of a token creation the service refused (503, or an instance away). */
const TOKEN_RETRY_MS = 250;
const TOKEN_GIVE_UP_MS = 30_000;
/** Telegram re-sends an update that was not answered 2xx (more slowly; quicker here to keep the test short). */
const UPDATE_RETRY_MS = 250;
const UPDATE_GIVE_UP_MS = 45_000;
const POLL_INTERVAL_MS = 500;
/** How long a browser waits for its result once Telegram's update was taken. */
const RESULT_DEADLINE_MS = 30_000;
/** A person scans a moment after the code appears, so that logins are in flight when a fault strikes. */
const SCAN_DELAY_MS = [200, 1_200] as const;

/**
 * Many logins at a steady rate, each as a person does it: the page creates a
 * token (retrying 503s), holds a socket to the instance that made it (polling
 * another one while that socket is down), and Telegram posts the `/start` to
 * any instance until it is answered 2xx. Every 503 is timed, so a test can
 * say how long the service was unavailable.
 */
export class LoginLoad {
  readonly counts: LoginLoadCounts = {
    started: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    failed: 0,
    neverStarted: 0,
    otherServerErrors: 0,
    tokenRetries: 0,
    updateResends: 0,
  };
  /** A line per login that did not end as a delivered login, for the failure message. */
  readonly problems: string[] = [];
  /** Epoch ms of every 503 answer but "in progress" (below). */
  readonly unavailableAt: number[] = [];
  /**
   * The longest time one update was answered 503 "being handled already": its claim outlived
   * a handling that failed (written by a primary that then died), until the claim lapses.
   */
  longestInProgressMs = 0;
  private settled = 0;
  private nextClient = 0;

  constructor(private readonly options: LoginLoadOptions) {}

  async run(): Promise<LoginLoadCounts> {
    const { logins, ratePerSecond } = this.options;
    const started = Date.now();
    const all: Promise<void>[] = [];
    for (let index = 0; index < logins; index++) {
      const due = started + (index * 1000) / ratePerSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      all.push(
        this.oneLogin(index).finally(() =>
          this.options.onSettled?.(++this.settled),
        ),
      );
    }
    await Promise.all(all);
    return this.counts;
  }

  /** The longest time from a 503 to the last 503 that followed it without a gap of `gapMs`. */
  longestUnavailableMs(gapMs = 2_000): number {
    const times = [...this.unavailableAt].sort((a, b) => a - b);
    let longest = 0;
    let from = times[0];
    for (let i = 1; i < times.length; i++) {
      if (times[i] - times[i - 1] > gapMs) from = times[i];
      longest = Math.max(longest, times[i] - from);
    }
    return longest;
  }

  private async oneLogin(index: number): Promise<void> {
    this.counts.started++;
    const ip = this.clientAddress();
    const ticket = await this.createToken(index, ip);
    if (!ticket) {
      this.counts.neverStarted++;
      this.problems.push(`login ${index}: no token`);
      return;
    }
    const browser = new SimulatedBrowser(ticket, this.instances, ip, (answer) =>
      this.note(answer, `login ${index}: a poll`),
    );
    try {
      await browser.showCode();
      await sleep(
        SCAN_DELAY_MS[0] +
          Math.random() * (SCAN_DELAY_MS[1] - SCAN_DELAY_MS[0]),
      );
      const outcome = await this.deliverStart(ticket.token);
      browser.trace(`webhook answered ${outcome ?? 'never 2xx'}`);
      const told = await browser.result(RESULT_DEADLINE_MS);
      // A moment more, to see a second delivery if one comes.
      await sleep(200);
      this.count(index, outcome, told, browser);
    } finally {
      browser.close();
    }
  }

  private count(
    index: number,
    outcome: string | undefined,
    told: string | undefined,
    browser: SimulatedBrowser,
  ): void {
    const results = browser.results;
    if (results > 1) {
      this.counts.duplicated++;
      this.problems.push(`login ${index}: delivered ${results} times`);
    }
    if (results > 0) {
      this.counts.delivered++;
      return;
    }
    if (outcome === 'authenticated') {
      this.counts.lost++;
      this.problems.push(
        `login ${index}: lost (bot said logged in, browser ${told ?? 'got nothing'}): ${browser.history()}`,
      );
    } else {
      this.counts.failed++;
      this.problems.push(
        `login ${index}: failed (webhook ${outcome ?? 'never 2xx'}, browser ${told ?? 'got nothing'}): ${browser.history()}`,
      );
    }
  }

  private get instances(): readonly LoadInstance[] {
    return this.options.instances;
  }

  private clientAddress(): string {
    const n = ++this.nextClient;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }

  private note(answer: Answer | undefined, what: string): void {
    const status = answer?.status;
    if (status === 503) this.unavailableAt.push(Date.now());
    else if (status !== undefined && status >= 500) {
      this.counts.otherServerErrors++;
      this.problems.push(
        `${what} answered ${status}: ${JSON.stringify(answer?.body).slice(0, 200)}`,
      );
    }
  }

  private async createToken(
    index: number,
    ip: string,
  ): Promise<Ticket | undefined> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const home = this.instances[(index + attempt) % this.instances.length];
      const answer = await send(`${home.url}/auth/token`, {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
      });
      this.note(answer, `login ${index}: POST /auth/token`);
      if (answer?.status === 201) {
        const body = answer.body as { token: string; secret: string };
        return { token: body.token, secret: body.secret, home };
      }
      if (Date.now() - started > TOKEN_GIVE_UP_MS) return undefined;
      this.counts.tokenRetries++;
      await sleep(TOKEN_RETRY_MS);
    }
  }

  /** Telegram's side: the same update, to any instance, until it is answered 2xx. Resolves with the outcome. */
  private async deliverStart(token: string): Promise<string | undefined> {
    const update = JSON.stringify(startUpdate(token, newUser()));
    const started = Date.now();
    let inProgressSince: number | undefined;
    for (let attempt = 0; Date.now() - started < UPDATE_GIVE_UP_MS; attempt++) {
      const target = this.instances[attempt % this.instances.length];
      const answer = await send(`${target.url}/telegram/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': this.options.webhookSecret,
        },
        body: update,
      });
      if (isInProgress(answer)) {
        inProgressSince ??= Date.now();
        this.longestInProgressMs = Math.max(
          this.longestInProgressMs,
          Date.now() - inProgressSince,
        );
      } else {
        inProgressSince = undefined;
        this.note(answer, `the webhook's /start for ${token.slice(0, 6)}…`);
      }
      if (answer && answer.status >= 200 && answer.status < 300)
        return (answer.body as { outcome?: string }).outcome;
      this.counts.updateResends++;
      await sleep(UPDATE_RETRY_MS);
    }
    return undefined;
  }
}

interface Ticket {
  token: string;
  secret: string;
  home: LoadInstance;
}

/** The login page's side: the socket to the token's instance, and polling while it is down. */
class SimulatedBrowser {
  results = 0;
  private told: string | undefined;
  private finish!: () => void;
  private readonly finished = new Promise<void>(
    (resolve) => (this.finish = resolve),
  );
  private readonly socket: Socket;
  private polling = false;
  private closed = false;
  private readonly began = Date.now();
  /** What happened to this login, with ms since its token: told with a login that went wrong. */
  private readonly events: string[] = [];

  constructor(
    private readonly ticket: Ticket,
    private readonly instances: readonly LoadInstance[],
    private readonly ip: string,
    private readonly note: (answer: Answer | undefined) => void,
  ) {
    this.socket = io(`${ticket.home.url}/auth`, {
      auth: { token: ticket.token, secret: ticket.secret },
      transports: ['websocket'],
      extraHeaders: { 'x-forwarded-for': ip },
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
    });
    this.socket.on(
      'status',
      (body: { status: string; accessToken?: string }, ack?: () => void) => {
        ack?.();
        this.trace(`pushed ${body.status}`);
        this.settle(body);
      },
    );
    this.socket.on('connect', () => this.trace('socket in'));
    this.socket.on('disconnect', (reason) => {
      this.trace(`socket out (${reason})`);
      this.startPolling();
    });
    this.socket.on('connect_error', () => {
      this.trace('socket refused');
      this.startPolling();
    });
  }

  trace(event: string): void {
    this.events.push(`${Date.now() - this.began} ms ${event}`);
  }

  history(): string {
    return `token ${this.ticket.token.slice(0, 6)} at ${new Date(this.began).toISOString().slice(11, 23)}, ${this.events.join(', ')}`;
  }

  /** Until the socket is in (or polling took over): the page shows the code. */
  async showCode(): Promise<void> {
    await Promise.race([
      new Promise<void>((resolve) =>
        this.socket.once('connect', () => resolve()),
      ),
      sleep(2_000),
    ]);
  }

  /** Resolves with what the browser was told in the end (undefined: nothing by the deadline). */
  async result(deadlineMs: number): Promise<string | undefined> {
    await Promise.race([this.finished, sleep(deadlineMs)]);
    return this.told;
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }

  private settle(body: { status: string; accessToken?: string }): void {
    if (body.status === 'authenticated' && body.accessToken) {
      this.results++;
      this.told = 'authenticated';
      this.finish();
    } else if (['denied', 'expired', 'unknown'].includes(body.status)) {
      this.told ??= body.status;
      this.finish();
    }
  }

  private startPolling(): void {
    if (this.polling || this.closed || this.told) return;
    this.polling = true;
    void this.poll();
  }

  private async poll(): Promise<void> {
    for (let attempt = 0; !this.closed && !this.told; attempt++) {
      if (this.socket.connected) break;
      const target = this.instances[attempt % this.instances.length];
      const answer = await send(
        `${target.url}/auth/poll/${this.ticket.token}`,
        {
          headers: {
            'x-login-secret': this.ticket.secret,
            'x-forwarded-for': this.ip,
          },
        },
      );
      this.note(answer);
      this.trace(
        `poll ${attempt % this.instances.length}: ${answer?.status ?? 'no answer'} ${(answer?.body as { status?: string } | undefined)?.status ?? ''}`,
      );
      if (answer?.status === 200)
        this.settle(answer.body as { status: string; accessToken?: string });
      else if (answer?.status === 404) this.settle({ status: 'unknown' });
      await sleep(POLL_INTERVAL_MS);
    }
    this.polling = false;
  }
}

/** The webhook's 503 for a copy of an update whose claim is still in force. */
function isInProgress(answer: { status: number; body: unknown } | undefined) {
  return (
    answer?.status === 503 &&
    /being handled already/.test(
      String((answer.body as { message?: unknown }).message),
    )
  );
}

/** fetch, resolving undefined when the instance cannot be reached. */
interface Answer {
  status: number;
  body: unknown;
}

async function send(
  url: string,
  init: RequestInit,
): Promise<Answer | undefined> {
  try {
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  } catch {
    return undefined;
  }
}
