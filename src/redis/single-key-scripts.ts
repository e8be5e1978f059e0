import type { Redis } from 'ioredis';

/** A Lua script of one key, called as `(key, ...args)`. */
export type SingleKeyScript = (
  key: string,
  ...args: (string | number)[]
) => Promise<string[] | string | number | null>;

/**
 * Defines each script on the connection and gives it back as a function, by
 * name. defineCommand runs a script by its SHA (EVALSHA) and loads it on a
 * NOSCRIPT reply, so a Redis that restarted (and forgot its scripts) still
 * runs them.
 */
export function defineSingleKeyScripts<Name extends string>(
  redis: Redis,
  scripts: Record<Name, string>,
): Record<Name, SingleKeyScript> {
  const commands = redis as unknown as Record<Name, SingleKeyScript>;
  const defined = {} as Record<Name, SingleKeyScript>;
  for (const [name, lua] of Object.entries(scripts) as [Name, string][]) {
    redis.defineCommand(name, { numberOfKeys: 1, lua });
    defined[name] = commands[name].bind(redis);
  }
  return defined;
}
