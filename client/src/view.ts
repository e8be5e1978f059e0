import type { LoginTicket, TelegramUser } from './contract.js';
import { describeRemaining, fullName, initials } from './format.js';
import type { Localization } from './i18n.js';
import type { Transport } from './login-watcher.js';
import type { Site } from './site.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  return element as T;
}

type Section = 'login' | 'problem' | 'user';

/**
 * A touch screen (a phone, a tablet): Telegram is most likely on this very
 * device, so "Open in Telegram" comes first and the steps speak of tapping.
 * The stylesheet asks the same media query for the order.
 */
const TOUCH = matchMedia('(pointer: coarse)');

/** An avatar: initials at once, the photo over them once (and only if) it has loaded. */
function showAvatar(
  avatar: HTMLElement,
  initialsText: string,
  photoUrl: string | undefined,
): void {
  avatar.querySelector('.avatar-initials')!.textContent = initialsText;
  const photo = avatar.querySelector<HTMLImageElement>('.avatar-photo')!;
  photo.hidden = true;
  photo.onload = () => {
    photo.hidden = false;
  };
  // A 404 (no photo) or any failure leaves the initials.
  photo.onerror = () => {
    photo.hidden = true;
  };
  if (photoUrl) photo.src = photoUrl;
  else photo.removeAttribute('src');
}

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
  private readonly copyLink = byId<HTMLButtonElement>('copy-link');
  private readonly copyResult = byId('copy-result');
  private readonly siteName = byId('site-name');
  private readonly siteLogo = byId<HTMLImageElement>('site-logo');
  private readonly telegramLogo = byId('telegram-logo');
  private readonly scanner = byId('scanner');
  private readonly avatar = byId('avatar');
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
  private readonly openStep = byId('open-step');
  private readonly scanStep = byId('scan-step');
  /** The heading while the page logs in (the logged-in card has its own). */
  private title = '';
  /** The link the current code's "Copy link" copies. */
  private link = '';

  constructor(private readonly l10n: Localization) {
    l10n.translateDocument();
    this.fitDevice();
    TOUCH.addEventListener('change', () => this.fitDevice());
    this.copyLink.addEventListener('click', () => void this.copy());
  }

  /**
   * The head of the page: the site's logo and name, and the heading. In
   * interaction mode the heading itself names the site (the OpenID client);
   * on the page's own login the name (APP_NAME) stands above it.
   */
  showSite(site: Site, interaction: boolean): void {
    this.title = interaction
      ? this.l10n.t('page-title-site', { site: site.name })
      : this.l10n.t('page-title');
    this.siteName.textContent = interaction ? '' : site.name;
    this.siteName.hidden = interaction || !site.name;
    this.setTitle(this.title);
    this.showLogo(site.logoUrl);
  }

  /** Set as a property, never as markup; Telegram's logo stays until the site's has loaded. */
  private showLogo(logoUrl: string | undefined): void {
    if (!logoUrl) return;
    this.siteLogo.onload = () => {
      this.siteLogo.hidden = false;
      this.telegramLogo.setAttribute('hidden', '');
    };
    this.siteLogo.onerror = () => {
      this.siteLogo.hidden = true;
      this.telegramLogo.removeAttribute('hidden');
    };
    this.siteLogo.src = logoUrl;
  }

  private setTitle(text: string): void {
    this.heading.textContent = text;
    document.title = text;
  }

  /** The steps as a person on this device follows them; the order is the stylesheet's. */
  private fitDevice(): void {
    const touch = TOUCH.matches;
    document.body.dataset.device = touch ? 'touch' : 'pointer';
    this.l10n.translate(this.openStep, touch ? 'step-open-touch' : 'step-open');
    this.l10n.translate(this.scanStep, touch ? 'step-scan-touch' : 'step-scan');
  }

  onRetry(handler: () => void): void {
    this.retry.addEventListener('click', handler);
  }

  onLogout(handler: () => void): void {
    this.logoutButton.addEventListener('click', handler);
  }

  /**
   * `spoken`, when given, is what screen readers hear instead of `text`:
   * the number to pick, which the page shows once, big, elsewhere.
   */
  setStatus(
    text: string,
    tone: 'info' | 'success' | 'warning' | 'error' = 'info',
    spoken?: string,
  ): void {
    this.status.dataset.tone = tone;
    if (spoken === undefined) {
      if (this.status.textContent !== text) this.status.textContent = text;
      return;
    }
    const shown = document.createElement('span');
    shown.setAttribute('aria-hidden', 'true');
    shown.textContent = text;
    const heard = document.createElement('span');
    heard.className = 'visually-hidden';
    heard.textContent = spoken;
    this.status.replaceChildren(shown, heard);
  }

  /** The login section without a code yet (first load, a new code on its way). */
  showLoading(text: string): void {
    this.show('login');
    this.root.dataset.state = 'loading';
    this.qrBox.setAttribute('aria-busy', 'true');
    this.qrBox.classList.remove('is-scanned');
    this.scanner.hidden = true;
    this.setTitle(this.title);
    this.setStatus(text);
  }

  /**
   * Too many new codes from this network (429): how long until the page asks
   * again, counted down where the code's own countdown stands, and no spinner.
   */
  showRateLimited(text: string): void {
    this.show('login');
    this.root.dataset.state = 'rate-limited';
    this.qr.removeAttribute('src');
    this.qrBox.setAttribute('aria-busy', 'false');
    this.countdown.hidden = false;
    this.setStatus(text, 'warning');
  }

  setRetryCountdown(remainingMs: number, totalMs: number): void {
    this.showTimer(
      this.l10n.t('retry-countdown', { time: this.l10n.clock(remainingMs) }),
      this.l10n.t('retry-countdown-label', {
        duration: describeRemaining(remainingMs, this.l10n),
      }),
      remainingMs,
      totalMs,
    );
  }

  showTicket(ticket: LoginTicket): void {
    this.show('login');
    this.root.dataset.state = 'pending';
    this.qr.src = ticket.qr;
    this.qrBox.setAttribute('aria-busy', 'false');
    this.qrBox.classList.remove('is-scanned');
    this.showDeepLink(ticket);
    // Before the scan the number means nothing yet: step 3 says one will come.
    const codeMode = ticket.matchCode !== undefined;
    this.match.hidden = true;
    this.matchCode.textContent = ticket.matchCode ?? '';
    this.l10n.translate(
      this.startStep,
      codeMode ? 'step-start-code' : 'step-start',
    );
    this.countdown.hidden = false;
    this.startStep.hidden = false;
    this.confirmStep.hidden = true;
    this.scanner.hidden = true;
    this.copyResult.textContent = '';
    this.setOpenTelegramMain(true);
  }

  /** "Open in Telegram" is the main action until the code is scanned; then Telegram is where the person is. */
  private setOpenTelegramMain(main: boolean): void {
    this.openTelegram.classList.toggle('button-primary', main);
    this.openTelegram.classList.toggle('button-secondary', !main);
  }

  /** Copies the current login link; says whether it worked, next to the button. */
  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.link);
      this.copyResult.textContent = this.l10n.t('link-copied');
    } catch {
      this.copyResult.textContent = this.l10n.t('copy-failed');
    }
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
      this.link = '';
      // Quoted: zsh and others would take the `?` of an unquoted link as a glob.
      this.demoCommand.textContent = `npm run simulate -- '${deepLink}'`;
    } else {
      this.openTelegram.href = deepLink;
      this.link = deepLink;
      this.demoCommand.textContent = '';
    }
  }

  /**
   * Who scanned, with their photo (or initials), and what is left to do: a
   * step still to take, so not in success green. The number to pick is shown
   * once, big; the status only speaks it to screen readers.
   */
  showScanned(
    firstName: string | undefined,
    matchCode: string | undefined,
    photoUrl: string | undefined,
  ): void {
    this.root.dataset.state = 'scanned';
    this.qrBox.classList.add('is-scanned');
    const id = `status-confirm${firstName ? '-named' : ''}`;
    const args = { name: firstName ?? '', code: matchCode ?? '' };
    this.setStatus(
      this.l10n.t(id, args),
      'info',
      matchCode ? this.l10n.t(`${id}-code`, args) : undefined,
    );
    if (firstName) {
      this.scanner.hidden = false;
      showAvatar(
        this.scanner,
        initials({ id: 0, first_name: firstName }),
        photoUrl,
      );
    }
    this.match.hidden = !matchCode;
    this.confirmStep.textContent = this.l10n.t(
      matchCode ? 'step-pick' : 'step-confirm',
    );
    this.startStep.hidden = true;
    this.confirmStep.hidden = false;
    this.setOpenTelegramMain(false);
  }

  /** Interaction mode: the login is over, and the browser is on its way back to the site. */
  showContinuing(text: string): void {
    this.root.dataset.state = 'continuing';
    this.qrBox.classList.add('is-scanned');
    this.countdown.hidden = true;
    this.setStatus(text, 'success');
  }

  setCountdown(remainingMs: number, totalMs: number): void {
    this.showTimer(
      this.l10n.t('countdown', { time: this.l10n.clock(remainingMs) }),
      this.l10n.t('countdown-label', {
        duration: describeRemaining(remainingMs, this.l10n),
      }),
      remainingMs,
      totalMs,
    );
    this.countdown.classList.toggle('is-ending', remainingMs <= 10_000);
  }

  private showTimer(
    text: string,
    label: string,
    remainingMs: number,
    totalMs: number,
  ): void {
    if (this.countdownText.textContent !== text)
      this.countdownText.textContent = text;
    this.countdown.setAttribute('aria-label', label);
    this.countdown.classList.remove('is-ending');
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
    this.setTitle(this.title);
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

  /** The logged-in card: "Logged in", then who, each fact once. */
  showUser(user: TelegramUser, photoUrl?: string): void {
    this.show('user');
    this.root.dataset.state = 'authenticated';
    this.setTitle(this.l10n.t('page-title-logged-in'));
    const name = fullName(user);
    showAvatar(this.avatar, initials(user), photoUrl);
    this.userHeading.textContent = name;
    this.fill(
      'user-username-line',
      user.username ? `@${user.username}` : undefined,
    );
    this.fill('user-id', String(user.id));
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
    if (section !== 'login') {
      this.countdown.hidden = true;
      this.scanner.hidden = true;
    }
  }

  /** A value and its row, hidden when Telegram did not send the field. */
  private fill(id: string, value: string | undefined): void {
    const element = byId(id);
    element.textContent = value ?? '';
    const row = element.closest<HTMLElement>('[data-row]') ?? element;
    row.hidden = value === undefined;
  }
}
