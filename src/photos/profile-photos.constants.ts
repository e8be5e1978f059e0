/** Where a photo is served, under the module's route prefix: `GET /auth/photos/:ticket`. */
export const PROFILE_PHOTOS_PATH = 'auth/photos';

/**
 * The `typ` of a photo ticket. The tickets are signed with the access tokens' keys: their own
 * `typ` keeps a ticket from passing for an access token (at `/auth/me`, a host's guard) and an
 * access token from passing for a ticket.
 */
export const PHOTO_TICKET_TYPE = 'photo+jwt';

/** How long the page's photo URL works: the page shows it within minutes of being told it. */
export const PAGE_PHOTO_TTL_SECONDS = 3600;

/**
 * How long the OpenID `picture` claim's URL works: a site may keep the ID token's claims for its
 * own session and show the picture later; each new ID token and userinfo answer carries a fresh one.
 */
export const OIDC_PICTURE_TTL_SECONDS = 24 * 3600;

/** The longest a browser may keep a photo (`Cache-Control: private, max-age`), however long its ticket works. */
export const PHOTO_MAX_AGE_SECONDS = 3600;

/**
 * The same ticket is handed out again while this share of its lifetime is left, so that the
 * `scanned` status, each poll and the result name one URL (the browser loads the photo once)
 * rather than a new signature each time.
 */
export const TICKET_REUSE_SHARE = 0.9;

/** Tickets kept for reuse per instance; past this, the oldest are forgotten first. */
export const TICKET_REUSE_CACHE_SIZE = 1_000;

/**
 * Longest a photo request waits for Telegram (getUserProfilePhotos, getFile and the download,
 * together): the image then fails (504) and the page shows initials instead. The login never
 * waits for it.
 */
export const PHOTO_FETCH_TIMEOUT_MS = 5_000;

/** The largest photo downloaded. Telegram's 320 px profile photos weigh some 20–40 KB. */
export const PHOTO_MAX_BYTES = 512 * 1024;

/**
 * The size picked from those Telegram offers (160, 320, 640 px...): the largest side within
 * this range, which a 2x screen shows sharp at an avatar's 80–160 CSS pixels.
 */
export const PHOTO_SIDE_PX = { min: 160, max: 320 } as const;

/** How long a fetched photo (or the news that there is none) is kept per instance: a page's reloads do not ask Telegram again. */
export const PHOTO_CACHE_TTL_MS = 5 * 60_000;

/** Bytes of photos kept per instance; past this, the least recently used are forgotten first. */
export const PHOTO_CACHE_MAX_BYTES = 16 * 1024 * 1024;
