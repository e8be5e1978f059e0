import {
  Junk,
  Message,
  Resource,
  Term,
  parse,
  serialize,
} from '@fluent/syntax';

/** Why `source` is not valid Fluent, one line per broken entry; empty when it is. */
export function fluentProblems(source: string): string[] {
  return parse(source, { withSpans: true })
    .body.filter((entry): entry is Junk => entry instanceof Junk)
    .map((junk) => {
      const line = source.slice(0, junk.span?.start ?? 0).split('\n').length;
      const messages = junk.annotations.map((annotation) => annotation.message);
      return `line ${line}: ${messages.join('; ') || 'not Fluent'}`;
    });
}

/**
 * `ours` with `theirs` merged in: a message (or term) of theirs replaces ours
 * of the same id where it stands (keeping our comment), any other is added
 * at the end. Both must
 * be valid Fluent ({@link fluentProblems}).
 */
export function mergeMessages(ours: string, theirs: string): string {
  const resource = parse(ours, { withSpans: false });
  const index = new Map<string, number>();
  resource.body.forEach((entry, position) => {
    const key = keyOf(entry);
    if (key) index.set(key, position);
  });
  for (const entry of parse(theirs, { withSpans: false }).body) {
    const key = keyOf(entry);
    if (!key) continue;
    const position = index.get(key);
    if (position === undefined) {
      index.set(key, resource.body.length);
      resource.body.push(entry);
    } else {
      // Ours says what the message is for; theirs only changes the words.
      const replaced = resource.body[position] as Message | Term;
      const replacement = entry as Message | Term;
      replacement.comment ??= replaced.comment;
      resource.body[position] = replacement;
    }
  }
  return serialize(new Resource(resource.body), {});
}

/** Messages and terms share no namespace (`-brand` is a term, `brand` a message). */
function keyOf(entry: Resource['body'][number]): string | undefined {
  if (entry instanceof Message) return entry.id.name;
  if (entry instanceof Term) return `-${entry.id.name}`;
  return undefined;
}
