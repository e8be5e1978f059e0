import { describe, expect, it } from '@jest/globals';
import { clientProblems, isLoopbackHost } from './oidc-clients.js';

const SECRET = 'a-confidential-client-secret-0123456789';
const SHOP = {
  client_id: 'shop',
  client_secret: SECRET,
  redirect_uris: ['https://shop.example/callback'],
};
const STRICT = { allowHttpRedirectUris: false };

const problems = (clients: unknown, rules = STRICT) =>
  clientProblems(clients, rules);

describe('clientProblems', () => {
  it('accepts a confidential client, a public one and a loopback redirect', () => {
    expect(
      problems([
        {
          ...SHOP,
          client_name: 'Example Shop',
          post_logout_redirect_uris: ['https://shop.example/'],
          grant_types: ['authorization_code', 'refresh_token'],
          id_token_signed_response_alg: 'ES256',
        },
        {
          client_id: 'spa',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://127.0.0.1:5173/cb', 'http://localhost/cb'],
        },
        { ...SHOP, client_id: 'cli', redirect_uris: ['http://[::1]:8080/cb'] },
      ]),
    ).toEqual([]);
  });

  it('names the client and the field of a redirect URI with a fragment', () => {
    expect(
      problems([{ ...SHOP, redirect_uris: ['https://shop.example/cb#top'] }]),
    ).toEqual([
      'client "shop": redirect_uris[0] ("https://shop.example/cb#top") must not have a fragment (RFC 6749 §3.1.2)',
    ]);
    // An empty fragment too, which URL would drop.
    expect(
      problems([
        { ...SHOP, post_logout_redirect_uris: ['https://shop.example/#'] },
      ]),
    ).toEqual([
      expect.stringMatching(
        /^client "shop": post_logout_redirect_uris\[0\] .* must not have a fragment/,
      ),
    ]);
  });

  it('refuses http: other than loopback unless told to allow it (development)', () => {
    const plain = [{ ...SHOP, redirect_uris: ['http://shop.example/cb'] }];
    expect(problems(plain)).toEqual([
      expect.stringMatching(
        /^client "shop": redirect_uris\[0\] \("http:\/\/shop\.example\/cb"\) must use https:/,
      ),
    ]);
    expect(problems(plain, { allowHttpRedirectUris: true })).toEqual([]);
  });

  it("takes a back-channel logout URI under the redirect URIs' rules", () => {
    expect(
      problems([
        {
          ...SHOP,
          backchannel_logout_uri: 'https://shop.example/backchannel-logout',
          backchannel_logout_session_required: true,
        },
        {
          ...SHOP,
          client_id: 'local',
          backchannel_logout_uri: 'http://127.0.0.1:3000/logout',
        },
      ]),
    ).toEqual([]);
    const plain = [
      { ...SHOP, backchannel_logout_uri: 'http://shop.example/logout' },
    ];
    expect(problems(plain)).toEqual([
      'client "shop": "backchannel_logout_uri" ("http://shop.example/logout") must use https: (http: only for localhost, 127.0.0.1 or [::1]): a logout token sent over plain HTTP can be read on the way',
    ]);
    expect(problems(plain, { allowHttpRedirectUris: true })).toEqual([]);
  });

  it.each([
    [
      { backchannel_logout_uri: ['https://shop.example/logout'] },
      'must be a URL',
    ],
    [{ backchannel_logout_uri: 'logout' }, 'is not an absolute URL'],
    [
      { backchannel_logout_uri: 'ftp://shop.example/logout' },
      'must use https:',
    ],
    [
      { backchannel_logout_uri: 'https://shop.example/logout#x' },
      'must not have a fragment',
    ],
    [
      {
        backchannel_logout_uri: 'https://shop.example/logout',
        backchannel_logout_session_required: 'yes',
      },
      '"backchannel_logout_session_required" must be true or false',
    ],
    [
      { backchannel_logout_session_required: true },
      'needs a "backchannel_logout_uri"',
    ],
  ])('refuses the back-channel logout metadata %j', (change, problem) => {
    const found = problems([{ ...SHOP, ...change }]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^client "shop": /);
    expect(found[0]).toContain(problem);
  });

  it('refuses a duplicate client_id, naming both entries', () => {
    expect(problems([SHOP, { ...SHOP }])).toEqual([
      'client "shop": duplicate "client_id" (clients[0] and clients[1])',
    ]);
  });

  it('needs a long secret for a confidential client and none for a public one', () => {
    expect(problems([{ ...SHOP, client_secret: undefined }])).toEqual([
      expect.stringContaining('client "shop": "client_secret" is required'),
    ]);
    expect(problems([{ ...SHOP, client_secret: 'short' }])).toEqual([
      'client "shop": "client_secret" must be a string of at least 32 characters',
    ]);
    expect(problems([{ ...SHOP, token_endpoint_auth_method: 'none' }])).toEqual(
      [
        expect.stringContaining(
          'client "shop": "client_secret" must not be set with token_endpoint_auth_method "none"',
        ),
      ],
    );
  });

  it('names entries without a usable client_id by their place', () => {
    expect(
      problems([{ redirect_uris: [] }, 'shop', { client_id: 'a b' }]),
    ).toEqual([
      'clients[0]: "client_id" must be 1-255 printable characters without spaces',
      'clients[1] must be an object',
      'clients[2]: "client_id" must be 1-255 printable characters without spaces',
    ]);
    expect(problems({ client_id: 'shop' })).toEqual([
      'must be an array of clients',
    ]);
  });

  it.each([
    [{ redirect_uris: undefined }, '"redirect_uris" is required'],
    [{ redirect_uris: [] }, '"redirect_uris" must be a list of URLs'],
    [{ redirect_uris: ['/callback'] }, 'is not an absolute URL'],
    [{ grant_types: ['implicit'] }, '"grant_types" must be a list of'],
    [{ grant_types: ['refresh_token'] }, 'must include authorization_code'],
    [
      { response_types: ['code id_token'] },
      '"response_types" must be ["code"]',
    ],
    [
      { token_endpoint_auth_method: 'private_key_jwt' },
      '"token_endpoint_auth_method" must be one of',
    ],
    [{ client_name: '' }, '"client_name" must be a non-empty string'],
  ])('refuses %j', (change, problem) => {
    expect(problems([{ ...SHOP, ...change }])).toEqual([
      expect.stringContaining(`client "shop": `),
    ]);
    expect(problems([{ ...SHOP, ...change }])[0]).toContain(problem);
  });

  it('never quotes a client secret', () => {
    const secret = 'a-secret-that-must-stay-out-of-every-log-line';
    const text = problems([
      { ...SHOP, client_secret: secret, redirect_uris: ['http://x.example/#'] },
      { ...SHOP, client_secret: secret },
    ]).join('\n');
    expect(text).not.toContain(secret);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['localhost.example', false],
    ['10.0.0.1', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
