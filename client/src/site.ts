/** The site the page logs in to, as the head of the page names it. */
export interface Site {
  name: string;
  /** An http(s) URL; none without APP_LOGO_URL (or the client's `logo_uri`). */
  logoUrl?: string;
}

/** Only http(s) logos: a `javascript:` or other URL is dropped, never set on the page. */
function httpUrlOrUndefined(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol, href } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The page's own login: `GET page/site` (APP_NAME, APP_LOGO_URL). Without
 * an answer the page still works, headed as Telegram's login.
 */
export async function loadSite(): Promise<Site> {
  try {
    const response = await fetch(new URL('../page/site', import.meta.url), {
      credentials: 'same-origin',
    });
    if (!response.ok) return { name: '' };
    const body = (await response.json()) as Partial<Site>;
    return {
      name: typeof body.name === 'string' ? body.name : '',
      logoUrl: httpUrlOrUndefined(body.logoUrl),
    };
  } catch {
    return { name: '' };
  }
}

/** An OpenID client's login: its name and logo, put on <body> by the server. */
export function siteOfInteraction(name: string, logo?: string): Site {
  return { name, logoUrl: httpUrlOrUndefined(logo) };
}
