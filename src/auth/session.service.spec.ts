import { describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { SessionService } from './session.service.js';

const ADA = {
  id: 4242,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
};

describe('SessionService', () => {
  const sessions = new SessionService(
    new JwtService({ secret: 'k'.repeat(32), signOptions: { expiresIn: 60 } }),
  );

  it('signs the Telegram id as subject and the user as claims by default', async () => {
    const session = await sessions.verify(await sessions.issue(ADA));
    expect(session?.user).toEqual(ADA);
    expect(session?.claims).toMatchObject({
      sub: '4242',
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada',
    });
    expect(session?.claims).not.toHaveProperty('telegram_id');
  });

  it("uses the policy's subject and claims, keeping the Telegram user readable", async () => {
    const token = await sessions.issue(ADA, {
      subject: 'acct_7',
      claims: { role: 'admin' },
    });
    const session = await sessions.verify(token);
    expect(session?.user).toEqual(ADA);
    expect(session?.claims).toMatchObject({
      sub: 'acct_7',
      telegram_id: 4242,
      role: 'admin',
    });
  });

  it('never lets extra claims override its own or the JWT’s', async () => {
    const token = await sessions.issue(ADA, {
      claims: { sub: 'root', first_name: 'Eve', exp: 1, telegram_id: 1 },
    });
    const session = await sessions.verify(token);
    expect(session?.user).toEqual(ADA);
    expect(session?.claims.sub).toBe('4242');
    expect(session?.claims.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('rejects tokens it did not sign', async () => {
    const other = new SessionService(
      new JwtService({ secret: 'o'.repeat(32) }),
    );
    expect(await sessions.verify(await other.issue(ADA))).toBeUndefined();
    expect(await sessions.verify('not.a.jwt')).toBeUndefined();
  });
});
