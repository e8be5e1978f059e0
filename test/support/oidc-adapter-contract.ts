import { expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { AdapterFactory, AdapterPayload } from 'oidc-provider';

const id = () => randomBytes(12).toString('base64url');
const HOUR = 3600;

/** A code as oidc-provider stores it: a payload with its grant. */
function code(grantId: string): AdapterPayload {
  return {
    kind: 'AuthorizationCode',
    jti: id(),
    grantId,
    clientId: 'shop',
    accountId: '4242',
    exp: Math.floor(Date.now() / 1000) + 60,
  };
}

/** The error oidc-provider answers a token request with: `invalid_grant`. */
const INVALID_GRANT = expect.objectContaining({ error: 'invalid_grant' });

/**
 * What the storage behind oidc-provider must do, memory and Redis alike.
 * `factories(n)` gives n factories over the same storage, as n instances
 * (or one, for memory) see it.
 */
export function itBehavesLikeAnOidcAdapter(
  factories: (count: number) => AdapterFactory[],
): void {
  it('keeps what is upserted, per model, and finds nothing it was not given', async () => {
    const [adapters] = factories(1);
    const payload = code(id());
    await adapters('AuthorizationCode').upsert(payload.jti!, payload, 60);
    await expect(
      adapters('AuthorizationCode').find(payload.jti!),
    ).resolves.toEqual(payload);
    await expect(adapters('RefreshToken').find(payload.jti!)).resolves.toBe(
      undefined,
    );
    await expect(adapters('AuthorizationCode').find(id())).resolves.toBe(
      undefined,
    );
  });

  it('finds a session by its uid, and no longer once it is destroyed', async () => {
    const [adapters] = factories(1);
    const sessionId = id();
    const uid = id();
    const session = { kind: 'Session', jti: sessionId, uid, accountId: '1' };
    await adapters('Session').upsert(sessionId, session, HOUR);
    await expect(adapters('Session').findByUid(uid)).resolves.toEqual(session);
    await adapters('Session').destroy(sessionId);
    await expect(adapters('Session').findByUid(uid)).resolves.toBe(undefined);
    await expect(adapters('Session').find(sessionId)).resolves.toBe(undefined);
  });

  it('consumes once: the record says so, and a second redemption is invalid_grant and revokes the grant', async () => {
    const [adapters] = factories(1);
    const grantId = id();
    const payload = code(grantId);
    const token = { kind: 'AccessToken', jti: id(), grantId };
    await adapters('Grant').upsert(
      grantId,
      { kind: 'Grant', jti: grantId },
      HOUR,
    );
    await adapters('AuthorizationCode').upsert(payload.jti!, payload, 60);
    await adapters('AccessToken').upsert(token.jti, token, HOUR);

    await adapters('AuthorizationCode').consume(payload.jti!);
    const consumed = await adapters('AuthorizationCode').find(payload.jti!);
    expect(consumed?.consumed).toEqual(expect.any(Number));

    await expect(
      adapters('AuthorizationCode').consume(payload.jti!),
    ).rejects.toEqual(INVALID_GRANT);
    await expect(adapters('AccessToken').find(token.jti)).resolves.toBe(
      undefined,
    );
    await expect(adapters('Grant').find(grantId)).resolves.toBe(undefined);
  });

  it('refuses to consume what is not there', async () => {
    const [adapters] = factories(1);
    await expect(adapters('RefreshToken').consume(id())).rejects.toEqual(
      INVALID_GRANT,
    );
  });

  it('lets exactly one of several simultaneous redemptions through', async () => {
    const all = factories(8);
    const payload = code(id());
    await all[0]('AuthorizationCode').upsert(payload.jti!, payload, 60);
    // Every instance has found the code unconsumed, as oidc-provider does before it consumes.
    const found = await Promise.all(
      all.map((adapters) => adapters('AuthorizationCode').find(payload.jti!)),
    );
    expect(found.every((record) => record && !record.consumed)).toBe(true);
    const outcomes = await Promise.allSettled(
      all.map((adapters) =>
        adapters('AuthorizationCode').consume(payload.jti!),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected'))
      expect(outcome.reason).toEqual(INVALID_GRANT);
  });

  it('keeps a consumed record consumed when an older copy of it is saved again', async () => {
    const [adapters] = factories(1);
    const payload = code(id());
    await adapters('RefreshToken').upsert(payload.jti!, payload, 60);
    await adapters('RefreshToken').consume(payload.jti!);
    await adapters('RefreshToken').upsert(payload.jti!, payload, 60);
    await expect(
      adapters('RefreshToken').consume(payload.jti!),
    ).rejects.toEqual(INVALID_GRANT);
  });

  it("revokes every record of a grant, whatever the model, from any model's adapter, and nothing else", async () => {
    const [adapters] = factories(1);
    const grantId = id();
    const other = id();
    const records = [
      ['AuthorizationCode', code(grantId)],
      ['AccessToken', { kind: 'AccessToken', jti: id(), grantId }],
      ['RefreshToken', { kind: 'RefreshToken', jti: id(), grantId }],
    ] as const;
    const kept = { kind: 'AccessToken', jti: id(), grantId: other };
    for (const [model, payload] of records)
      await adapters(model).upsert(payload.jti!, payload, HOUR);
    await adapters('AccessToken').upsert(kept.jti, kept, HOUR);

    await adapters('RefreshToken').revokeByGrantId(grantId);

    for (const [model, payload] of records)
      await expect(adapters(model).find(payload.jti!)).resolves.toBe(undefined);
    await expect(adapters('AccessToken').find(kept.jti)).resolves.toEqual(kept);
  });

  it('destroys one record and leaves the rest of its grant', async () => {
    const [adapters] = factories(1);
    const grantId = id();
    const first = { kind: 'AccessToken', jti: id(), grantId };
    const second = { kind: 'AccessToken', jti: id(), grantId };
    await adapters('AccessToken').upsert(first.jti, first, HOUR);
    await adapters('AccessToken').upsert(second.jti, second, HOUR);
    await adapters('AccessToken').destroy(first.jti);
    await expect(adapters('AccessToken').find(first.jti)).resolves.toBe(
      undefined,
    );
    await expect(adapters('AccessToken').find(second.jti)).resolves.toEqual(
      second,
    );
  });
}
