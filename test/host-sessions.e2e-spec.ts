import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Controller,
  Get,
  HttpCode,
  Injectable,
  Module,
  Param,
  ParseIntPipe,
  Post,
  Req,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  type AuthenticatedRequest,
  type EndedSession,
  JwtAuthGuard,
  SESSION_EVENTS,
  type SessionInfo,
  SessionService,
  TelegramQrAuthModule,
} from '../src/index.js';
import { me } from './support/http.js';
import { logIn, refresh, withBearer } from './support/sessions.js';
import { newUser } from './support/telegram-updates.js';

/** What a host hears of sessions, through its own EventEmitter2. */
@Injectable()
class SessionAudit {
  static readonly created: SessionInfo[] = [];
  static readonly ended: EndedSession[] = [];

  @OnEvent(SESSION_EVENTS.created)
  onCreated(session: SessionInfo): void {
    SessionAudit.created.push(session);
  }

  @OnEvent(SESSION_EVENTS.ended)
  onEnded(ended: EndedSession): void {
    SessionAudit.ended.push(ended);
  }
}

/** A host's own routes: one guarded by the module's guard, and the ban that ends every session of a user. */
@Controller()
class HostController {
  constructor(private readonly sessions: SessionService) {}

  @Get('orders')
  @UseGuards(JwtAuthGuard)
  orders(@Req() request: AuthenticatedRequest) {
    return { owner: request.user.id, sid: request.session.sid };
  }

  @Post('admin/ban/:telegramId')
  @HttpCode(200)
  async ban(@Param('telegramId', ParseIntPipe) telegramId: number) {
    const ended = await this.sessions.endAll(telegramId, 'ended-by-site');
    return { ended: ended.length };
  }
}

@Module({
  imports: [
    EventEmitterModule.forRoot(),
    TelegramQrAuthModule.forRoot({ appName: 'Host Shop' }),
  ],
  controllers: [HostController],
  providers: [SessionAudit],
})
class HostModule {}

describe('sessions in a host app (SessionService, events, the guard)', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const start = async () => {
    app = await NestFactory.create(HostModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  };

  it("ends all of a banned user's sessions: the guard refuses them at once, refreshes fail, and the host hears each end", async () => {
    const url = await start();
    const user = newUser();
    const first = await logIn(url, { user });
    const second = await logIn(url, { user });
    const bystander = await logIn(url);
    expect(SessionAudit.created.map(({ sid }) => sid)).toEqual(
      expect.arrayContaining([first.sid, second.sid, bystander.sid]),
    );
    expect(
      SessionAudit.created.find(({ sid }) => sid === first.sid),
    ).toMatchObject({
      site: 'Host Shop',
      user: { id: user.id },
    });

    await withBearer(request(url).get('/orders'), first.accessToken).expect(
      200,
      {
        owner: user.id,
        sid: first.sid,
      },
    );
    await request(url).post(`/admin/ban/${user.id}`).expect(200, { ended: 2 });

    for (const session of [first, second]) {
      await withBearer(request(url).get('/orders'), session.accessToken).expect(
        401,
      );
      await me(url, session.accessToken).expect(401);
      await refresh(url, session.refreshToken).expect(401);
    }
    await withBearer(request(url).get('/orders'), bystander.accessToken).expect(
      200,
    );
    expect(
      SessionAudit.ended
        .filter(({ session }) => session.user.id === user.id)
        .map(({ session, reason }) => [session.sid, reason])
        .sort(),
    ).toEqual(
      [
        [first.sid, 'ended-by-site'],
        [second.sid, 'ended-by-site'],
      ].sort(),
    );
    expect(JSON.stringify(SessionAudit.ended)).not.toContain('refreshKey');
  });
});
