/** cluster-key-slot (ioredis' own dependency) ships no types. */
declare module 'cluster-key-slot' {
  /** The Cluster slot (0-16383) of a key, its hash tag honoured. */
  export default function calculateSlot(key: string): number;
}
