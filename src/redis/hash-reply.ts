/** A Lua script's `HGETALL` reply (a flat list of names and values) as an object, as ioredis gives `hgetall`. */
export function pairsToObject(pairs: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) object[pairs[i]] = pairs[i + 1];
  return object;
}
