import {
  Controller,
  Get,
  Header,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type Provider from 'oidc-provider';
import type { errors as OidcErrors } from 'oidc-provider';
import type { CreateTokenResponseDto } from '../auth/dto/create-token-response.dto.js';
import type { Login } from '../auth/interfaces/index.js';
import { LoginTokenService } from '../auth/login-token.service.js';
import { LoginService } from '../auth/login.service.js';
import { RequestBodyException, smallBody } from '../http/request-body.js';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { SessionService } from '../sessions/session.service.js';
import { siteName } from '../telegram/bot-messages.js';
import { OIDC_SETTINGS, ROUTE_PREFIX } from '../telegram-qr-auth.constants.js';
import { escapeHtml } from './html.js';
import { OidcAccountStore, oidcAccountFrom } from './oidc-account.store.js';
import { formTargets } from './oidc-mount.js';
import { OidcProviderService } from './oidc-provider.service.js';
import { OidcSessionsService } from './oidc-sessions.service.js';
import {
  OIDC_INTERACTION_PATH,
  OIDC_SESSION_RESULT,
} from './oidc.constants.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The bundled login page, beside `src/` or `dist/` alike (as the module serves it at `/`). */
const LOGIN_PAGE = fileURLToPath(
  new URL('../../client/public/index.html', import.meta.url),
);

/** The complete endpoint's form: a token and a secret, some 100 bytes. */
const COMPLETE_FORM_LIMIT = 1024;

const UNKNOWN_INTERACTION = 'Unknown login request';

/**
 * Where an authorization request sends the browser for the person to log in
 * (the provider's `interactions.url`): our login page, in interaction mode.
 *
 * - `GET :uid`: a login is needed (no provider session, `prompt=login`,
 *   `max_age` past): the page, headed with the client's name. Only consent is
 *   missing (single sign-on for another client, `prompt=consent`): configured
 *   clients are consented to automatically, and the browser goes straight on.
 * - `POST :uid/token`: a login (QR code) for this interaction, as `POST /auth/token`.
 * - `POST :uid/complete` (a form of `token` and `secret`, sent by the page
 *   once the login is over): finishes the interaction, with the person's
 *   account and a grant, or with `access_denied`.
 *
 * Every step reads the interaction from its cookie (oidc-provider's
 * `interactionDetails`), so only the browser the authorization started in
 * gets anywhere; and the result of a login needs its secret as well.
 */
@ApiExcludeController()
@Controller(OIDC_INTERACTION_PATH)
export class OidcInteractionController {
  private page?: Promise<string>;

  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    @Inject(ROUTE_PREFIX) private readonly routePrefix: string,
    private readonly oidcProvider: OidcProviderService,
    private readonly accounts: OidcAccountStore,
    private readonly logins: LoginService,
    private readonly tokens: LoginTokenService,
    private readonly sessions: SessionService,
    private readonly oidcSessions: OidcSessionsService,
  ) {}

  @Get(':uid')
  async show(
    @Param('uid') uid: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const provider = await this.provider();
    const interaction = await this.interactionOf(
      provider,
      uid,
      request,
      response,
    );
    if (!interaction)
      return this.problem(response, 404, {
        title: 'This login request has ended',
        text: 'It was finished already, or waited too long, or was opened in another browser. Go back to the site you came from and log in again.',
      });
    if (interaction.prompt.name === 'consent' && interaction.session)
      return this.singleSignOn(provider, interaction, request, response);
    if (interaction.prompt.name !== 'login')
      return this.problem(response, 400, {
        title: 'This login request cannot go on',
        text: 'Go back to the site you came from and log in again.',
      });
    const clientName = await this.clientNameOf(provider, interaction);
    const logo = await this.clientLogoOf(provider, interaction);
    response.status(200).type('html').setHeader('Cache-Control', 'no-store');
    this.allowOnThisPage(response, logo);
    response.send(await this.loginPage(uid, clientName, logo));
  }

  @Post(':uid/token')
  @RateLimit('tokenCreations')
  @Header('Cache-Control', 'no-store')
  async createToken(
    @Param('uid') uid: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreateTokenResponseDto> {
    const provider = await this.provider();
    const interaction = await this.interactionOf(
      provider,
      uid,
      request,
      response,
    );
    if (interaction?.prompt.name !== 'login')
      throw new NotFoundException(UNKNOWN_INTERACTION);
    return this.tokens.issue(
      { userAgent: request.headers['user-agent'], ip: request.ip },
      {
        interactionUid: uid,
        clientId: String(interaction.params.client_id),
        clientName: await this.clientNameOf(provider, interaction),
      },
    );
  }

  @Post(':uid/complete')
  async complete(
    @Param('uid') uid: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const provider = await this.provider();
    const form = await this.formOf(request);
    const login = await this.logins.authorize(
      form.get('token') ?? undefined,
      form.get('secret') ?? undefined,
    );
    const interaction = await this.interactionOf(
      provider,
      uid,
      request,
      response,
    );
    if (
      !login?.oidc ||
      !interaction ||
      login.oidc.interactionUid !== uid ||
      login.oidc.clientId !== String(interaction.params.client_id) ||
      interaction.prompt.name !== 'login'
    )
      return this.problem(response, 404, {
        title: 'This login cannot be completed here',
        text: 'The login request has ended, or was opened in another browser. Go back to the site you came from and log in again.',
      });
    if (login.status === 'denied')
      return provider.interactionFinished(
        request,
        response,
        {
          error: 'access_denied',
          error_description: login.user
            ? 'the login was denied in Telegram or is not allowed for this Telegram account'
            : 'the login was denied',
        },
        { mergeWithLastSubmission: false },
      );
    const taken =
      login.status === 'authenticated'
        ? await this.logins.takeResult(login.token)
        : undefined;
    if (!taken?.user)
      return this.problem(response, 409, {
        title: 'Not logged in yet',
        text: 'This QR code has not been used to log in (or its login was completed already). Go back and scan the QR code.',
      });
    return this.finishLogin(provider, interaction, taken, request, response);
  }

  /**
   * The login of the session `login.sid` (started by the scan) finishes the
   * interaction, with a new grant that lasts as long as that session; the
   * result names the session, for the provider's `authorization.success`
   * to link it (OidcSessionsService) once the browser session is known.
   */
  private async finishLogin(
    provider: Provider,
    interaction: Interaction,
    login: Login,
    request: Request,
    response: Response,
  ): Promise<void> {
    const session = login.sid ? await this.sessions.find(login.sid) : undefined;
    if (!session)
      return this.problem(response, 409, {
        title: 'This login has ended',
        text: 'It was ended (in Telegram, say) before the site heard of it. Go back to the site you came from and log in again.',
      });
    const account = oidcAccountFrom(login.user!, login.grant?.subject);
    await this.accounts.save(account);
    const grantId = await this.grantFor(
      provider,
      interaction,
      account.accountId,
      session.expiresAt,
      { extend: false },
    );
    await provider.interactionFinished(
      request,
      response,
      {
        login: { accountId: account.accountId },
        consent: { grantId },
        [OIDC_SESSION_RESULT]: { sid: session.sid },
      },
      { mergeWithLastSubmission: false },
    );
  }

  /**
   * The browser logged in before (the provider's session), and only consent
   * is missing: another site, or more scopes. No scan: the site gets its
   * session from that login (OidcSessionsService.sessionForSingleSignOn),
   * or, when none of that browser's sessions goes on, an error to log in.
   */
  private async singleSignOn(
    provider: Provider,
    interaction: Interaction,
    request: Request,
    response: Response,
  ): Promise<void> {
    const browser = interaction.session!;
    const clientId = String(interaction.params.client_id);
    const session = await this.oidcSessions.sessionForSingleSignOn(
      browser,
      { clientId, name: await this.clientNameOf(provider, interaction) },
      { userAgent: request.headers['user-agent'], ip: request.ip },
    );
    if (!session)
      return provider.interactionFinished(
        request,
        response,
        {
          error: 'login_required',
          error_description: 'the login of this browser has ended',
        },
        { mergeWithLastSubmission: false },
      );
    const grantId = await this.grantFor(
      provider,
      interaction,
      browser.accountId,
      session.expiresAt,
      { extend: true },
    );
    return provider.interactionFinished(
      request,
      response,
      { consent: { grantId }, [OIDC_SESSION_RESULT]: { sid: session.sid } },
      { mergeWithLastSubmission: true },
    );
  }

  /**
   * The consent policy: a configured client gets what it asked for, without a
   * question (the service's operator configured it, and the person chose to
   * log in to it). With `extend`, the interaction's grant, if any and still
   * this person's for this client, is extended; otherwise a new one is made,
   * ending with the session (`expiresAt`) and so taking its refresh tokens along.
   */
  private async grantFor(
    provider: Provider,
    interaction: Interaction,
    accountId: string,
    expiresAt: number,
    { extend }: { extend: boolean },
  ): Promise<string> {
    const clientId = String(interaction.params.client_id);
    let grant =
      extend && interaction.grantId
        ? await provider.Grant.find(interaction.grantId)
        : undefined;
    if (grant?.accountId !== accountId || grant.clientId !== clientId)
      // BaseToken's `expiresIn` (seconds) wins over ttl.Grant; the typings leave it out.
      grant = Object.assign(new provider.Grant({ accountId, clientId }), {
        expiresIn: Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000)),
      });
    const { scope } = interaction.params;
    grant.addOIDCScope(typeof scope === 'string' ? scope : 'openid');
    const { missingOIDCClaims } = interaction.prompt.details as {
      missingOIDCClaims?: string[];
    };
    if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims);
    return grant.save();
  }

  /**
   * The interaction of this browser (its cookie), if it is the one in the
   * path; undefined for an unknown, ended or expired one and for a browser
   * without the cookie.
   */
  private async interactionOf(
    provider: Provider,
    uid: string,
    request: Request,
    response: Response,
  ): Promise<Interaction | undefined> {
    try {
      const interaction = await provider.interactionDetails(request, response);
      return interaction.uid === uid ? interaction : undefined;
    } catch (error) {
      if ((error as OidcErrors.OIDCProviderError).name === 'SessionNotFound')
        return undefined;
      throw error;
    }
  }

  private async clientNameOf(
    provider: Provider,
    interaction: Interaction,
  ): Promise<string> {
    const client = await provider.Client.find(
      String(interaction.params.client_id),
    );
    return siteName(client?.clientName || String(interaction.params.client_id));
  }

  /** The client's `logo_uri`, when it is an http(s) URL (it goes into the page and its CSP). */
  private async clientLogoOf(
    provider: Provider,
    interaction: Interaction,
  ): Promise<string | undefined> {
    const client = await provider.Client.find(
      String(interaction.params.client_id),
    );
    const logo: unknown = client?.logoUri;
    if (typeof logo !== 'string') return undefined;
    try {
      const url = new URL(logo);
      return url.protocol === 'https:' || url.protocol === 'http:'
        ? url.href
        : undefined;
    } catch {
      return undefined;
    }
  }

  private provider(): Promise<Provider> {
    if (!this.settings.enabled) throw new NotFoundException();
    return this.oidcProvider.get();
  }

  /** The form the page posts; a host app's body parser may have read it already. */
  private async formOf(request: Request): Promise<URLSearchParams> {
    const parsed = request.body as unknown;
    if (parsed && typeof parsed === 'object' && !Buffer.isBuffer(parsed))
      return new URLSearchParams(
        Object.entries(parsed).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
    if (!request.is('application/x-www-form-urlencoded'))
      return new URLSearchParams();
    try {
      return new URLSearchParams(
        (await smallBody(request, COMPLETE_FORM_LIMIT)).toString('utf8'),
      );
    } catch (error) {
      if (error instanceof RequestBodyException) return new URLSearchParams();
      throw error;
    }
  }

  /**
   * The login page as `/` serves it, made the interaction's: its relative
   * URLs resolved from the page's own folder (`<base>`), the client's name
   * in the heading, and the interaction for the script in data attributes
   * (nothing inline: the CSP allows no inline script).
   */
  private async loginPage(
    uid: string,
    clientName: string,
    logo: string | undefined,
  ): Promise<string> {
    this.page ??= readFile(LOGIN_PAGE, 'utf8');
    const heading = escapeHtml(`Log in to ${clientName} with Telegram`);
    const base = this.routePrefix ? `/${this.routePrefix}/` : '/';
    return (await this.page)
      .replace('<head>', `<head>\n    <base href="${escapeHtml(base)}" />`)
      .replace(
        '<title>Log in with Telegram</title>',
        `<title>${heading}</title>`,
      )
      .replace(
        '<h1 id="title">Log in with Telegram</h1>',
        `<h1 id="title">${heading}</h1>`,
      )
      .replace(
        '<body data-state="loading"',
        `<body data-interaction="${escapeHtml(uid)}" data-client-name="${escapeHtml(clientName)}"${logo ? ` data-client-logo="${escapeHtml(logo)}"` : ''} data-state="loading"`,
      );
  }

  /**
   * The page ends with a form POST whose answer redirects to the client's
   * redirect URI; browsers check `form-action` against every redirect of a
   * form's navigation, so the policy must name the clients' origins too.
   * The client's logo is one more image source, on its login page only.
   */
  private allowOnThisPage(response: Response, logo: string | undefined): void {
    widenPolicy(response, 'form-action', formTargets(this.settings));
    if (logo) widenPolicy(response, 'img-src', [new URL(logo).origin]);
  }

  /** A page a person can read: what happened and what to do, never a stack. */
  private problem(
    response: Response,
    status: number,
    { title, text }: { title: string; text: string },
  ): void {
    const home = this.routePrefix ? `/${this.routePrefix}/` : '/';
    response
      .status(status)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .send(
        `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
<p><a href="${escapeHtml(home)}">Log in with Telegram on this service</a></p>
</main>
</body>
</html>
`,
      );
  }
}

/** Adds sources to one directive of the response's policy, when it has one. */
function widenPolicy(
  response: Response,
  directive: 'form-action' | 'img-src',
  sources: string[],
): void {
  const policy = response.getHeader('Content-Security-Policy');
  const present = new RegExp(`${directive} ([^;]*)`);
  if (typeof policy !== 'string' || !present.test(policy)) return;
  response.setHeader(
    'Content-Security-Policy',
    policy.replace(
      present,
      (_all, existing: string) =>
        `${directive} ${existing} ${sources.join(' ')}`,
    ),
  );
}
