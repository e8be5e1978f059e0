import {
  ApiError,
  continueTo,
  createLogin,
  fetchMe,
  interactionPath,
  isAbort,
} from './api.js';
import type { LoginStatusBody, LoginTicket, TelegramUser } from './contract.js';
import { describeSessionEnd } from './format.js';
import { loadLocalization, type Localization } from './i18n.js';
import { LoginWatcher } from './login-watcher.js';
import { session, type StoredSession } from './session.js';
import { SessionKeeper } from './session-keeper.js';
import { loadSite, type Site, siteOfInteraction } from './site.js';
import { LoginView } from './view.js';

/**
 * Codes the page replaces by itself in a row before it waits for the person
 * (a forgotten tab should not ask for codes forever).
 */
const MAX_AUTO_REFRESHES = 3;

/** A code is replaced this long before it runs out, so nobody scans one that dies in their hand. */
function refreshLeadMs(ttlMs: number): number {
  return Math.min(10_000, Math.max(500, ttlMs * 0.1));
}

interface ActiveLogin {
  ticket: LoginTicket;
  watcher: LoginWatcher;
  /** performance.now() at which the code expires (from `expiresIn`, so the device's clock does not matter). */
  deadline: number;
  ttlMs: number;
  scanned: boolean;
}

type Reason = 'initial' | 'refresh' | 'user' | 'logout';

/**
 * Interaction mode: the page is an OpenID Connect authorization's login (served at
 * `/oidc/interaction/:uid`, which puts the uid and the client's name on <body>). Its
 * codes come from that interaction, and once the login is over the browser goes back
 * to the site; no access token ever reaches this page.
 */
interface Interaction {
  uid: string;
  clientName: string;
  clientLogo?: string;
}

function interactionOfPage(l10n: Localization): Interaction | undefined {
  const { interaction, clientName, clientLogo } = document.body.dataset;
  return interaction
    ? {
        uid: interaction,
        clientName: clientName || l10n.t('site-fallback'),
        clientLogo,
      }
    : undefined;
}

/**
 * The login page: asks for a code, shows it, follows it until it is used,
 * denied or expired, and shows who is logged in. Once it has nothing to wait
 * for, it keeps no timer, request or socket.
 */
class LoginPage {
  private active?: ActiveLogin;
  /** While the page shows who is logged in (and while it checks a session kept from before a reload). */
  private keeper?: SessionKeeper;
  private ticker?: ReturnType<typeof setInterval>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private request?: AbortController;
  private autoRefreshes = 0;
  private expiredWhileHidden = false;
  private retryAction: () => void = () => void this.newLogin('user');
  private readonly interaction: Interaction | undefined;

  constructor(
    private readonly view: LoginView,
    private readonly l10n: Localization,
    site: Site,
  ) {
    this.interaction = interactionOfPage(l10n);
    view.showSite(
      this.interaction
        ? siteOfInteraction(
            this.interaction.clientName,
            this.interaction.clientLogo,
          )
        : site,
      this.interaction !== undefined,
    );
    view.onRetry(() => {
      this.autoRefreshes = 0;
      this.retryAction();
    });
    view.onLogout(() => void this.logout());
    document.addEventListener('visibilitychange', () =>
      this.onVisibilityChange(),
    );
  }

  /** A session kept from before a reload is checked with the server before it is shown. */
  async boot(): Promise<void> {
    // An authorization's login always scans: the site asked this service, not this tab, who is there.
    if (this.interaction) return this.newLogin('initial');
    const stored = session.load();
    if (!stored) return this.newLogin('initial');
    this.stopEverything();
    this.view.showLoading(this.l10n.t('status-checking-session'));
    const keeper = this.keeperOf(stored);
    this.keeper = keeper;
    let user: TelegramUser | undefined;
    try {
      user = await this.userOf(keeper);
    } catch (error) {
      if (isAbort(error)) return;
      this.showError(() => void this.boot());
      return;
    }
    if (!user) {
      // Ended while the page was away: it does not know why, so it simply offers a new login.
      session.forget();
      return this.newLogin('initial');
    }
    this.showUser(user, false);
    keeper.start();
  }

  /**
   * The session's user as the server says now (GET /auth/me), with tokens
   * refreshed first when they are due, or once when the access token is
   * refused (it may just have expired); undefined when the session is over.
   */
  private async userOf(
    keeper: SessionKeeper,
  ): Promise<TelegramUser | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0 || keeper.due) {
        const outcome = await keeper.refresh();
        if (outcome === 'ended') return undefined;
        if (outcome === 'stopped')
          throw new DOMException('Stopped', 'AbortError');
        if (outcome === 'unreachable')
          throw new ApiError('The server cannot be reached', 0);
      }
      try {
        return await fetchMe(keeper.accessToken, this.newRequest());
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    }
    return undefined;
  }

  private keeperOf(tokens: StoredSession): SessionKeeper {
    return new SessionKeeper(tokens, {
      renewed: (renewed) => session.save(renewed),
      ended: (reason) => this.onSessionEnded(reason),
      unreachable: () => this.showError(() => void this.boot()),
      transport: (transport) => this.view.setTransport(transport),
    });
  }

  private async newLogin(reason: Reason): Promise<void> {
    this.stopEverything();
    this.view.showLoading(
      this.l10n.t(
        reason === 'refresh'
          ? 'status-getting-new-code'
          : 'status-getting-code',
      ),
    );
    let ticket: LoginTicket;
    try {
      ticket = await createLogin(this.newRequest(), this.interaction?.uid);
    } catch (error) {
      if (isAbort(error)) return;
      if (this.interaction && error instanceof ApiError && error.status === 404)
        return this.showEnded();
      if (error instanceof ApiError && error.status === 429)
        return this.waitAndRetry(error.retryAfterMs, reason);
      this.showError(() => void this.newLogin('user'));
      return;
    }
    this.watch(ticket);
    const status = {
      initial: 'status-waiting',
      user: 'status-waiting',
      refresh: 'status-new-code',
      logout: 'status-logged-out',
    }[reason];
    this.view.setStatus(this.l10n.t(status));
    if (reason === 'user' || reason === 'logout') this.view.focus('login');
  }

  /**
   * Rate limited: says how long to wait (once, for screen readers), counts it
   * down, then asks again. A little jitter keeps tabs behind one address from
   * asking all at once.
   */
  private waitAndRetry(retryAfterMs: number | undefined, reason: Reason): void {
    const waitMs = (retryAfterMs ?? 10_000) + Math.random() * 1000;
    const deadline = performance.now() + waitMs;
    this.view.showRateLimited(
      this.l10n.t('status-too-many', { seconds: Math.ceil(waitMs / 1000) }),
    );
    const tick = () =>
      this.view.setRetryCountdown(deadline - performance.now(), waitMs);
    tick();
    this.ticker = setInterval(tick, 250);
    this.retryTimer = setTimeout(() => void this.newLogin(reason), waitMs);
  }

  private watch(ticket: LoginTicket): void {
    const ttlMs = Math.max(0, ticket.expiresIn * 1000);
    const watcher = new LoginWatcher(ticket, {
      status: (body) => this.onStatus(body),
      gone: () => this.onExpired(),
      transport: (transport) => this.view.setTransport(transport),
    });
    this.active = {
      ticket,
      watcher,
      ttlMs,
      deadline: performance.now() + ttlMs,
      scanned: false,
    };
    this.view.showTicket(ticket);
    this.tick();
    this.ticker = setInterval(() => this.tick(), 250);
    watcher.start();
  }

  private onStatus(body: LoginStatusBody): void {
    const active = this.active;
    if (!active) return;
    switch (body.status) {
      case 'pending':
        return;
      case 'scanned':
        active.scanned = true;
        this.view.showScanned(
          body.firstName,
          active.ticket.matchCode,
          body.photoUrl,
        );
        return;
      case 'authenticated':
        if (this.interaction && body.continueTo) {
          this.stopEverything();
          this.view.showContinuing(
            this.l10n.t('status-going-back', {
              site: this.interaction.clientName,
            }),
          );
          continueTo(body.continueTo, active.ticket);
          return;
        }
        if (!body.user || !body.accessToken || !body.refreshToken) return;
        this.loggedIn(
          body.user,
          {
            accessToken: body.accessToken,
            refreshToken: body.refreshToken,
            receivedAt: Date.now(),
          },
          body.photoUrl,
        );
        return;
      case 'denied':
        this.stopEverything();
        if (this.interaction) {
          // The site hears it (access_denied); it is where the person starts again.
          this.view.showProblem('denied', {
            title: this.l10n.t('denied-title'),
            text: this.l10n.t('denied-text-site', {
              site: this.interaction.clientName,
            }),
            action: this.l10n.t('go-back'),
          });
          const back = () =>
            continueTo(
              `${interactionPath(this.interaction!.uid)}/complete`,
              active.ticket,
            );
          this.retryAction = back;
          back();
          return;
        }
        this.view.showProblem('denied', {
          title: this.l10n.t('denied-title'),
          text: this.l10n.t('denied-text'),
          action: this.l10n.t('try-again'),
        });
        this.retryAction = () => void this.newLogin('user');
        this.view.focus('problem');
        return;
      case 'expired':
        this.onExpired();
        return;
    }
  }

  /** Shows who is logged in, and keeps the session (refreshes, hears its end) while it does. */
  private loggedIn(
    user: TelegramUser,
    tokens: StoredSession,
    photoUrl: string | undefined,
  ): void {
    session.save(tokens);
    this.stopEverything();
    this.showUser(user, true, photoUrl);
    this.keeper = this.keeperOf(tokens);
    this.keeper.start();
  }

  /** Replaced by a new code while someone may be looking; otherwise offered again with a button. */
  private onExpired(): void {
    const active = this.active;
    if (!active) return;
    const visible = document.visibilityState === 'visible';
    if (!active.scanned && visible && this.autoRefreshes < MAX_AUTO_REFRESHES) {
      this.autoRefreshes++;
      void this.newLogin('refresh');
      return;
    }
    this.stopEverything();
    this.expiredWhileHidden = !visible && !active.scanned;
    this.view.showProblem('expired', {
      title: this.l10n.t('expired-title'),
      text: this.l10n.t(
        active.scanned ? 'expired-unconfirmed' : 'expired-text',
      ),
      action: this.l10n.t('new-code'),
    });
    this.retryAction = () => void this.newLogin('user');
    this.view.focus('problem');
  }

  private tick(): void {
    const active = this.active;
    if (!active) return;
    const remaining = active.deadline - performance.now();
    this.view.setCountdown(remaining, active.ttlMs);
    if (
      remaining <= 0 ||
      (!active.scanned && remaining <= refreshLeadMs(active.ttlMs))
    )
      this.onExpired();
  }

  private onVisibilityChange(): void {
    if (document.visibilityState !== 'visible' || !this.expiredWhileHidden)
      return;
    this.expiredWhileHidden = false;
    this.autoRefreshes = 0;
    void this.newLogin('refresh');
  }

  /** `photoUrl` only right after the login: a session kept over a reload shows initials. */
  private showUser(
    user: TelegramUser,
    moveFocus: boolean,
    photoUrl?: string,
  ): void {
    this.autoRefreshes = 0;
    this.view.showUser(user, photoUrl);
    if (moveFocus) this.view.focus('user');
  }

  /** Ends the session on the server too; if that fails, this browser still forgets it, and says so. */
  private async logout(): Promise<void> {
    const keeper = this.keeper;
    this.keeper = undefined;
    this.stopEverything();
    this.autoRefreshes = 0;
    this.view.showLoading(this.l10n.t('status-logging-out'));
    const endedOnServer = keeper ? await keeper.logOut() : true;
    session.forget();
    if (endedOnServer) return this.newLogin('logout');
    this.view.showProblem('ended', {
      title: this.l10n.t('logged-out-here-title'),
      text: this.l10n.t('logged-out-here-text'),
      action: this.l10n.t('log-in-again'),
    });
    this.retryAction = () => void this.newLogin('user');
    this.view.focus('problem');
  }

  /** Told over the socket, or its refresh token was refused: the session is over. */
  private onSessionEnded(reason: string | undefined): void {
    session.forget();
    this.stopEverything();
    this.view.showSessionEnded(describeSessionEnd(reason, this.l10n));
    this.retryAction = () => void this.newLogin('user');
    this.view.focus('problem');
  }

  /** Interaction mode: the authorization is over (finished, expired, or opened in another browser). */
  private showEnded(): void {
    this.stopEverything();
    this.view.showProblem(
      'error',
      {
        title: this.l10n.t('request-ended-title'),
        text: this.l10n.t('request-ended-text'),
        action: this.l10n.t('try-again'),
      },
      'error',
    );
    this.retryAction = () => location.reload();
    this.view.focus('problem');
  }

  private showError(retry: () => void): void {
    this.stopEverything();
    this.view.showProblem(
      'error',
      {
        title: this.l10n.t('unreachable-title'),
        text: this.l10n.t('unreachable-text'),
        action: this.l10n.t('try-again'),
      },
      'error',
    );
    this.retryAction = retry;
    this.view.focus('problem');
  }

  /** Ends every timer, request and socket of the current step. */
  private stopEverything(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.request?.abort();
    this.request = undefined;
    this.active?.watcher.stop();
    this.active = undefined;
    this.keeper?.stop();
    this.keeper = undefined;
    this.expiredWhileHidden = false;
    this.view.setTransport('none');
  }

  private newRequest(): AbortSignal {
    this.request?.abort();
    this.request = new AbortController();
    return this.request.signal;
  }
}

// Nothing is shown before the page's language is known: it never flashes English first.
// The site's name is asked for meanwhile (an OpenID client's login has its own on <body>).
void Promise.all([
  loadLocalization(),
  document.body.dataset.interaction ? { name: '' } : loadSite(),
]).then(([l10n, site]) =>
  new LoginPage(new LoginView(l10n), l10n, site).boot(),
);
