#!/usr/bin/env node
// Plays Telegram's part in demo mode: posts a real-shaped `/start <token>` update
// to the local webhook, so a login completes without a bot or a phone.
//
//   npm run simulate -- <token or deep link> [--confirm | --deny | --code NN] [--user-id N] [--first-name NAME]
//
// With LOGIN_CONFIRMATION=button|code the `/start` only scans the login; add
// --confirm, --deny or --code NN to press the button as well.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');

const usage =
  'Usage: npm run simulate -- <token or deep link> [--confirm | --deny | --code NN] [--user-id N] [--first-name NAME] [--url http://localhost:8887]';

function parseArguments(argv) {
  const options = {
    userId: 100000001,
    firstName: 'Demo',
    url:
      process.env.SIMULATE_URL ??
      `http://localhost:${process.env.PORT || 8887}`,
  };
  const rest = [...argv];
  while (rest.length) {
    const argument = rest.shift();
    if (argument === '--confirm' || argument === '--deny')
      options.press = argument.slice(2);
    else if (argument === '--code') options.code = rest.shift();
    else if (argument === '--user-id') options.userId = Number(rest.shift());
    else if (argument === '--first-name') options.firstName = rest.shift();
    else if (argument === '--url') options.url = rest.shift();
    else if (argument === '--help' || argument === '-h') options.help = true;
    else
      options.token = argument.includes('start=')
        ? new URL(argument).searchParams.get('start')
        : argument;
  }
  return options;
}

async function post(url, update) {
  const headers = { 'content-type': 'application/json' };
  if (process.env.WEBHOOK_SECRET)
    headers['x-telegram-bot-api-secret-token'] = process.env.WEBHOOK_SECRET;
  const response = await fetch(`${url}/telegram/webhook`, {
    method: 'POST',
    headers,
    body: JSON.stringify(update),
  });
  if (!response.ok)
    throw new Error(
      `the webhook answered ${response.status}: ${await response.text()}`,
    );
}

const options = parseArguments(process.argv.slice(2));
if (
  options.help ||
  !options.token ||
  !/^[A-Za-z0-9_-]{43}$/.test(options.token) ||
  !Number.isSafeInteger(options.userId)
) {
  console.error(usage);
  process.exit(options.help ? 0 : 2);
}
if (options.code !== undefined && !/^\d{2}$/.test(options.code)) {
  console.error('--code takes the two digits shown on the login page');
  process.exit(2);
}

const user = {
  id: options.userId,
  is_bot: false,
  first_name: options.firstName,
  username: 'demo_user',
};
const chat = {
  id: options.userId,
  type: 'private',
  first_name: options.firstName,
};
const baseId = Math.floor(Date.now() / 1000) * 10;
const now = Math.floor(Date.now() / 1000);
const text = `/start ${options.token}`;

try {
  await post(options.url, {
    update_id: baseId,
    message: {
      message_id: 1,
      from: user,
      chat,
      date: now,
      text,
      entities: [{ offset: 0, length: 6, type: 'bot_command' }],
    },
  });
  console.log(
    `Sent "/start <token>" as Telegram user ${user.id} to ${options.url}/telegram/webhook`,
  );
  const data =
    options.code !== undefined
      ? `pick:${options.code}:${options.token}`
      : options.press && `${options.press}:${options.token}`;
  if (data) {
    await post(options.url, {
      update_id: baseId + 1,
      callback_query: {
        id: String(baseId + 1),
        from: user,
        message: { message_id: 2, chat, date: now, text: 'Log in?' },
        chat_instance: '1',
        data,
      },
    });
    console.log(`Pressed "${data.split(':').slice(0, -1).join(':')}"`);
  }
} catch (error) {
  console.error(`Could not simulate the login: ${error.message}`);
  process.exit(1);
}
