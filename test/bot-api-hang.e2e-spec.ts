import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import { BOT_API_TIMEOUT_SECONDS } from '../src/telegram/telegram.constants.js';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createLogin, eventually, postUpdate } from './support/http.js';
import { PATIENCE_MS } from './support/patience.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import {
  callbackUpdate,
  newUser,
  startUpdate,
  type TestUser,
} from './support/telegram-updates.js';

/** A hung call is given up after BOT_API_TIMEOUT_SECONDS and tried again; then the usual patience. */
const AFTER_A_HUNG_CALL_MS = BOT_API_TIMEOUT_SECONDS * 1000 + PATIENCE_MS;

interface InlineButton {
  text: string;
  callback_data: string;
}

// LOGIN_CONFIRMATION=button: the login waits for the message with the buttons, so a reply held up is a login held up.
describe('A Bot API that accepts calls and never answers them', () => {
  let telegram: FakeBotApi;
  let service: RunningApp | undefined;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    telegram = await FakeBotApi.start();
    service = await startApp({
      ...telegram.env,
      LOGIN_CONFIRMATION: 'button',
    });
  });

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await service?.close();
    service = undefined;
    await telegram.close();
  });

  const waitingLogin = async () => {
    const login = await createLogin(service!.url);
    const socket = await connectAuthSocket(service!.url, login);
    sockets.push(socket);
    return { ...login, socket };
  };

  const toChat = (user: TestUser) => (params: Record<string, any>) =>
    Number(params.chat_id) === user.id;

  it('sends the confirmation once it recovers, and the chat goes on working', async () => {
    const { token, socket } = await waitingLogin();
    const ada = newUser();
    telegram.hang();

    await postUpdate(service!.url, startUpdate(token, ada)).expect(200, {
      ok: true,
      outcome: 'scanned',
    });
    await waitForStatus(socket, 'scanned');
    await telegram.waitForHungCall('sendMessage', toChat(ada));
    telegram.recover();

    const question = await telegram.waitForCall(
      'sendMessage',
      toChat(ada),
      AFTER_A_HUNG_CALL_MS,
    );
    const buttons = (
      question.reply_markup?.inline_keyboard ?? []
    ).flat() as InlineButton[];
    expect(buttons.map((button) => button.callback_data)).toContain(
      `confirm:${token}`,
    );

    // A new /start from the same chat is answered too: nothing of the hang is left in its queue.
    await postUpdate(service!.url, startUpdate(token, ada)).expect(200, {
      ok: true,
      outcome: 'awaiting-confirmation',
    });
    await telegram.waitForCall(
      'sendMessage',
      () => telegram.callsTo('sendMessage').filter(toChat(ada)).length === 2,
    );

    await postUpdate(
      service!.url,
      callbackUpdate(`confirm:${token}`, ada),
    ).expect(200, { ok: true, outcome: 'authenticated' });
    await waitForStatus(socket, 'authenticated');
  });

  it("does not hold up another chat's message behind one chat's hung call, and does not keep shutdown waiting", async () => {
    const first = await waitingLogin();
    const second = await waitingLogin();
    const ada = newUser();
    const grace = newUser({ first_name: 'Grace' });
    telegram.hang({ methods: ['sendMessage'], where: toChat(ada) });

    await postUpdate(service!.url, startUpdate(first.token, ada)).expect(200);
    const hung = await telegram.waitForHungCall('sendMessage', toChat(ada));

    await postUpdate(service!.url, startUpdate(second.token, grace)).expect(
      200,
    );
    const sent = await telegram.waitForCall('sendMessage', toChat(grace));
    expect(sent.text).toContain('Log in to');
    // Grace's message went out while Ada's call was still waiting for its answer.
    expect(hung.closedAt).toBeUndefined();
    expect(telegram.callsTo('sendMessage').filter(toChat(ada))).toEqual([]);

    // Closing does not wait for the hung call (nor its retries): it is cut off.
    await service!.close();
    service = undefined;
    await eventually(async () => expect(hung.closedAt).toBeDefined());
  });
});
