import type { RedisClient } from './redis-client.factory.js';

/** A Lua script, called with its keys first, then its arguments. */
export type Script = (
  ...keysAndArgs: (string | number)[]
) => Promise<string[] | string | number | null>;

/** A script's source and how many of its leading arguments are keys. */
export interface ScriptSource {
  lua: string;
  numberOfKeys: number;
}

/**
 * Defines each script on the connection and gives it back as a function, by
 * name. defineCommand runs a script by its SHA (EVALSHA) and loads it on a
 * NOSCRIPT reply, so a Redis that restarted (and forgot its scripts) still
 * runs them.
 */
export function defineScripts<Name extends string>(
  redis: RedisClient,
  scripts: Record<Name, ScriptSource>,
): Record<Name, Script> {
  const commands = redis as unknown as Record<Name, Script>;
  const defined = {} as Record<Name, Script>;
  for (const [name, source] of Object.entries(scripts) as [
    Name,
    ScriptSource,
  ][]) {
    redis.defineCommand(name, source);
    defined[name] = commands[name].bind(redis);
  }
  return defined;
}
