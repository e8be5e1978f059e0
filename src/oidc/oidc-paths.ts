import { OIDC_INTERACTION_PATH } from './oidc.constants.js';

/** The path of our page for an authorization's interaction, under the module's route prefix. */
export function oidcInteractionPath(routePrefix: string, uid: string): string {
  const prefix = routePrefix ? `/${routePrefix}` : '';
  return `${prefix}/${OIDC_INTERACTION_PATH}/${encodeURIComponent(uid)}`;
}

/** Where the page sends the browser (a form POST of token and secret) once its login is over. */
export function oidcCompletePath(routePrefix: string, uid: string): string {
  return `${oidcInteractionPath(routePrefix, uid)}/complete`;
}
