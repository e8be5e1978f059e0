#!/usr/bin/env node
// Plays Telegram's part in demo mode: posts a real-shaped `/start <token>` update
// to the local webhook, so a login completes without a bot or a phone.
//
//   npm run simulate -- <token or link> [--confirm | --deny | --code NN] [--user-id N] [--first-name NAME]
//
// The link is any URL with a `start=` parameter (the deep link under the QR code).
// With LOGIN_CONFIRMATION=button|code the `/start` only scans the login; add
// --confirm, --deny or --code NN to press the button as well.
//
// Prints one line per update with what the service did with it (the webhook's
// answer says so), and exits 0 when the login moved as asked, 1 when nothing
// happened (unknown or used token, expired, refused, wrong code, ...) or the
// webhook could not be reached, 2 for a wrong command line.
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');

const USAGE =
  'Usage: npm run simulate -- <token or link with start=> [--confirm | --deny | --code NN] [--user-id N] [--first-name NAME] [--url http://localhost:8887]';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

class UsageError extends Error {}

function parseArguments(argv) {
  const options = {
    userId: 100000001,
    firstName: 'Demo',
    url:
      process.env.SIMULATE_URL ??
      `http://localhost:${process.env.PORT || 8887}`,
  };
  const rest = [...argv];
  const valueOf = (flag) => {
    const value = rest.shift();
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    return value;
  };
  while (rest.length) {
    const argument = rest.shift();
    if (argument === '--help' || argument === '-h') options.help = true;
    else if (argument === '--confirm' || argument === '--deny')
      options.press = { action: argument.slice(2), label: argument };
    else if (argument === '--code') {
      const code = valueOf('--code');
      if (!/^\d{2}$/.test(code))
        throw new UsageError(
          '--code takes the two digits shown on the login page',
        );
      options.press = { action: 'pick', code, label: `--code ${code}` };
    } else if (argument === '--user-id') {
      options.userId = Number(valueOf('--user-id'));
      if (!Number.isSafeInteger(options.userId) || options.userId <= 0)
        throw new UsageError('--user-id takes a positive whole number');
    } else if (argument === '--first-name')
      options.firstName = valueOf('--first-name');
    else if (argument === '--url') options.url = valueOf('--url');
    else if (argument.startsWith('--'))
      throw new UsageError(`unknown option ${argument}`);
    else if (options.token !== undefined)
      throw new UsageError('give one token or link');
    else options.token = tokenFrom(argument);
  }
  if (!options.help && options.token === undefined)
    throw new UsageError('the token or link is missing');
  return options;
}

/** The token itself, or the `start` parameter of any URL (t.me, tg://, the demo page's link, ...). */
function tokenFrom(argument) {
  let token = argument;
  if (argument.includes('start=')) {
    try {
      token = new URL(argument).searchParams.get('start') ?? '';
    } catch {
      throw new UsageError(`not a URL: ${argument}`);
    }
  }
  if (!TOKEN.test(token))
    throw new UsageError(
      'not a login token: expected 43 characters of A-Z, a-z, 0-9, _ and -, or a link with start=<token>',
    );
  return token;
}

/**
 * Random, so that no two runs share one: the service acts once per update_id
 * (for 2 × TOKEN_TTL_SECONDS), and ids taken from the clock collided within a second.
 */
const newUpdateId = () => randomInt(1, 2 ** 48);

/** Posts one update; resolves to the service's outcome for it. */
async function post(url, update) {
  const headers = { 'content-type': 'application/json' };
  if (process.env.WEBHOOK_SECRET)
    headers['x-telegram-bot-api-secret-token'] = process.env.WEBHOOK_SECRET;
  let response;
  try {
    response = await fetch(`${url}/telegram/webhook`, {
      method: 'POST',
      headers,
      body: JSON.stringify(update),
    });
  } catch (error) {
    throw new Error(
      `could not reach ${url}/telegram/webhook (${error.cause?.message ?? error.message}); is the service running?`,
      { cause: error },
    );
  }
  const text = await response.text();
  if (response.status === 401)
    throw new Error(
      'the webhook answered 401: set WEBHOOK_SECRET to the service’s (in .env or the environment)',
    );
  if (!response.ok)
    throw new Error(`the webhook answered ${response.status}: ${text}`);
  let outcome;
  try {
    outcome = JSON.parse(text).outcome;
  } catch {
    // Not JSON: handled below like a body without an outcome.
  }
  if (typeof outcome !== 'string')
    throw new Error(
      `the webhook answered ${response.status} without saying what it did; is ${url} this service?`,
    );
  return outcome;
}

function startUpdate(user, chat, token) {
  return {
    update_id: newUpdateId(),
    message: {
      message_id: 1,
      from: user,
      chat,
      date: Math.floor(Date.now() / 1000),
      text: `/start ${token}`,
      entities: [{ offset: 0, length: 6, type: 'bot_command' }],
    },
  };
}

function pressUpdate(user, chat, data) {
  const updateId = newUpdateId();
  return {
    update_id: updateId,
    callback_query: {
      id: String(updateId),
      from: user,
      message: {
        message_id: 2,
        chat,
        date: Math.floor(Date.now() / 1000),
        text: 'Log in?',
      },
      chat_instance: '1',
      data,
    },
  };
}

function callbackData({ action, code }, token) {
  return action === 'pick' ? `pick:${code}:${token}` : `${action}:${token}`;
}

/** What an outcome means to the person running the script, and whether the login moved as asked. */
function describeStart(outcome, { user, press }) {
  const answer = press ? '' : ' Answer with --confirm, --deny or --code NN.';
  switch (outcome) {
    case 'authenticated':
      return ok(`logged in; the browser now shows ${who(user)}.`);
    case 'scanned':
      return ok(
        `scanned; the login waits for confirmation in Telegram.${answer}`,
      );
    case 'awaiting-confirmation':
      return ok(
        `already scanned and still waiting for confirmation; the bot asked again.${answer}`,
      );
    case 'refused':
      return failed(
        `refused by the login policy for Telegram user ${user.id}; the login is denied.`,
      );
    case 'expired':
      return failed(
        'expired; reload the login page and use its new token or link.',
      );
    case 'unknown':
      return failed(
        'unknown token; no login is waiting for it (mistyped, already used, or scanned by another Telegram user).',
      );
    default:
      return describeNothingDone(outcome);
  }
}

function describePress(outcome, { user, press }) {
  switch (outcome) {
    case 'authenticated':
      return ok(`confirmed; the browser now shows ${who(user)}.`);
    case 'denied':
      return ok('denied; nobody was logged in.');
    case 'wrong-code':
      return failed(
        `wrong code: ${press.code} is not the number on the login page, so the login is denied.`,
      );
    case 'expired':
      return failed('expired before the answer; nothing changed.');
    case 'unknown':
      return failed('the login is not waiting for an answer.');
    case 'wrong-user':
      return failed(
        `wrong user: only the Telegram user who scanned can answer, not ${user.id} (see --user-id).`,
      );
    case 'already-authenticated':
      return failed('already confirmed; nothing changed.');
    case 'already-denied':
      return failed('already denied; nothing changed.');
    default:
      return describeNothingDone(outcome);
  }
}

function describeNothingDone(outcome) {
  if (outcome === 'duplicate')
    return failed(
      'duplicate; the service had handled this update_id already and did nothing.',
    );
  if (outcome === 'ignored') return failed('ignored by the service.');
  return failed(`the service answered "${outcome}".`);
}

const ok = (text) => ({ ok: true, text });
const failed = (text) => ({ ok: false, text });
const who = (user) => `${user.first_name} (Telegram user ${user.id})`;

function report(step, { ok, text }) {
  (ok ? console.log : console.error)(`${step}: ${text}`);
  return ok;
}

async function simulate(options) {
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
  const { press, token, url } = options;
  const context = { user, press };

  const started = await post(url, startUpdate(user, chat, token));
  if (!report('/start', describeStart(started, context))) {
    if (press)
      report(press.label, failed('not sent; the login is not waiting for it.'));
    return false;
  }
  if (!press) return true;
  if (started === 'authenticated')
    return report(
      press.label,
      ok('not sent; no confirmation was asked (LOGIN_CONFIRMATION=off).'),
    );
  const pressed = await post(
    url,
    pressUpdate(user, chat, callbackData(press, token)),
  );
  return report(press.label, describePress(pressed, context));
}

let options;
try {
  options = parseArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
try {
  process.exitCode = (await simulate(options)) ? 0 : 1;
} catch (error) {
  console.error(`Could not simulate the login: ${error.message}`);
  process.exitCode = 1;
}
