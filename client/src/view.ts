import type { LoginTicket, TelegramUser } from './contract.js';
import { describeRemaining, fullName, initials } from './format.js';
import type { Localization } from './i18n.js';
import type { Transport } from './login-watcher.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  return element as T;
}

type Section = 'login' | 'problem' | 'user';

export interface Problem {
  title: string;
  text: string;
  action: string;
}

/**
 * Everything the page shows, in the page's language; the controller decides
 * when. No inline styles: the CSP allows none.
 */
export class LoginView {
  private readonly root = document.body;
  private readonly heading = byId('title');
  private readonly status = byId('status');
  private readonly sections: Record<Section, HTMLElement> = {
    login: byId('login'),
    problem: byId('problem'),
    user: byId('user'),
  };
  private readonly qrBox = byId('qr-box');
  private readonly qr = byId<HTMLImageElement>('qr');
  private readonly match = byId('match');
  private readonly matchCode = byId('match-code');
  private readonly countdown = byId('countdown');
  private readonly countdownText = byId('countdown-text');
  private readonly countdownBar = byId<HTMLProgressElement>('countdown-bar');
  private readonly onThisDevice = byId('on-this-device');
  private readonly openTelegram = byId<HTMLAnchorElement>('open-telegram');
  private readonly deepLink = byId<HTMLAnchorElement>('deep-link');
  private readonly demo = byId('demo');
  private readonly demoCommand = byId('demo-command');
  private readonly problemHeading = byId('problem-heading');
  private readonly problemText = byId('problem-text');
  private readonly retry = byId<HTMLButtonElement>('retry');
  private readonly userHeading = byId('user-heading');
  private readonly logoutButton = byId<HTMLButtonElement>('logout');
  private readonly transport = byId('transport');
  private readonly startStep = byId('start-step');
  private readonly confirmStep = byId('confirm-step');

  constructor(private readonly l10n: Localization) {
    l10n.translateDocument();
  }

  /** The `<title>` and heading; naming the site the login is for, in interaction mode. */
  showHeading(site?: string): void {
    const text = site
      ? this.l10n.t('page-title-site', { site })
      : this.l10n.t('page-title');
    this.heading.textContent = text;
    document.title = text;
  }

  onRetry(handler: () => void): void {
    this.retry.addEventListener('click', handler);
  }

  onLogout(handler: () => void): void {
    this.logoutButton.addEventListener('click', handler);
  }

  setStatus(
    text: string,
    tone: 'info' | 'success' | 'warning' | 'error' = 'info',
  ): void {
    if (this.status.textContent !== text) this.status.textContent = text;
    this.status.dataset.tone = tone;
  }

  /** The login section without a code yet (first load, a new code on its way). */
  showLoading(text: string): void {
    this.show('login');
    this.root.dataset.state = 'loading';
    this.qrBox.setAttribute('aria-busy', 'true');
    this.qrBox.classList.remove('is-scanned');
    this.setStatus(text);
  }

  showTicket(ticket: LoginTicket): void {
    this.show('login');
    this.root.dataset.state = 'pending';
    this.qr.src = ticket.qr;
    this.qrBox.setAttribute('aria-busy', 'false');
    this.qrBox.classList.remove('is-scanned');
    this.showDeepLink(ticket);
    this.match.hidden = ticket.matchCode === undefined;
    this.matchCode.textContent = ticket.matchCode ?? '';
    this.countdown.hidden = false;
    this.startStep.hidden = false;
    this.confirmStep.hidden = true;
  }

  /**
   * With a bot: the link to open it on this device. In demo mode that link
   * opens nothing, so there is none to follow; the page says so and gives the
   * command that plays Telegram's part instead.
   */
  private showDeepLink({ deepLink, demo }: LoginTicket): void {
    this.onThisDevice.hidden = demo === true;
    this.demo.hidden = demo !== true;
    if (demo) {
      this.openTelegram.removeAttribute('href');
      this.deepLink.removeAttribute('href');
      this.deepLink.textContent = '';
      // Quoted: zsh and others would take the `?` of an unquoted link as a glob.
      this.demoCommand.textContent = `npm run simulate -- '${deepLink}'`;
    } else {
      this.openTelegram.href = deepLink;
      this.deepLink.href = deepLink;
      this.deepLink.textContent = deepLink;
      this.demoCommand.textContent = '';
    }
  }

  showScanned(
    firstName: string | undefined,
    matchCode: string | undefined,
  ): void {
    this.root.dataset.state = 'scanned';
    this.qrBox.classList.add('is-scanned');
    const id = `status-confirm${firstName ? '-named' : ''}${matchCode ? '-code' : ''}`;
    this.setStatus(
      this.l10n.t(id, { name: firstName ?? '', code: matchCode ?? '' }),
      'success',
    );
    this.confirmStep.textContent = matchCode
      ? this.l10n.t('step-pick', { code: matchCode })
      : this.l10n.t('step-confirm');
    this.startStep.hidden = true;
    this.confirmStep.hidden = false;
  }

  /** Interaction mode: the login is over, and the browser is on its way back to the site. */
  showContinuing(text: string): void {
    this.root.dataset.state = 'continuing';
    this.qrBox.classList.add('is-scanned');
    this.countdown.hidden = true;
    this.setStatus(text, 'success');
  }

  setCountdown(remainingMs: number, totalMs: number): void {
    const text = this.l10n.t('countdown', {
      time: this.l10n.clock(remainingMs),
    });
    if (this.countdownText.textContent !== text)
      this.countdownText.textContent = text;
    this.countdown.setAttribute(
      'aria-label',
      this.l10n.t('countdown-label', {
        duration: describeRemaining(remainingMs, this.l10n),
      }),
    );
    this.countdown.classList.toggle('is-ending', remainingMs <= 10_000);
    this.countdownBar.value =
      totalMs > 0 ? Math.max(0, Math.min(1, remainingMs / totalMs)) : 0;
  }

  showProblem(
    state: 'denied' | 'expired' | 'error' | 'ended',
    problem: Problem,
    tone: 'warning' | 'error' = 'warning',
  ): void {
    this.show('problem');
    this.root.dataset.state = state;
    this.problemHeading.textContent = problem.title;
    this.problemText.textContent = problem.text;
    this.retry.textContent = problem.action;
    this.setStatus(problem.title, tone);
  }

  /** The session ended while the page showed it (`reason` in words). */
  showSessionEnded(reason: string): void {
    this.showProblem('ended', {
      title: this.l10n.t('session-ended-title'),
      text: reason,
      action: this.l10n.t('log-in-again'),
    });
    // Announced with its reason: the title alone would not say why.
    this.setStatus(this.l10n.t('status-session-ended', { reason }), 'warning');
  }

  showUser(user: TelegramUser): void {
    this.show('user');
    this.root.dataset.state = 'authenticated';
    const name = fullName(user);
    byId('avatar').textContent = initials(user);
    this.userHeading.textContent = name;
    this.fill(
      'user-username-line',
      user.username ? `@${user.username}` : undefined,
    );
    this.fill('user-id', String(user.id));
    this.fill('user-first-name', user.first_name);
    this.fill('user-last-name', user.last_name);
    this.fill('user-username', user.username ? `@${user.username}` : undefined);
    this.setStatus(this.l10n.t('status-logged-in', { name }), 'success');
  }

  setTransport(transport: Transport | 'none'): void {
    this.root.dataset.transport = transport;
    this.transport.textContent =
      transport === 'none' ? '' : this.l10n.t(`transport-${transport}`);
  }

  /** Moves the keyboard and screen reader focus to the new content's heading or action. */
  focus(target: 'login' | 'problem' | 'user'): void {
    const element =
      target === 'login'
        ? byId('login-heading')
        : target === 'problem'
          ? this.retry
          : this.userHeading;
    element.focus({ preventScroll: false });
  }

  private show(section: Section): void {
    for (const [name, element] of Object.entries(this.sections))
      element.hidden = name !== section;
    if (section !== 'login') this.countdown.hidden = true;
  }

  /** A value and its row, hidden when Telegram did not send the field. */
  private fill(id: string, value: string | undefined): void {
    const element = byId(id);
    element.textContent = value ?? '';
    const row = element.closest<HTMLElement>('[data-row]') ?? element;
    row.hidden = value === undefined;
  }
}
